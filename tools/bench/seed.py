"""A desk's whole record, made in minutes: N cases over two years, with the rows the
application writes for each (the workflow's cases and their record, answers, ratings, surveys
and delivery outcomes; intake's complaints, timelines, ratings and surveys; the notifier's
notifications, deliveries and tries), for the bench's scale part (``tools.bench.scale``).

PostgreSQL only: every table is filled by one ``INSERT ... SELECT`` over ``generate_series``,
never row by row. Each database first builds the same ``seed`` table (one row per case: its id,
code, filing time, outcome, step times) from the case's number alone (``hashtextextended``, no
random state), so the three services' rows agree without passing data between them.

Outcomes as an office sees them: most cases answered and closed, a few declined, merged as
duplicates or closed for want of the complainant's reply; those filed in the last days still
answered within their reopening window; those of the last two days open, spread over the five
steps. Step times around the 5-minute standard, one in five past it (with its "breached" event).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import create_engine, text

from shared.licensing_services import SEED_SERVICES
from shared.sop import STEPS, SUPERVISED_BY, Step
from tools.bench.seed_peers import INTAKE_SQL, NOTIFIER_SQL, fill_totals

STAFF = {"admin": "admin1", "kasi": "kasi1", "koordinator": "koordinator1",
         "tim_koordinasi": "tim1"}  # fmt: skip
OPEN_DAYS = 2  # filed this recently: still on a worklist
ANSWERED_DAYS = 12  # filed this recently (and not open): answered, reopening window not passed
REOPEN_DAYS = 10

# One row per case, the same in every database: everything after is derived from it.
SEED_TABLE = """
SET LOCAL jit = off;
SET LOCAL session_replication_role = replica;
CREATE FUNCTION pg_temp.r(i bigint, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashtextextended(i::text, hashtext(salt)) & 2147483647)::float8 / 2147483648 $$;

CREATE FUNCTION pg_temp.minutes(i bigint, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN pg_temp.r(i, salt) > 0.8 THEN 5 + (pg_temp.r(i, salt) - 0.8) * 200
                ELSE 0.5 + pg_temp.r(i, salt) * 5.5 END $$;
CREATE FUNCTION pg_temp.sym(n bigint, k int) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((n >> (5 * (7 - k))) & 31)::int + 1, 1) $$;

CREATE TEMP TABLE seed AS
WITH base AS MATERIALIZED (
  SELECT i,
    md5('pengaduan-seed-' || i)::uuid::text AS id,
    (i * 2654435761) % 1099511627776 AS n40,
    CAST(:now AS timestamptz) - ((:n - i)::float8 / :n) * interval '730 days'
      - pg_temp.r(i, 'f') * interval '30 minutes' AS filed_at,
    pg_temp.r(i, 'o') AS ro, pg_temp.r(i, 'id') AS rid, pg_temp.r(i, 'ch') AS rch,
    pg_temp.r(i, 'rv') AS rrv, pg_temp.r(i, 'sv') AS rsv, pg_temp.r(i, 'st') AS rst,
    pg_temp.r(i, 'ra') AS rra, pg_temp.r(i, 'su') AS rsu, pg_temp.r(i, 'de') AS rde,
    ARRAY[pg_temp.minutes(i, 'm1'), pg_temp.minutes(i, 'm2'), pg_temp.minutes(i, 'm3'),
          pg_temp.minutes(i, 'm4'), pg_temp.minutes(i, 'm5')] AS m
  FROM generate_series(1, :n) AS i
), shaped AS MATERIALIZED (
  SELECT b.*,
    'PGD-' || pg_temp.sym(b.n40, 0) || pg_temp.sym(b.n40, 1) || pg_temp.sym(b.n40, 2)
      || pg_temp.sym(b.n40, 3) || '-' || pg_temp.sym(b.n40, 4) || pg_temp.sym(b.n40, 5)
      || pg_temp.sym(b.n40, 6) || pg_temp.sym(b.n40, 7) AS code,
    CASE
      WHEN b.filed_at > CAST(:now AS timestamptz) - interval ':open_days days'
        THEN 'open' || (1 + floor(b.rst * 5))::int
      WHEN b.ro < 0.04 THEN 'declined'
      WHEN b.ro < 0.07 AND b.i > 1 THEN 'duplicate'
      WHEN b.ro < 0.09 THEN 'no_reply'
      WHEN b.filed_at > CAST(:now AS timestamptz) - interval ':answered_days days' THEN 'answered'
      ELSE 'closed'
    END AS outcome,
    CASE WHEN b.rid < 0.03 THEN 'anonymous' WHEN b.rid < 0.10 THEN 'confidential'
         ELSE 'shown' END AS identity
  FROM base b
)
SELECT s.*,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN 5
       WHEN s.outcome IN ('declined', 'no_reply') THEN 2
       WHEN s.outcome = 'duplicate' THEN 1
       ELSE substr(s.outcome, 5)::int END AS reached,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN 5
       WHEN s.outcome IN ('declined', 'no_reply') THEN 1
       WHEN s.outcome = 'duplicate' THEN 0
       ELSE substr(s.outcome, 5)::int - 1 END AS done,
  ARRAY[s.filed_at + interval '1 minute',
        s.filed_at + make_interval(secs => 60 * (2 + s.m[1])),
        s.filed_at + make_interval(secs => 60 * (3 + s.m[1] + s.m[2])),
        s.filed_at + make_interval(secs => 60 * (4 + s.m[1] + s.m[2] + s.m[3])),
        s.filed_at + make_interval(secs => 60 * (5 + s.m[1] + s.m[2] + s.m[3] + s.m[4]))] AS a,
  ARRAY[s.filed_at + make_interval(secs => 60 * (1 + s.m[1])),
        s.filed_at + make_interval(secs => 60 * (2 + s.m[1] + s.m[2])),
        s.filed_at + make_interval(secs => 60 * (3 + s.m[1] + s.m[2] + s.m[3])),
        s.filed_at + make_interval(secs => 60 * (4 + s.m[1] + s.m[2] + s.m[3] + s.m[4])),
        s.filed_at + make_interval(secs => 60 * (5 + s.m[1] + s.m[2] + s.m[3] + s.m[4]
                                                   + s.m[5]))] AS c,
  CASE WHEN s.identity = 'anonymous' THEN NULL
       ELSE (ARRAY['Budi','Siti','Agus','Dewi','Rina','Joko','Ratna','Hendra','Wulan','Bambang'])
              [1 + s.i % 10] || ' ' ||
            (ARRAY['Santoso','Rahayu','Wijaya','Lestari','Saputra','Hidayat','Kurniawan',
                   'Pratama','Susanti','Nugroho','Setiawan'])[1 + (s.i / 10) % 11] END AS name,
  CASE WHEN s.identity = 'anonymous' THEN NULL
       ELSE '+62812' || lpad(((s.i::bigint * 7919) % 100000000)::text, 8, '0') END AS phone,
  CASE WHEN s.identity = 'anonymous' OR s.rch >= 0.8 THEN NULL
       ELSE 'pengadu' || s.i || '@contoh.id' END AS email,
  CASE WHEN s.identity = 'anonymous' THEN '["app"]'
       WHEN s.rch < 0.5 THEN '["email"]' WHEN s.rch < 0.8 THEN '["email", "sms"]'
       ELSE '["sms"]' END AS channels,
  CASE WHEN s.rrv < 0.12 THEN (ARRAY['telepon', 'loket', 'surat'])[1 + s.i % 3] END AS received_via,
  CASE WHEN s.rrv >= 0.12 THEN (ARRAY['web', 'web', 'web', 'web', 'api', 'open311'])[1 + s.i % 6]
       END AS filed_via,
  CASE WHEN s.rsv < 0.15 THEN NULL
       ELSE (CAST(:services AS text[]))
         [1 + floor(s.rsv * 1000)::int % cardinality(CAST(:services AS text[]))]
       END AS service_code,
  (ARRAY['Izin usaha belum terbit', 'Pelayanan OSS lambat', 'Petugas loket tidak ramah',
         'Berkas hilang', 'Biaya tidak jelas', 'Sertifikat standar belum diverifikasi',
         'Jadwal survei lapangan berubah', 'Tidak ada jawaban atas permohonan',
         'Persyaratan berbeda dari yang diumumkan', 'Antrean terlalu panjang'])[1 + s.i % 10]
    AS subject,
  'Saya mengajukan permohonan pada bulan lalu di Jalan ' ||
    (ARRAY['Pahlawan','Merdeka','Diponegoro','Sudirman','Gajah Mada','Kartini','Panglima',
           'Cokroaminoto','Thamrin','Salak'])[1 + s.i % 10] || ' nomor ' || (s.i % 997) ||
    ', berkas ' || md5('berkas' || s.i) || '. Sampai hari ini belum ada kabar, mohon '
    'ditindaklanjuti karena usaha kami menunggu izin tersebut.' AS description,
  CASE WHEN s.rde < 0.3 THEN '9120' || lpad((s.i % 1000000000)::text, 9, '0') END AS licence
FROM shaped s;
ALTER TABLE seed ADD PRIMARY KEY (i);
ANALYZE seed;
"""


def _above(step: Step) -> str:
    above = SUPERVISED_BY[step.role]
    return above.value if above else "head_of_office"


STEP_ROWS = ", ".join(
    f"({s.number}, '{s.role.value}', '{s.status}', '{STAFF[s.role.value]}', "
    f"'{_above(s)}', "
    f"'{s.output}')"
    for s in STEPS
)
STEP_INPUTS = """CASE st.k
  WHEN 1 THEN '{"note": ""}'
  WHEN 2 THEN '{"verification": "Sudah ditelaah, laporan lengkap"}'
  WHEN 3 THEN json_build_object('disposition', 'Tindak lanjuti sesuai kewenangan',
    'assignees', json_build_array('tim1'), 'due_date', null)::text
  WHEN 4 THEN '{"answer": "Permohonan Anda sudah kami proses; izin dapat diunduh di OSS."}'
  ELSE '{}' END::json"""

WORKFLOW_SQL = f"""
CREATE TEMP TABLE raw (case_id text, ord int, kind text, step int, actor text, role text,
  occurred_at timestamptz, input json, output json, minutes_taken float8, standard_minutes int);
INSERT INTO raw
SELECT s.id, 0, 'filed', NULL,
  CASE WHEN s.received_via IS NOT NULL THEN 'admin1' ELSE 'pengadu' END,
  CASE WHEN s.received_via IS NOT NULL THEN 'admin' END, s.filed_at,
  json_build_object('subject', s.subject, 'description', s.description),
  CASE WHEN s.received_via IS NOT NULL THEN json_build_object('received_via', s.received_via)
  END, NULL, NULL
FROM seed s;
INSERT INTO raw
SELECT s.id, 10 * st.k, 'arrived', st.k, 'sistem', st.role, s.a[st.k],
  NULL, json_build_object('due_at', s.a[st.k] + interval '5 minutes'), NULL, 5
FROM seed s JOIN (VALUES {STEP_ROWS}) AS st(k, role, status, actor, above, output)
  ON st.k <= s.reached;
INSERT INTO raw
SELECT s.id, 10 * st.k + 1, 'breached', st.k, 'sistem', st.role,
  s.a[st.k] + interval '5 minutes', NULL,
  json_build_object('due_at', s.a[st.k] + interval '5 minutes',
    'minutes_over', 0.0, 'escalated_to', st.above), NULL, 5
FROM seed s JOIN (VALUES {STEP_ROWS}) AS st(k, role, status, actor, above, output)
  ON st.k <= s.done AND s.m[st.k] > 5;
INSERT INTO raw
SELECT s.id, 10 * st.k + 2, 'completed', st.k, st.actor, st.role, s.c[st.k], {STEP_INPUTS},
  json_build_object('output', st.output), round(s.m[st.k]::numeric, 2)::float8, 5
FROM seed s JOIN (VALUES {STEP_ROWS}) AS st(k, role, status, actor, above, output)
  ON st.k <= s.done;
INSERT INTO raw
SELECT s.id, 10 * s.reached + 2, 'path', s.reached,
  CASE s.reached WHEN 1 THEN 'admin1' ELSE 'kasi1' END,
  CASE s.reached WHEN 1 THEN 'admin' ELSE 'kasi' END,
  s.a[s.reached] + interval '3 minutes',
  CASE s.outcome
    WHEN 'duplicate' THEN json_build_object('original_tracking_code', p.code)
    WHEN 'declined' THEN json_build_object('reason', 'Bukan kewenangan DPMPTSP',
      'responsible_body', (ARRAY['Dinas Perhubungan', 'Dinas Lingkungan Hidup',
                                 'Satpol PP'])[1 + s.i % 3])
    ELSE json_build_object('reason', 'Mohon lampirkan nomor permohonan') END,
  json_build_object('path', CASE s.outcome WHEN 'duplicate' THEN 'mark_duplicate'
    WHEN 'declined' THEN 'decline' ELSE 'request_information' END,
    'label', CASE s.outcome WHEN 'duplicate' THEN :dup_label WHEN 'declined' THEN :decline_label
    ELSE :request_label END),
  3.0, 5
FROM seed s LEFT JOIN seed p ON p.i = s.i - 1
WHERE s.outcome IN ('duplicate', 'declined', 'no_reply');
INSERT INTO raw
SELECT s.id, 90, 'reply_reminded', NULL, 'sistem', NULL, s.a[2] + interval '5 days', NULL,
  NULL, NULL, NULL FROM seed s WHERE s.outcome = 'no_reply';
INSERT INTO raw
SELECT s.id, 91, 'closed_no_response', NULL, 'sistem', NULL, s.a[2] + interval '10 days', NULL,
  json_build_object('status', 'closed_no_response'), NULL, NULL
FROM seed s WHERE s.outcome = 'no_reply';
INSERT INTO raw
SELECT s.id, 60, 'notified', NULL, 'notifier', NULL, s.c[5] + interval '1 minute', NULL,
  json_build_object('kind', 'answer', 'channel', s.channels::json->>0, 'status', 'sent',
    'detail', NULL, 'notification_id', md5('n-answer' || s.i)::uuid::text, 'attempts', 1,
    'fallback', false), NULL, NULL
FROM seed s WHERE s.outcome IN ('closed', 'answered');
INSERT INTO raw
SELECT s.id, 80, 'rated', NULL, 'pengadu', NULL, s.c[5] + interval '1 day',
  CASE WHEN s.rra < 0.1 THEN '{{"comment": "Terima kasih"}}'::json END,
  json_build_object('round', 1, 'score', 1 + floor(s.rra * 11)::int % 4,
    'satisfied', 1 + floor(s.rra * 11)::int % 4 > 2), NULL, NULL
FROM seed s WHERE s.outcome IN ('closed', 'answered') AND s.rra < 0.35
  AND s.c[5] + interval '1 day' < CAST(:now AS timestamptz);
INSERT INTO raw
SELECT s.id, 81, 'surveyed', NULL, 'pengadu', NULL, s.c[5] + interval '1 day 1 minute', NULL,
  json_build_object('round', 1, 'scores', (SELECT json_object_agg('U' || u, 1 + (s.i + u) % 4)
                                           FROM generate_series(1, 9) u)), NULL, NULL
FROM seed s WHERE s.outcome IN ('closed', 'answered') AND s.rra < 0.35 AND s.rsu < 0.7
  AND s.c[5] + interval '1 day' < CAST(:now AS timestamptz);
INSERT INTO raw
SELECT s.id, 99, 'closed', NULL, 'sistem', NULL, s.c[5] + interval '{REOPEN_DAYS} days', NULL,
  json_build_object('reopen_until', s.c[5] + interval '{REOPEN_DAYS} days', 'status', 'closed'),
  NULL, NULL
FROM seed s WHERE s.outcome = 'closed';

INSERT INTO cases (id, tracking_code, subject, description, identity, reporter_name,
  reporter_email, reporter_phone, licence_reference, channels, received_via, taken_by, filed_via,
  service_code, status, current_step, step_arrived_at, due_at, warn_at, minutes_before_pause,
  answer, filed_at, closed_at, assignees, duplicate_of, reopen_until, answer_round, version,
  event_count)
SELECT s.id, s.code, s.subject, s.description, s.identity, s.name, s.email, s.phone, s.licence,
  s.channels::json, s.received_via, CASE WHEN s.received_via IS NOT NULL THEN 'admin1' END,
  s.filed_via, s.service_code,
  CASE s.outcome WHEN 'closed' THEN 'closed' WHEN 'answered' THEN 'answered'
    WHEN 'declined' THEN 'declined' WHEN 'duplicate' THEN 'duplicate'
    WHEN 'no_reply' THEN 'closed_no_response' ELSE st.status END,
  CASE WHEN s.outcome LIKE 'open%' THEN s.reached END,
  CASE WHEN s.outcome LIKE 'open%' THEN s.a[s.reached] END,
  CASE WHEN s.outcome LIKE 'open%' THEN s.a[s.reached] + interval '5 minutes' END,
  CASE WHEN s.outcome LIKE 'open%' THEN s.a[s.reached] + interval '4 minutes' END,
  0,
  CASE WHEN s.outcome IN ('closed', 'answered') OR s.reached = 5
    THEN 'Permohonan Anda sudah kami proses; izin dapat diunduh di OSS.' END,
  s.filed_at,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN s.c[5]
       WHEN s.outcome IN ('declined', 'no_reply') THEN s.a[2] + interval '3 minutes'
       WHEN s.outcome = 'duplicate' THEN s.a[1] + interval '3 minutes' END,
  CASE WHEN s.done >= 3 AND s.outcome LIKE 'open%' THEN '["tim1"]'::json END,
  CASE WHEN s.outcome = 'duplicate' THEN md5('pengaduan-seed-' || (s.i - 1))::uuid::text END,
  CASE WHEN s.outcome IN ('closed', 'answered')
    THEN s.c[5] + interval '{REOPEN_DAYS} days' END,
  1, 1, n.events
FROM seed s JOIN (SELECT case_id, count(*) AS events FROM raw GROUP BY case_id) n
  ON n.case_id = s.id
JOIN (VALUES {STEP_ROWS}) AS st(k, role, status, actor, above, output)
  ON st.k = LEAST(s.reached, 5)
ORDER BY s.i;

INSERT INTO case_events (case_id, sequence, kind, step, actor, role, occurred_at, input, output,
  minutes_taken, standard_minutes, within_standard)
SELECT case_id, row_number() OVER (PARTITION BY case_id ORDER BY ord), kind, step, actor, role,
  occurred_at, input, output, minutes_taken, standard_minutes,
  CASE WHEN minutes_taken IS NOT NULL THEN minutes_taken <= coalesce(standard_minutes, 0) END
FROM raw ORDER BY occurred_at, case_id, ord;

INSERT INTO case_answers (case_id, round, answered_at, reopen_until, score, comment, rated_at)
SELECT s.id, 1, s.c[5], s.c[5] + interval '{REOPEN_DAYS} days',
  (r.output->>'score')::int, r.input->>'comment', r.occurred_at
FROM seed s LEFT JOIN raw r ON r.case_id = s.id AND r.kind = 'rated'
WHERE s.outcome IN ('closed', 'answered');
INSERT INTO survey_responses (case_id, round, scores, submitted_at, message_id)
SELECT s.id, 1, (SELECT json_agg(1 + (s.i + u) % 4 ORDER BY u) FROM generate_series(1, 9) u),
  r.occurred_at, md5('survey' || s.i)::uuid::text
FROM seed s JOIN raw r ON r.case_id = s.id AND r.kind = 'surveyed';
INSERT INTO notification_outcomes (notification_id, channel, case_id, kind, status, detail,
  attempts, fallback, reported_at)
SELECT md5('n-answer' || s.i)::uuid::text, s.channels::json->>0, s.id, 'answer', 'sent', NULL, 1,
  false, s.c[5] + interval '1 minute'
FROM seed s WHERE s.outcome IN ('closed', 'answered');
"""  # noqa: S608 - the SOP's own names and numbers, no outside text

TABLES = {
    "workflow": ("cases", "case_events", "case_answers", "survey_responses",
                 "notification_outcomes"),
    "intake": ("complaints", "timeline_entries", "ratings", "surveys"),
    "notifier": ("notifications", "deliveries", "delivery_attempts"),
}  # fmt: skip

PLAIN_INDEXES = """
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename = ANY(:tables)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
"""


@dataclass
class Seeded:
    cases: int
    seconds: dict[str, float] = field(default_factory=dict)  # per service database
    rows: dict[str, int] = field(default_factory=dict)  # per table


def _params(n: int, now: datetime) -> dict[str, object]:
    from shared.sop import PATHS  # noqa: PLC0415 - only the path labels

    labels = {p.name: p.label for p in PATHS}
    return {
        "n": n,
        "now": now.isoformat(),
        "services": "{" + ",".join(s.code for s in SEED_SERVICES) + "}",
        "dup_label": labels["mark_duplicate"],
        "decline_label": labels["decline"],
        "request_label": labels["request_information"],
    }


def _run(
    url: str, script: str, params: dict[str, object], tables: tuple[str, ...], open_days: int
) -> None:
    """The seed table, then ``script``, in one transaction; then ANALYZE (the planner must know
    the new size, as autovacuum would tell it soon after a real import)."""
    script = (SEED_TABLE + script).replace(":open_days", str(open_days))
    script = script.replace(":answered_days", str(ANSWERED_DAYS))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # Plain indexes are built once after the rows rather than kept row by row (a sorted
            # build is several times faster); those behind a constraint stay and check.
            rebuilt = [
                (row.indexname, row.indexdef)
                for row in conn.execute(text(PLAIN_INDEXES), {"tables": list(tables)})
            ]
            for name, _ in rebuilt:
                conn.execute(text(f'DROP INDEX "{name}"'))
            for statement in _statements(script):
                used = {k: v for k, v in params.items() if f":{k}" in statement}
                conn.execute(text(statement), used)
            for _, definition in rebuilt:
                conn.execute(text(definition))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def _statements(script: str) -> list[str]:
    """Split on the semicolons that end a line (none stands inside the statements' quotes),
    keeping the function's dollar-quoted body whole."""
    parts, current = [], []
    for line in script.splitlines():
        current.append(line)
        if line.rstrip().endswith(";") and not line.lstrip().startswith("CREATE FUNCTION"):
            parts.append("\n".join(current).strip())
            current = []
    tail = "\n".join(current).strip()
    return [p for p in [*parts, tail] if p]


def seed(urls: dict[str, str], n: int, now: datetime, *, open_days: int = OPEN_DAYS) -> Seeded:
    """Fill the three services' freshly migrated databases with ``n`` cases filed over the two
    years before ``now``; those of the last ``open_days`` still open (a test of a few hundred
    cases asks for more days, to have some on each worklist)."""
    result = Seeded(cases=n)
    params = _params(n, now)
    for service, script in (("workflow", WORKFLOW_SQL), ("intake", INTAKE_SQL),
                            ("notifier", NOTIFIER_SQL)):  # fmt: skip
        started = time.perf_counter()
        _run(urls[service], script, params, TABLES[service], open_days)
        fill_totals(service, urls[service])
        result.seconds[service] = time.perf_counter() - started
        engine = create_engine(urls[service])
        try:
            with engine.connect() as conn:
                for table in TABLES[service]:
                    result.rows[table] = conn.execute(
                        text(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own names
                    ).scalar_one()
        finally:
            engine.dispose()
    return result
