"""filing keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 11:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Filings made with an Idempotency-Key, kept a day: a retry gets the first answer back.
    op.create_table('filing_keys',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('created_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_filing_keys_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_filing_keys'))
    )
    with op.batch_alter_table('filing_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_keys_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('filing_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filing_keys_created_at'))

    op.drop_table('filing_keys')
