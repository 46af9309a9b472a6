"""access links: one-time links to set a new access token

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 06:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine  # noqa: F401 - column types render through it


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # The link's token only as its hash; used once, until it expires or a newer one replaces it.
    op.create_table('access_links',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', shared.database.engine.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.Column('superseded_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_access_links_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_links_token_hash'))
    )
    with op.batch_alter_table('access_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_links_complaint_id'), ['complaint_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('access_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_links_complaint_id'))

    op.drop_table('access_links')
