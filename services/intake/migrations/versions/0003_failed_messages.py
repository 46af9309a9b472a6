"""failed messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:23:30.162923

"""
from typing import Sequence, Union

from shared.database import shared_steps


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    shared_steps.create_failed_messages()


def downgrade() -> None:
    """Downgrade schema."""
    shared_steps.drop_failed_messages()
