"""personal data erasure: when the complainant asked for it, and when it was done

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:30:00.000000

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
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erasure_requested_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('erased_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('erasure_requested_at')
