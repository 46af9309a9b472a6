"""licensing services catalogue (intake's copy), a complaint's service and intake route

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 10:30:00.000000

"""
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine
from shared.licensing_services import seed_rows


# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, Sequence[str], None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    catalogue = op.create_table('licensing_services',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_licensing_services'))
    )
    rows = seed_rows(datetime(2026, 12, 7, tzinfo=UTC))
    op.bulk_insert(catalogue, rows)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filed_via', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('service_code', sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('service_code')
        batch_op.drop_column('filed_via')
    op.drop_table('licensing_services')
