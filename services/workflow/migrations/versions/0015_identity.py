"""identity: shown, confidential (rahasia) or anonymous (anonim)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:20:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('identity', sa.String(length=16), server_default='shown', nullable=False)
        )
        batch_op.alter_column('reporter_name', existing_type=sa.String(length=200), nullable=True)
    with op.batch_alter_table('taken_complaints', schema=None) as batch_op:
        batch_op.alter_column('reporter_name', existing_type=sa.String(length=200), nullable=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('taken_complaints', schema=None) as batch_op:
        batch_op.alter_column('reporter_name', existing_type=sa.String(length=200), nullable=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('reporter_name', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column('identity')
