"""undeliverable notices

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 23:30:00.000000

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
    # Notices that reached the complainant on none of their channels: the tracking page says so.
    op.create_table('undeliverable_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('notification_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('failed_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_undeliverable_notices_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undeliverable_notices')),
    sa.UniqueConstraint('message_id', name=op.f('uq_undeliverable_notices_message_id'))
    )
    with op.batch_alter_table('undeliverable_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_undeliverable_notices_complaint_id'), ['complaint_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('undeliverable_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_undeliverable_notices_complaint_id'))

    op.drop_table('undeliverable_notices')
