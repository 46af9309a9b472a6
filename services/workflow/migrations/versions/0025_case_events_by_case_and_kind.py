"""case_events indexed by case and kind: a month's cases' completions read without the history

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 17:20:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0025'
down_revision: Union[str, Sequence[str], None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # The monthly report counts its cohort's completed steps: by case_id alone PostgreSQL
    # preferred reading every completion of the history (a hash join); with kind and the figure
    # in the index it reads each case's few entries, from the index alone.
    op.create_index('ix_case_events_case_id_kind', 'case_events',
                    ['case_id', 'kind', 'within_standard'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_case_events_case_id_kind', table_name='case_events')
