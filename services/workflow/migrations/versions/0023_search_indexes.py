"""indexes for each way the search box matches a case (trigram ones for the texts on PostgreSQL)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 13:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0023'
down_revision: Union[str, Sequence[str], None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TEXTS = ('subject', 'description', 'reporter_name')


def _reference_key() -> sa.ColumnElement[str]:
    column: sa.ColumnElement[str] = sa.column('licence_reference')
    for sign in (' ', '-', '.'):
        column = sa.func.replace(column, sign, '')
    return sa.func.upper(column)


def upgrade() -> None:
    """Upgrade schema."""
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        # A trusted extension (PostgreSQL 13+): the database's owner may create it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for column in TEXTS:
        if postgresql:
            op.create_index(f'ix_cases_{column}_trgm', 'cases', [column],
                            postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'})
        else:
            op.create_index(f'ix_cases_{column}_trgm', 'cases', [column])
    op.create_index('ix_cases_reporter_phone', 'cases', ['reporter_phone'])
    if postgresql:  # SQLite could, but reflects them with a warning and would not use them
        op.create_index('ix_cases_reporter_email_lower', 'cases',
                        [sa.func.lower(sa.column('reporter_email'))])
        op.create_index('ix_cases_licence_reference_key', 'cases', [_reference_key()])


def downgrade() -> None:
    """Downgrade schema (pg_trgm stays: another schema of the database may use it)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_licence_reference_key', table_name='cases')
        op.drop_index('ix_cases_reporter_email_lower', table_name='cases')
    for name in ('ix_cases_reporter_phone', *(f'ix_cases_{c}_trgm' for c in TEXTS)):
        op.drop_index(name, table_name='cases')
