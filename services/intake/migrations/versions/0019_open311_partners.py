"""Open311 partner systems and the complaints they filed

The partner systems that file complaints through Open311 GeoReport v2, each with an API key kept
only as its SHA-256, and on each complaint the partner that filed it (only that partner reads it
back through Open311).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 10:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, Sequence[str], None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_partners_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_partners_name'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_partner_id'), ['partner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_partner_id_partners'), 'partners', ['partner_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_partner_id_partners'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_complaints_partner_id'))
        batch_op.drop_column('partner_id')

    op.drop_table('partners')
