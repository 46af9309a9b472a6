"""personal data erasure: cases.erased_at, and the record's triggers allow exactly the erasure

UU 27/2022: after the retention time (or on the complainant's request, once closed) the
complainant's name, contacts and free text are replaced by the marker everywhere, the case
record included. The append-only triggers of the initial migration are replaced by ones that
still refuse every DELETE and TRUNCATE and every UPDATE, except one: an UPDATE of a case whose
record holds its ``personal_data_erased`` event, changing nothing but ``input`` and ``output``,
and those only by replacing top-level values with the marker (same keys, every other value as
it was). So no statement can rewrite what happened, and the erasure can put nothing new in.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 10:30:00.000000

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

# As shared.messaging.contracts.ERASED_MARKER and services.workflow.privacy.erasure.ERASED_EVENT,
# written out: a migration stays as it was when the code moves on.
MARKER = "[data pribadi dihapus]"
ERASED_EVENT = "personal_data_erased"
# Every column but input and output: an erasure changes none of them.
KEPT = (
    "id", "case_id", "sequence", "kind", "step", "actor", "role", "occurred_at",
    "minutes_taken", "standard_minutes", "within_standard",
)


def _sqlite_only_erased(old: str, new: str) -> str:
    """SQL true when ``new`` is ``old`` with some top-level values replaced by the marker."""
    return f"""(
      ({old} IS NULL AND {new} IS NULL)
      OR ({old} IS NOT NULL AND {new} IS NOT NULL AND json_type({old}) <> 'object'
          AND {new} IS {old})
      OR ({old} IS NOT NULL AND {new} IS NOT NULL AND json_valid({new})
          AND json_type({old}) = 'object' AND json_type({new}) = 'object'
          AND NOT EXISTS (SELECT 1 FROM json_each({old}) a
                          WHERE NOT EXISTS (SELECT 1 FROM json_each({new}) b WHERE b.key = a.key))
          AND NOT EXISTS (SELECT 1 FROM json_each({new}) b LEFT JOIN json_each({old}) a
                            ON a.key = b.key
                          WHERE a.key IS NULL
                             OR NOT ((b.type IS a.type AND b.value IS a.value)
                                     OR (b.type = 'text' AND b.value = '{MARKER}'))))
    )"""


SQLITE_UPDATE_GUARD = f"""CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
   WHEN NOT (
     {' AND '.join(f'NEW.{c} IS OLD.{c}' for c in KEPT)}
     AND EXISTS (SELECT 1 FROM case_events e
                 WHERE e.case_id = OLD.case_id AND e.kind = '{ERASED_EVENT}')
     AND {_sqlite_only_erased('OLD.input', 'NEW.input')}
     AND {_sqlite_only_erased('OLD.output', 'NEW.output')}
   )
   BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"""
SQLITE_ORIGINAL_UPDATE_GUARD = """CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
       BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END"""

POSTGRES_ONLY_ERASED = f"""CREATE FUNCTION case_events_only_erased(old json, new json)
   RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
   SELECT CASE
     WHEN old IS NULL OR new IS NULL THEN old IS NULL AND new IS NULL
     WHEN jsonb_typeof(old::jsonb) <> 'object' OR jsonb_typeof(new::jsonb) <> 'object'
       THEN old::jsonb = new::jsonb
     ELSE (SELECT coalesce(array_agg(k ORDER BY k), '{{}}') FROM jsonb_object_keys(old::jsonb) k)
          = (SELECT coalesce(array_agg(k ORDER BY k), '{{}}') FROM jsonb_object_keys(new::jsonb) k)
       AND NOT EXISTS (SELECT 1 FROM jsonb_each(new::jsonb) n
                       WHERE n.value IS DISTINCT FROM (old::jsonb -> n.key)
                         AND n.value <> to_jsonb('{MARKER}'::text))
   END $$"""
POSTGRES_GUARD = f"""CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE'
        AND ({', '.join(f'NEW.{c}' for c in KEPT)})
            IS NOT DISTINCT FROM ({', '.join(f'OLD.{c}' for c in KEPT)})
        AND EXISTS (SELECT 1 FROM case_events e
                    WHERE e.case_id = OLD.case_id AND e.kind = '{ERASED_EVENT}')
        AND case_events_only_erased(OLD.input, NEW.input)
        AND case_events_only_erased(OLD.output, NEW.output)
     THEN
       RETURN NEW;
     END IF;
     RAISE EXCEPTION 'case_events is append-only';
   END $$"""
POSTGRES_ORIGINAL_GUARD = """CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION 'case_events is append-only'; END $$"""


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', shared.database.engine.UTCDateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # The same function serves the row trigger (UPDATE OR DELETE) and the TRUNCATE one; a
        # DELETE or TRUNCATE never passes its test.
        op.execute(POSTGRES_ONLY_ERASED)
        op.execute(POSTGRES_GUARD)
    else:
        op.execute("DROP TRIGGER case_events_no_update")
        op.execute(SQLITE_UPDATE_GUARD)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_ORIGINAL_GUARD)
        op.execute("DROP FUNCTION case_events_only_erased(json, json)")
    else:
        op.execute("DROP TRIGGER case_events_no_update")
        op.execute(SQLITE_ORIGINAL_UPDATE_GUARD)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
