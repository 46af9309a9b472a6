"""one vocabulary of statuses: the workflow's "closed" becomes the SOP's "answered"

A case whose answer went out was stored as ``closed`` while intake said ``answered``, so a search
by ``answered`` missed it. Only the ``status`` of the cases changes; ``closed_at`` keeps its name.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:30:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade data."""
    op.execute("UPDATE cases SET status = 'answered' WHERE status = 'closed'")


def downgrade() -> None:
    """Downgrade data: before 0010 the workflow never stored "answered"."""
    op.execute("UPDATE cases SET status = 'closed' WHERE status = 'answered'")
