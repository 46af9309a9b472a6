"""received via: complaints the Admin Pengaduan took by telephone, at the desk or by letter

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('taken_by', sa.String(length=64), nullable=True))
    op.create_table('taken_complaints',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tracking_code', sa.String(length=32), nullable=False),
    sa.Column('reporter_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('received_via', sa.String(length=16), nullable=False),
    sa.Column('taken_by', sa.String(length=64), nullable=False),
    sa.Column('taken_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_taken_complaints')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_taken_complaints_tracking_code'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('taken_complaints')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('taken_by')
        batch_op.drop_column('received_via')
