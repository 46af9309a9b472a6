"""The Alembic steps that made the tables every service's database carries
(``shared.database.shared_tables``): the outbox, the inbox and the failed messages.

Each service keeps its own Alembic history and database; its migration files call these steps
(``create_outbox_tables()`` in its first revision, ...) instead of writing the DDL out again.
The steps are history: a change to a table is a new step here and a new revision in each
service, never an edit of an old step. Apart from the tables so that only the migrations import
Alembic.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.database.engine import UTCDateTime

# The Alembic steps, in the order every service took them. Each is what the services' revisions
# held, word for word, when they were written out three times.


def create_outbox_tables() -> None:
    """The outbox and the inbox, as each service's first revision made them."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_published_at"), ["published_at"], unique=False)

    op.create_table(
        "processed_messages",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("processed_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_processed_messages")),
    )


def drop_outbox_tables() -> None:
    op.drop_table("processed_messages")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_published_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_created_at"))

    op.drop_table("outbox")


def create_failed_messages() -> None:
    op.create_table(
        "failed_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_messages")),
    )
    with op.batch_alter_table("failed_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_failed_messages_message_id"), ["message_id"], unique=False
        )


def drop_failed_messages() -> None:
    with op.batch_alter_table("failed_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failed_messages_message_id"))

    op.drop_table("failed_messages")


def add_outbox_request_ids() -> None:
    # The request a message descends from, sent on as a task header (shared.runtime.log_context).
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))


def drop_outbox_request_ids() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_id")


def add_outbox_redrive() -> None:
    # When the relay sent the one extra copy of the message (shared.messaging.relay). Rows
    # published before this revision are not sent again: they were delivered long ago.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redriven_at", UTCDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_redrive", ["redriven_at", "published_at"], unique=False)
    op.execute("UPDATE outbox SET redriven_at = published_at WHERE published_at IS NOT NULL")


def drop_outbox_redrive() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_redrive")
        batch_op.drop_column("redriven_at")
