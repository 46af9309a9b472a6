"""complaint_totals: complaints filed and answered kept by triggers, filled from the rows

The metrics scrape reads these instead of counting every complaint
(``services/intake/complaint_totals.py``, ``shared/database/kept_counts.py``).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 21:05:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0024'
down_revision: Union[str, Sequence[str], None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANGE = "INSERT INTO complaint_total_changes (name, delta) SELECT '{name}', {delta}"
FILED_IN, FILED_OUT = CHANGE.format(name='filed', delta=1), CHANGE.format(name='filed', delta=-1)
ANSWERED_IN = CHANGE.format(name='answered', delta=1) + ' WHERE NEW.answered_at IS NOT NULL'
ANSWERED_OUT = CHANGE.format(name='answered', delta=-1) + ' WHERE OLD.answered_at IS NOT NULL'
MOVED = '(OLD.answered_at IS NULL) <> (NEW.answered_at IS NULL)'

POSTGRESQL = [
    f"""CREATE FUNCTION complaints_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN {FILED_IN}; {ANSWERED_IN}; END IF;
  IF TG_OP = 'DELETE' THEN {FILED_OUT}; {ANSWERED_OUT}; END IF;
  IF TG_OP = 'UPDATE' THEN {ANSWERED_OUT}; {ANSWERED_IN}; END IF;
  RETURN NULL;
END $$""",
    'CREATE TRIGGER complaints_count_changes AFTER INSERT OR DELETE ON complaints '
    'FOR EACH ROW EXECUTE FUNCTION complaints_count_changes()',
    'CREATE TRIGGER complaints_count_changes_update AFTER UPDATE OF answered_at ON complaints '
    f'FOR EACH ROW WHEN ({MOVED}) EXECUTE FUNCTION complaints_count_changes()',
]
SQLITE = [
    'CREATE TRIGGER complaints_count_changes_insert AFTER INSERT ON complaints '
    f'BEGIN {FILED_IN}; {ANSWERED_IN}; END',
    'CREATE TRIGGER complaints_count_changes_delete AFTER DELETE ON complaints '
    f'BEGIN {FILED_OUT}; {ANSWERED_OUT}; END',
    'CREATE TRIGGER complaints_count_changes_update AFTER UPDATE OF answered_at ON complaints '
    f'WHEN {MOVED} BEGIN {ANSWERED_OUT}; {ANSWERED_IN}; END',
]
FILL = """
INSERT INTO complaint_totals (name, count)
SELECT 'filed', count(*) FROM complaints
UNION ALL
SELECT 'answered', count(answered_at) FROM complaints
"""


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'complaint_totals',
        sa.Column('name', sa.String(length=16), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_complaint_totals')),
    )
    op.create_table(
        'complaint_total_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=16), nullable=False),
        sa.Column('delta', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_total_changes')),
    )
    # The triggers and the counts in one transaction with the rows (PostgreSQL's DDL is
    # transactional): a filing waits for the migration, none is counted twice or missed.
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)
    op.execute(FILL)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER complaints_count_changes_update ON complaints')
        op.execute('DROP TRIGGER complaints_count_changes ON complaints')
        op.execute('DROP FUNCTION complaints_count_changes()')
    else:
        for suffix in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER complaints_count_changes_{suffix}')
    op.drop_table('complaint_total_changes')
    op.drop_table('complaint_totals')
