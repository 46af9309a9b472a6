"""staff reads of a complainant's identity (UU 27/2022)

Each staff read that showed a complainant's name or contacts: the case, who read it (username
and role), when, and through which page or route.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 11:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine


# revision identifiers, used by Alembic.
revision: str = '0020'
down_revision: Union[str, Sequence[str], None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('identity_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('read_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('via', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_identity_reads_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_reads'))
    )
    with op.batch_alter_table('identity_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_reads_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('identity_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identity_reads_case_id'))
    op.drop_table('identity_reads')
