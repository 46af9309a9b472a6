"""ratings of the answer, and the reopening window

The complainant's rating of each answer (the SKM survey's 1-4 score, once per answer) and, on
the complaint, until when the answer may be reopened (from the workflow, through the notifier).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('answered_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_ratings_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('complaint_id', 'answered_at', name=op.f('uq_ratings_complaint_id')),
    sa.UniqueConstraint('message_id', name=op.f('uq_ratings_message_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_complaint_id'), ['complaint_id'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reopen_until', shared.database.engine.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('reopen_until')

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_complaint_id'))

    op.drop_table('ratings')
