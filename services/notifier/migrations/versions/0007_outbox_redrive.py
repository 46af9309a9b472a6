"""outbox redrive: the one extra copy of each message

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 12:00:00.000000

"""
from typing import Sequence, Union

from shared.database import shared_steps


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    shared_steps.add_outbox_redrive()


def downgrade() -> None:
    """Downgrade schema."""
    shared_steps.drop_outbox_redrive()
