"""delivery_totals: the deliveries' and tries' counts kept by triggers, filled from the rows

The metrics scrape reads these instead of counting the whole history
(``services/notifier/delivery_totals.py`` says how they are kept).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, series, the counted column): each row adds 1 to (series, channel, its value).
COUNTED = (('deliveries', 'delivery', 'status'), ('delivery_attempts', 'attempt', 'outcome'))

FILL = """
INSERT INTO delivery_totals (series, channel, value, count)
SELECT 'delivery', channel, status, count(*) FROM deliveries GROUP BY channel, status
UNION ALL
SELECT 'attempt', channel, outcome, count(*) FROM delivery_attempts GROUP BY channel, outcome
"""


def _change(series: str, row: str, column: str, delta: int) -> str:
    return (f"INSERT INTO delivery_total_changes (series, channel, value, delta) "
            f"VALUES ('{series}', {row}.channel, {row}.{column}, {delta});")


def _postgresql(table: str, series: str, column: str) -> list[str]:
    name = f'{table}_count_changes'
    body = f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_change(series, 'OLD', column, -1)} END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN {_change(series, 'NEW', column, 1)} END IF;
  RETURN NULL;
END $$"""
    return [
        body,
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF channel, {column} ON {table} "
        f"FOR EACH ROW WHEN (OLD.channel IS DISTINCT FROM NEW.channel "
        f"OR OLD.{column} IS DISTINCT FROM NEW.{column}) EXECUTE FUNCTION {name}()",
    ]


def _sqlite(table: str, series: str, column: str) -> list[str]:
    name = f'{table}_count_changes'
    moved = f"OLD.channel IS NOT NEW.channel OR OLD.{column} IS NOT NEW.{column}"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} "
        f"BEGIN {_change(series, 'NEW', column, 1)} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} "
        f"BEGIN {_change(series, 'OLD', column, -1)} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF channel, {column} ON {table} "
        f"WHEN {moved} BEGIN {_change(series, 'OLD', column, -1)} "
        f"{_change(series, 'NEW', column, 1)} END",
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'delivery_totals',
        sa.Column('series', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=16), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', 'channel', 'value', name=op.f('pk_delivery_totals')),
    )
    op.create_table(
        'delivery_total_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('value', sa.String(length=16), nullable=False),
        sa.Column('delta', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_total_changes')),
    )
    # The counts and the triggers in one transaction with the rows (PostgreSQL's DDL is
    # transactional): a write waits for the migration, and none is counted twice or missed.
    build = _postgresql if op.get_bind().dialect.name == 'postgresql' else _sqlite
    for table, series, column in COUNTED:
        for statement in build(table, series, column):
            op.execute(statement)
    op.execute(FILL)


def downgrade() -> None:
    """Downgrade schema."""
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, _series, _column in COUNTED:
        name = f'{table}_count_changes'
        if postgresql:
            op.execute(f'DROP TRIGGER {name}_update ON {table}')
            op.execute(f'DROP TRIGGER {name} ON {table}')
            op.execute(f'DROP FUNCTION {name}()')
        else:
            for suffix in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER {name}_{suffix}')
    op.drop_table('delivery_total_changes')
    op.drop_table('delivery_totals')
