"""the complainant's consent to the privacy notice (UU 27/2022)

When the complainant consented and to which version of the notice; both null: no consent
given (an API client that sent none, or a complaint filed before the notice).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 11:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import shared.database.engine


# revision identifiers, used by Alembic.
revision: str = '0021'
down_revision: Union[str, Sequence[str], None] = '0020'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('privacy_notice_version', sa.String(length=16), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('privacy_notice_version')
        batch_op.drop_column('consent_at')
