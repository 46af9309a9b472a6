"""staff units and the disposition's addressees

A staff account may belong to a unit (bidang/seksi); the Koordinator's disposition (step 3) names
the members who follow the case up and an optional due date, kept on the case so each member's
worklist puts the cases addressed to them first (the record keeps them in the step's event).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:10:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=120), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignees', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('due_date')
        batch_op.drop_column('assignees')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('unit')
