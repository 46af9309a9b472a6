"""case_answers.minutes_from_filing: the office minutes from filing to each answer, kept

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 20:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from services.workflow.sla.answer_minutes import fill


# revision identifiers, used by Alembic.
revision: str = '0027'
down_revision: Union[str, Sequence[str], None] = '0026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('case_answers') as batch:
        batch.add_column(sa.Column('minutes_from_filing', sa.Float(), nullable=True))
    # The answers already sent: the same function the answer uses when it is sent (the office
    # calendar of the settings in force), a batch at a time.
    fill(op.get_bind())


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('case_answers') as batch:
        batch.drop_column('minutes_from_filing')
