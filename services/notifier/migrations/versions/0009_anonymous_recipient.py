"""anonymous recipient: a notification to an anonymous complainant has no recipient

An anonymous complaint (*anonim*) has no name and no contact; its notifications reach the app
channel (the tracking page's inbox) only, and are stored without a recipient.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 06:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('recipient', existing_type=sa.JSON(), nullable=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("UPDATE notifications SET recipient = '{\"name\": \"Anonim\"}' WHERE recipient IS NULL")
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('recipient', existing_type=sa.JSON(), nullable=False)
