"""the licensing service a complaint taken in the console names, for its receipt

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 10:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0022'
down_revision: Union[str, Sequence[str], None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('taken_complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_code', sa.String(length=20), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('taken_complaints', schema=None) as batch_op:
        batch_op.drop_column('service_code')
