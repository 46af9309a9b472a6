"""reopening: the answer rounds of a case (rating, reopening) and its reopening window (issue 23)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 06:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('case_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('answered_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reopen_until', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('rated_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_answers_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_answers')),
    sa.UniqueConstraint('case_id', 'round', name=op.f('uq_case_answers_case_id'))
    )
    with op.batch_alter_table('case_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_answers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_answers_answered_at'), ['answered_at'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reopen_until', shared.database.engine.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('answer_round', sa.Integer(), server_default='1', nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_cases_reopen_until'), ['reopen_until'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_reopen_until'))
        batch_op.drop_column('answer_round')
        batch_op.drop_column('reopen_until')
    with op.batch_alter_table('case_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_answers_answered_at'))
        batch_op.drop_index(batch_op.f('ix_case_answers_case_id'))
    op.drop_table('case_answers')
