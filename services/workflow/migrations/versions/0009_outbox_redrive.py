"""outbox redrive: the one extra copy of each message

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # When the relay sent the one extra copy of the message (shared.messaging.outbox). Rows published
    # before this revision are not sent again: they were delivered long ago.
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redriven_at', shared.database.engine.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_outbox_redrive', ['redriven_at', 'published_at'], unique=False)
    op.execute("UPDATE outbox SET redriven_at = published_at WHERE published_at IS NOT NULL")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_redrive')
        batch_op.drop_column('redriven_at')
