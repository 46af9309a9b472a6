"""The verdict of a chaos run, read from the databases, the queues and what the SMTP server and
the SMS gateway received: nothing lost, nothing doubled, no case stuck; and its report."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, cast

import redis
from rich.console import Console, Group
from rich.table import Table
from sqlalchemy import create_engine, inspect, text

from shared.messaging.celery_app import ALL_QUEUES
from shared.messaging.queue_keys import queue_length
from tools.chaos.healing import heal_table
from tools.chaos.results import FAULT_TYPES, KINDS, Results
from tools.chaos.system import System


def _rows(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def _outbox_pending(urls: dict[str, str]) -> int:
    pending = 0
    for url in urls.values():
        engine = create_engine(url)
        try:
            if "outbox" in inspect(engine).get_table_names():
                with engine.connect() as conn:
                    pending += conn.execute(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    ).scalar_one()
        finally:
            engine.dispose()
    return pending


def _dead_letters(urls: dict[str, str]) -> int:
    kept = 0
    for url in urls.values():
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                kept += conn.execute(text("SELECT count(*) FROM failed_messages")).scalar_one()
        finally:
            engine.dispose()
    return kept


def _queues(broker_url: str) -> dict[str, int]:
    client = redis.Redis.from_url(broker_url)
    try:
        depth = {queue: queue_length(client, queue) for queue in ALL_QUEUES}
        depth["unacked"] = cast(int, client.hlen("unacked"))
        return depth
    finally:
        client.close()


def _kind_of_email(subject: str) -> str:
    if "telah kami terima" in subject:
        return "filed"
    if "telah teregister" in subject:
        return "registered"
    if "telah diverifikasi" in subject:
        return "verified"
    if subject.startswith("Jawaban pengaduan"):
        return "answer"
    return "other"


def _kind_of_sms(text_: str) -> str:
    if "diterima dengan kode" in text_:
        return "filed"
    if "telah teregister" in text_:
        return "registered"
    if "telah diverifikasi" in text_:
        return "verified"
    if text_.startswith("Jawaban pengaduan"):
        return "answer"
    return "other"


CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{5,}")


def _code_in(text_: str, codes: set[str]) -> str | None:
    return next((c for c in CODE.findall(text_) if c in codes), None)


@dataclass
class Tally:
    """What reached the citizens, by (tracking code, kind): each copy's idempotency key."""

    emails: dict[tuple[str, str], list[str]]
    sms: dict[tuple[str, str], list[str]]
    strays: list[str]


def tally(system: System, codes: set[str]) -> Tally:
    emails: dict[tuple[str, str], list[str]] = defaultdict(list)
    sms: dict[tuple[str, str], list[str]] = defaultdict(list)
    strays: list[str] = []
    for message in list(system.smtp.inbox.messages):
        subject = str(message["Subject"])
        code = _code_in(subject, codes)
        if code is None:
            strays.append(f"email {subject!r}")
            continue
        emails[(code, _kind_of_email(subject))].append(str(message["Message-ID"]))
    for request in system.gateway.requests:
        code = _code_in(request["message"], codes)
        if code is None:
            strays.append(f"sms {request['message']!r}")
            continue
        key = request["headers"].get("Idempotency-Key", "")
        sms[(code, _kind_of_sms(request["message"]))].append(key)
    return Tally(emails, sms, strays)


def quiet(system: System, codes: set[str]) -> tuple[bool, str]:
    """Every accepted complaint answered and delivered, every queue empty, every outbox sent."""
    urls = system.database_urls
    try:
        answered = {
            row[0]
            for row in _rows(
                urls["intake"], "SELECT tracking_code FROM complaints WHERE status = 'answered'"
            )
        }
        open_cases = _rows(urls["workflow"], "SELECT count(*) FROM cases WHERE closed_at IS NULL")[
            0
        ][0]
        depth = _queues(system.broker_url)
        pending = _outbox_pending(urls)
    except Exception as exc:  # Redis or a database busy: not quiet yet
        return False, f"not readable yet: {exc}"
    t = tally(system, codes)
    delivered = sum(1 for c in codes for k in KINDS if t.emails.get((c, k)) and t.sms.get((c, k)))
    state = (
        f"answered {len(codes & answered)}/{len(codes)}, open cases {open_cases}, "
        f"delivered {delivered}/{len(codes) * len(KINDS)}, queued {sum(depth.values())}, "
        f"outbox {pending}"
    )
    done = (
        codes <= answered
        and open_cases == 0
        and delivered == len(codes) * len(KINDS)
        and not any(depth.values())
        and pending == 0
    )
    return done, state


def verdict(system: System, codes: set[str], results: Results) -> None:  # noqa: PLR0912
    urls = system.database_urls
    cases = {
        row[0]: (row[1], row[2])
        for row in _rows(urls["workflow"], "SELECT tracking_code, id, closed_at FROM cases")
    }
    events: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
    for case_id, kind, step in _rows(
        urls["workflow"], "SELECT case_id, kind, step FROM case_events"
    ):
        events[case_id][(kind, step)] += 1
    statuses = dict(_rows(urls["intake"], "SELECT tracking_code, status FROM complaints"))
    for code in sorted(codes):
        if code not in cases:
            results.lost.append(f"{code}: no case in the workflow")
            continue
        case_id, closed_at = cases[code]
        for step in range(1, 6):
            completed = events[case_id][("completed", step)]
            arrived = events[case_id][("arrived", step)]
            if completed == 0:
                results.lost.append(f"{code}: step {step} never completed")
            elif completed > 1:
                results.duplicated.append(f"{code}: step {step} completed {completed} times")
            if arrived > 1:
                results.duplicated.append(f"{code}: arrived at step {step} {arrived} times")
        if closed_at is None:
            results.stuck.append(f"{code}: case still open")
        if statuses.get(code) != "answered":
            results.stuck.append(f"{code}: the citizen reads {statuses.get(code)!r}")
    for code in sorted(set(cases) - codes):
        results.unexpected.append(f"{code}: a case nobody was told was accepted")
    t = tally(system, codes)
    results.emails = sum(len(v) for v in t.emails.values())
    results.sms = sum(len(v) for v in t.sms.values())
    for channel, got in (("email", t.emails), ("sms", t.sms)):
        for code in sorted(codes):
            for kind in KINDS:
                copies = got.get((code, kind), [])
                if not copies:
                    results.lost.append(f"{code}: no {kind} {channel}")
                elif len(copies) > 1 and len(set(copies)) == 1:
                    # The same Message-ID / Idempotency-Key: the documented at-least-once window
                    # (provider accepted, worker died before its commit), not a second effect.
                    results.at_least_once.append(
                        f"{code}: {kind} {channel} sent {len(copies)} times with one key"
                    )
                elif len(copies) > 1:
                    results.duplicated.append(
                        f"{code}: {kind} {channel} sent {len(copies)} times, keys {set(copies)}"
                    )
        for (code, kind), copies in got.items():
            if kind not in KINDS:
                results.unexpected.append(f"{code}: {len(copies)} unexpected {channel}")
    results.unexpected.extend(t.strays)
    results.dead_letters = _dead_letters(urls)


def report(results: Results, console: Console) -> None:
    table = Table(title=f"Chaos suite, seed {results.seed}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("complaints accepted", str(results.complaints_accepted))
    for fault in FAULT_TYPES:
        if results.faults[fault]:
            table.add_row(f"fault: {fault}", str(results.faults[fault]))
    table.add_row("faults in all", str(sum(results.faults.values())))
    table.add_row("emails / SMS received", f"{results.emails} / {results.sms}")
    table.add_row("filing retries (by cause)", _counts(results.filing_errors))
    table.add_row("staff retries (by cause)", _counts(results.staff_errors))
    table.add_row(
        "409 after a retry (earlier try had succeeded)", str(results.conflicts_after_retry)
    )
    table.add_row("409 on a first try (stale worklist)", str(results.conflicts_stale))
    table.add_row("lost", str(len(results.lost)), style="red" if results.lost else "green")
    table.add_row(
        "duplicated", str(len(results.duplicated)), style="red" if results.duplicated else "green"
    )
    table.add_row(
        "at-least-once window (same key, see RELIABILITY)", str(len(results.at_least_once))
    )
    table.add_row("stuck", str(len(results.stuck)), style="red" if results.stuck else "green")
    table.add_row("unexpected (untracked cases, stray messages)", str(len(results.unexpected)))
    table.add_row(
        "dead letters (none is unfixable here)",
        str(results.dead_letters),
        style="red" if results.dead_letters else "green",
    )
    table.add_row(
        "faults not healed in time",
        str(len(results.unhealed)),
        style="red" if results.unhealed else "green",
    )
    table.add_row("workers that exited by themselves (restarted)", str(len(results.crashes)))
    table.add_row("settled", "yes" if results.settled else "NO (timed out)")
    table.add_row("time", f"{results.seconds:.0f} s")
    console.print(table)
    console.print(heal_and_memory(results))
    for title, items in (
        ("lost", results.lost),
        ("duplicated", results.duplicated),
        ("at-least-once window", results.at_least_once),
        ("stuck", results.stuck),
        ("unexpected", results.unexpected),
        ("worker crash", results.crashes),
        ("not healed", results.unhealed),
    ):
        for item in items[:50]:
            console.print(f"[bold]{title}[/bold]: {item}")
    console.print(f"seed {results.seed}; work directory {results.workdir}")


def heal_and_memory(results: Results) -> Group:
    """Each kind of fault's time to heal (p50 and max, from its start until every part answers
    again), and each service's memory before the faults and after the run settled."""
    heals = Table(title="Time to heal (from the fault's start until every part answers)")
    for column in ("fault", "faults", "p50", "max"):
        heals.add_column(column, justify="left" if column == "fault" else "right")
    for kind, (count, median, longest) in heal_table(results.heals).items():
        heals.add_row(kind, str(count), f"{median:.1f} s", f"{longest:.1f} s")
    memory = Table(title="Memory (PSS MiB, each service's processes with their pool)")
    marks = _quarters(results.memory_series)
    columns = ["before", *(f"{share}% of faults" for share, _ in marks), "settled", "change"]
    memory.add_column("processes")
    for column in columns:
        memory.add_column(column, justify="right")
    for name in sorted(results.memory_before.keys() | results.memory_after.keys()):
        before = results.memory_before.get(name, 0.0)
        after = results.memory_after.get(name, 0.0)
        through = [f"{sample.get(name, 0.0):.0f}" for _, sample in marks]
        memory.add_row(name, f"{before:.0f}", *through, f"{after:.0f}", f"{after - before:+.0f}")
    return Group(heals, memory)


def _quarters(series: list[dict[str, float]]) -> list[tuple[int, dict[str, float]]]:
    """The samples taken a quarter, half, three quarters and all of the way through the faults."""
    if not series:
        return []
    return [(share, series[max(0, len(series) * share // 100 - 1)]) for share in (25, 50, 75, 100)]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())) or "0"
