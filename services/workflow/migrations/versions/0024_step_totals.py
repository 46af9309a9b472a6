"""step_totals: the record's running totals per step and role, filled from the record

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 17:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BUCKETS = (1, 2, 3, 5, 10, 15, 30, 60, 120, 480)
# The SOP's role of each step as it stands at this revision: a breach recorded without a role
# counts for it (as the report and the metrics counted it).
STEP_ROLES = {1: 'admin', 2: 'kasi', 3: 'koordinator', 4: 'tim_koordinasi', 5: 'admin'}

FILL = f"""
INSERT INTO step_totals (step, role, completions, minutes_total,
                         {', '.join(f'at_most_{b}' for b in BUCKETS)}, breaches)
SELECT step, role, sum(completion), coalesce(sum(minutes), 0),
       {', '.join(f'sum(CASE WHEN minutes <= {b} THEN 1 ELSE 0 END)' for b in BUCKETS)},
       sum(breach)
FROM (
  SELECT step, role, 1 AS completion, minutes_taken AS minutes, 0 AS breach
  FROM case_events
  WHERE kind = 'completed' AND minutes_taken IS NOT NULL AND step IS NOT NULL
    AND role IS NOT NULL
  UNION ALL
  SELECT step, coalesce(role, CASE step {' '.join(f"WHEN {s} THEN '{r}'" for s, r in STEP_ROLES.items())} END),
         0, NULL, 1
  FROM case_events
  WHERE kind = 'breached' AND step IS NOT NULL
) AS counted
WHERE role IS NOT NULL
GROUP BY step, role
"""


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'step_totals',
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.Column('completions', sa.Integer(), nullable=False),
        sa.Column('minutes_total', sa.Float(), nullable=False),
        *(sa.Column(f'at_most_{b}', sa.Integer(), nullable=False) for b in BUCKETS),
        sa.Column('breaches', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('step', 'role', name=op.f('pk_step_totals')),
    )
    op.execute(FILL)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('step_totals')
