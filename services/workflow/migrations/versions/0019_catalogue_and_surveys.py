"""licensing services catalogue, a case's service and intake route, SKM survey answers

The catalogue the office edits (seeded with its common services), the service each case is
about and how a complainant's own filing came in (web, api, open311), and the SKM survey
answers per answer round.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 10:30:00.000000

"""
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine
from shared.licensing_services import seed_rows


# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    catalogue = op.create_table('licensing_services',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_licensing_services'))
    )
    op.bulk_insert(catalogue, seed_rows(datetime(2026, 12, 7, tzinfo=UTC)))
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('submitted_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_survey_responses_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('case_id', 'round', name=op.f('uq_survey_responses_case_id')),
    sa.UniqueConstraint('message_id', name=op.f('uq_survey_responses_message_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_submitted_at'), ['submitted_at'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('service_code', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_service_code'), ['service_code'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_service_code'))
        batch_op.drop_column('service_code')
        batch_op.drop_column('filed_via')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_case_id'))
    op.drop_table('survey_responses')
    op.drop_table('licensing_services')
