"""The database's own settings (JIT off), for every session however it connects

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 20:40:00.000000

"""
from typing import Sequence, Union

from alembic import op

from shared.database import server_settings


# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # On the database rather than in the connection's startup options, which PgBouncer refuses
    # or drops (shared/database/server_settings.py); nothing on SQLite.
    server_settings.apply_to(op.get_bind())


def downgrade() -> None:
    """Downgrade schema."""
    server_settings.reset_on(op.get_bind())
