"""fallback outcomes

The failed-deliveries list shows which channels the notifier tried for a notification,
the fallback ones (cadangan) marked.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('notification_outcomes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('fallback', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('notification_outcomes', schema=None) as batch_op:
        batch_op.drop_column('fallback')
