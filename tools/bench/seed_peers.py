"""The intake's and the notifier's share of the bench's seeded record (``tools.bench.seed``):
each statement reads the ``seed`` table that module builds in the same database first. And
the running figures every service keeps as it writes, made from the seeded rows."""

from __future__ import annotations

from sqlalchemy import create_engine

from shared.sop import STEPS

# Each status the complainant was told, in order, per outcome: one timeline entry each.
_STATUS_ROWS = ", ".join(f"({s.number}, '{s.status}')" for s in STEPS)

INTAKE_SQL = f"""
CREATE TEMP TABLE told AS
SELECT s.id, st.k AS ord, st.status, s.a[st.k] AS occurred_at
FROM seed s JOIN (VALUES {_STATUS_ROWS}) AS st(k, status) ON st.k <= s.reached
UNION ALL
SELECT s.id, 10, CASE s.outcome WHEN 'duplicate' THEN 'duplicate' WHEN 'declined' THEN 'declined'
  ELSE 'information_requested' END, s.a[s.reached] + interval '3 minutes'
FROM seed s WHERE s.outcome IN ('duplicate', 'declined', 'no_reply')
UNION ALL
SELECT s.id, 11, 'closed_no_response', s.a[2] + interval '10 days'
FROM seed s WHERE s.outcome = 'no_reply'
UNION ALL
SELECT s.id, 12, 'answered', s.c[5] + interval '1 minute'
FROM seed s WHERE s.outcome IN ('closed', 'answered')
UNION ALL
SELECT s.id, 13, 'closed', s.c[5] + interval '10 days' FROM seed s WHERE s.outcome = 'closed';

INSERT INTO complaints (id, tracking_code, access_token_hash, identity, reporter_name,
  reporter_email, reporter_phone, subject, description, licence_reference, channels, received_via,
  taken_by, filed_via, service_code, status, status_sequence, answer, answered_at, created_at,
  reopen_until, consent_at, privacy_notice_version)
SELECT s.id, s.code, encode(sha256(convert_to('token-' || s.i, 'UTF8')), 'hex'), s.identity,
  s.name, s.email, s.phone, s.subject, s.description, s.licence, s.channels::json,
  s.received_via, CASE WHEN s.received_via IS NOT NULL THEN 'admin1' END, s.filed_via,
  s.service_code, last.status, last.entries,
  CASE WHEN s.outcome IN ('closed', 'answered')
    THEN 'Permohonan Anda sudah kami proses; izin dapat diunduh di OSS.' END,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN s.c[5] + interval '1 minute' END,
  s.filed_at,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN s.c[5] + interval '10 days' END,
  s.filed_at, '2026-12'
FROM seed s JOIN (
  SELECT DISTINCT ON (id) id, status, count(*) OVER (PARTITION BY id) AS entries
  FROM told ORDER BY id, ord DESC
) last ON last.id = s.id
ORDER BY s.i;

INSERT INTO timeline_entries (complaint_id, status, occurred_at, message_id, note)
SELECT t.id, t.status, t.occurred_at, md5('timeline-' || t.id || '-' || t.ord)::uuid::text, NULL
FROM told t ORDER BY t.occurred_at;

INSERT INTO ratings (complaint_id, answered_at, score, comment, message_id, created_at)
SELECT s.id, s.c[5] + interval '1 minute', 1 + floor(s.rra * 11)::int % 4,
  CASE WHEN s.rra < 0.1 THEN 'Terima kasih' END, md5('rating' || s.i)::uuid::text,
  s.c[5] + interval '1 day'
FROM seed s WHERE s.outcome IN ('closed', 'answered') AND s.rra < 0.35
  AND s.c[5] + interval '1 day' < CAST(:now AS timestamptz);

INSERT INTO surveys (complaint_id, answered_at, scores, message_id, created_at)
SELECT s.id, s.c[5] + interval '1 minute',
  (SELECT json_agg(1 + (s.i + u) % 4 ORDER BY u) FROM generate_series(1, 9) u),
  md5('survey-intake' || s.i)::uuid::text, s.c[5] + interval '1 day 1 minute'
FROM seed s WHERE s.outcome IN ('closed', 'answered') AND s.rra < 0.35 AND s.rsu < 0.7
  AND s.c[5] + interval '1 day' < CAST(:now AS timestamptz);
"""  # noqa: S608 - the SOP's own statuses, no outside text

# Per case: "registered" at filing, then "answer" (or the decline or the duplicate's notice).
NOTIFIER_SQL = """
CREATE TEMP TABLE sent AS
SELECT md5('n-registered' || s.i)::uuid::text AS message_id, 'registered' AS kind,
  s.filed_at + interval '10 seconds' AS at, NULL AS answer, s.*
FROM seed s
UNION ALL
SELECT md5('n-answer' || s.i)::uuid::text,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN 'answer' ELSE s.outcome END,
  CASE WHEN s.outcome IN ('closed', 'answered') THEN s.c[5] ELSE s.a[s.reached] END
    + interval '1 minute',
  CASE WHEN s.outcome IN ('closed', 'answered')
    THEN 'Permohonan Anda sudah kami proses; izin dapat diunduh di OSS.' END, s.*
FROM seed s WHERE s.outcome IN ('closed', 'answered', 'declined', 'duplicate');

INSERT INTO notifications (message_id, kind, tracking_code, recipient, channels, subject, answer,
  created_at)
SELECT n.message_id, n.kind, n.code,
  CASE WHEN n.name IS NOT NULL
    THEN json_build_object('name', n.name, 'email', n.email, 'phone', n.phone) END,
  n.channels::json, n.subject, n.answer, n.at
FROM sent n ORDER BY n.at;

CREATE TEMP TABLE tried AS
SELECT n.message_id, n.kind, n.code, c.channel, n.at, n.email, n.phone,
  pg_temp.r(n.i, 'fail' || n.kind || c.channel) < 0.03 AS failed
FROM sent n CROSS JOIN LATERAL json_array_elements_text(n.channels::json) AS c(channel);

INSERT INTO deliveries (message_id, kind, tracking_code, channel, recipient, status, detail,
  gateway_reference, attempts, resends, fallback, created_at, sent_at)
SELECT t.message_id, t.kind, t.code, t.channel,
  CASE t.channel WHEN 'email' THEN t.email WHEN 'sms' THEN t.phone END,
  CASE WHEN t.failed THEN 'failed' ELSE 'sent' END,
  CASE WHEN t.failed THEN '550 mailbox unavailable' END,
  CASE WHEN t.channel = 'sms' AND NOT t.failed THEN 'sms-' || left(t.message_id, 8) END,
  1, 0, false, t.at, CASE WHEN NOT t.failed THEN t.at + interval '2 seconds' END
FROM tried t ORDER BY t.at;

INSERT INTO delivery_attempts (notification_id, channel, attempt, outcome, detail, occurred_at)
SELECT t.message_id, t.channel, 1, CASE WHEN t.failed THEN 'failed' ELSE 'sent' END,
  CASE WHEN t.failed THEN '550 mailbox unavailable' END, t.at + interval '2 seconds'
FROM tried t ORDER BY t.at;
"""


def fill_totals(service: str, url: str) -> None:
    """The running figures ``service`` keeps as it writes, from the rows the seed wrote in SQL
    (intake's and the notifier's triggers are off while it writes: ``session_replication_role``)."""
    from services.intake import complaint_totals  # noqa: PLC0415 - each defined once
    from services.notifier import delivery_totals  # noqa: PLC0415
    from services.workflow.sla import answer_minutes, step_totals  # noqa: PLC0415

    fills = {
        "workflow": (step_totals.refill, answer_minutes.fill),
        "intake": (complaint_totals.refill,),
        "notifier": (delivery_totals.refill,),
    }
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for fill in fills.get(service, ()):
                fill(conn)
    finally:
        engine.dispose()
