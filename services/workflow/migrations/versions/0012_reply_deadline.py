"""reply deadline of a request for information

A case waiting for the complainant gets a reply deadline and a reminder halfway, each acted on
once by the sweep (``reply_reminded_at``, ``reply_closed_at``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 03:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_due_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_remind_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_reminded_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_closed_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_reply_due_at'), ['reply_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_reply_remind_at'), ['reply_remind_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_reply_remind_at'))
        batch_op.drop_index(batch_op.f('ix_cases_reply_due_at'))
        batch_op.drop_column('reply_closed_at')
        batch_op.drop_column('reply_reminded_at')
        batch_op.drop_column('reply_remind_at')
        batch_op.drop_column('reply_due_at')
