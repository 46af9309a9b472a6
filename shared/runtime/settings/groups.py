"""The settings of how the project runs, one group per thing an operator sets up: the mode and
data, the broker, the outbox, staff login, the web addresses, the office
calendar and its SLA, the attachments and their store, logs, metrics and the
test-only fault injection.

Each field reads the variable its ``validation_alias`` names (``PENGADUAN_*``, unchanged since
the settings were one flat class); its ``description`` is what docs/CONFIGURATION.md says of
it. The notification channels' groups are in ``shared.runtime.settings.channels``, the databases'
in ``shared.runtime.settings.databases``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from shared.runtime.settings.project import PROJECT_ROOT, SERVICES


def setting(variable: str, default: Any, description: str, **constraints: Any) -> Any:
    """A field read from ``variable``; the constraints are ``Field``'s (``ge``, ``min_length``)."""
    return Field(default, validation_alias=variable, description=description, **constraints)


def masked_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}:" if parts.username else ":"
    return urlunsplit(parts._replace(netloc=f"{user}***@{netloc}"))


class Group(BaseModel):
    """A group of settings. Built by field name (``Settings(mail={"port": 587})``) or by variable;
    a misspelt name is an error, not a setting silently ignored."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, extra="forbid")

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # URLs may carry a password (postgresql://user:password@host/db): shown masked, so a
        # log line that prints the settings never prints a password. SecretStr masks the rest.
        for name, value in super().__repr_args__():
            is_url = name is not None and name.endswith("url") and isinstance(value, str)
            yield name, masked_url(value) if is_url else value


class DeploymentSettings(Group):
    """Deployment: how this installation runs and where it keeps its files."""

    mode: Literal["embedded", "production"] = setting(
        "PENGADUAN_MODE",
        "embedded",
        "`production` (compose sets it): every API, worker, beat and `python -m "
        "shared.database.migrations` refuses to start, naming each problem, while the JWT secret "
        "is missing, short or a placeholder, a database URL is unset or SQLite, "
        "`PENGADUAN_REDIS_URL` is unset, secure cookies are off, or the workflow database has a "
        "demo user with the demo password (shared/runtime/production_checks.py). `embedded` is "
        "`make run` with nothing set.",
    )
    data_dir: Path = setting(
        "PENGADUAN_DATA_DIR",
        PROJECT_ROOT / "var",
        "Where the embedded default keeps its files: the SQLite databases, Redis's data, kept "
        "mail, the generated JWT secret and VAPID key, beat's schedule and Flower's history.",
    )


class BrokerSettings(Group):
    """Broker: the Redis every queue, lock and limit lives in."""

    redis_url: str | None = setting(
        "PENGADUAN_REDIS_URL",
        None,
        "The broker. Unset is the embedded default: `make run` starts its own Redis, its data "
        "under the data directory (`redis/`), and the JWT secret and Web Push key are made up "
        "and kept there too.",
    )
    embedded_redis_port: int = setting(
        "PENGADUAN_EMBEDDED_REDIS_PORT", 6389, "The port of the Redis `make run` starts itself."
    )
    visibility_timeout: int = setting(
        "PENGADUAN_BROKER_VISIBILITY_TIMEOUT",
        30,
        "Seconds after a worker last vouched for a message it holds before any worker gives it "
        "back to its queue (the task of a SIGKILLed worker). A live worker vouches for every "
        "message it holds every third of this (`shared.messaging.broker_transport`), so a slow "
        "task or a retry's countdown is not delivered twice; with the restore interval, a killed "
        "worker's task runs again within a minute.",
        ge=2,
    )
    restore_interval: int = setting(
        "PENGADUAN_BROKER_RESTORE_INTERVAL",
        5,
        "Seconds between the broker transport's looks for unacknowledged messages to restore.",
        ge=1,
    )

    @property
    def url(self) -> str:
        if self.redis_url is not None:
            return self.redis_url
        return f"redis://127.0.0.1:{self.embedded_redis_port}/0"


class OutboxSettings(Group):
    """Outbox: how a message written beside a change reaches the broker."""

    poll_seconds: float = setting(
        "PENGADUAN_OUTBOX_POLL_SECONDS",
        0.5,
        "How often a relay thread looks for rows that could not be published at once.",
        gt=0,
    )
    # 1 s by the bench (docs/BENCHMARKS.md, "Lingering bookkeeping"): a burst's bookkeeping
    # tasks per complaint fell from 5.3 at 0.2 s to 2.4 at 0.5 s and 1.1 at 1 s, the hop
    # latencies moving with the machine's load, not the linger (no hand-off lingers). Its cost
    # is a status change on the tracking page and a delivery on the case's record up to 1 s
    # later, which nobody waits on; longer would buy little more and start to show.
    batch_linger_seconds: float = setting(
        "PENGADUAN_OUTBOX_BATCH_LINGER_SECONDS",
        1.0,
        "How long a relay thread holds a bookkeeping message (a status change, an answer or an "
        "inbox hand-over for intake, a delivery report for the workflow) for others bound for "
        "the same queue to travel with it as one batch; hand-offs between steps and messages "
        "to the complainant never wait. The tracking page shows a status change up to this "
        "much later. The default is measured: a burst's bookkeeping tasks fell to a fifth of "
        'what 0.2 s left, with no hop slower (docs/BENCHMARKS.md, "Lingering bookkeeping"). '
        "0 sends every message at once; at most half the claim lease is used.",
        ge=0,
    )
    claim_seconds: int = setting(
        "PENGADUAN_OUTBOX_CLAIM_SECONDS",
        30,
        "How long a relay leases the outbox rows it is sending: after that another relay may "
        "send them (the first one died on the way).",
        ge=1,
    )
    redrive_seconds: float = setting(
        "PENGADUAN_OUTBOX_REDRIVE_SECONDS",
        120,
        "This long after an outbox message was first published, it is sent once more unless "
        "a consumer left its receipt in Redis: for one lost between kombu taking it off its "
        "queue and recording it as unacknowledged (docs/RELIABILITY.md); consumers drop a "
        "needless copy.",
        ge=1,
    )


class AuthSettings(Group):
    """Staff login: the token secret and the lockout after failed logins."""

    jwt_secret: SecretStr | None = setting(
        "PENGADUAN_JWT_SECRET",
        None,
        "Signs staff tokens (32+ random characters). Embedded: a random one is kept in "
        "`var/jwt-secret`; required otherwise, the same for every API and worker.",
        min_length=32,
    )
    jwt_previous_secret: SecretStr | None = setting(
        "PENGADUAN_JWT_PREVIOUS_SECRET",
        None,
        "Only while rotating the secret: tokens signed with it still count until they expire, "
        "so no one is logged out; new tokens are signed with the JWT secret only "
        "(docs/OPERATIONS.md).",
        min_length=32,
    )
    jwt_ttl_minutes: int = setting(
        "PENGADUAN_JWT_TTL_MINUTES", 480, "Staff token lifetime, in minutes.", ge=1
    )
    login_max_failures_per_username: int = setting(
        "PENGADUAN_LOGIN_MAX_FAILURES_PER_USERNAME",
        5,
        "Failed logins within the window that lock a username out (counted in Redis, so every "
        "API process shares the count).",
        ge=1,
    )
    login_max_failures_per_client: int = setting(
        "PENGADUAN_LOGIN_MAX_FAILURES_PER_CLIENT",
        20,
        "Failed logins within the window that lock a client address out.",
        ge=1,
    )
    login_failure_window_seconds: int = setting(
        "PENGADUAN_LOGIN_FAILURE_WINDOW_SECONDS",
        900,
        "The window failed logins are counted in, in seconds.",
        ge=1,
    )
    login_lockout_seconds: int = setting(
        "PENGADUAN_LOGIN_LOCKOUT_SECONDS", 900, "How long a lockout lasts, in seconds.", ge=1
    )


class WebSettings(Group):
    """Web: the ports `make run` listens on, the public addresses and the cookies."""

    intake_port: int = setting("PENGADUAN_INTAKE_PORT", 8001, "The intake API's port (`make run`).")
    workflow_port: int = setting(
        "PENGADUAN_WORKFLOW_PORT", 8002, "The workflow API's port (`make run`)."
    )
    flower_port: int = setting("PENGADUAN_FLOWER_PORT", 5555, "Flower's port (`make run`).")
    public_intake_url: str = setting(
        "PENGADUAN_PUBLIC_INTAKE_URL",
        "http://127.0.0.1:8001",
        "The citizens' portal as citizens reach it: the links in their messages.",
    )
    public_workflow_url: str = setting(
        "PENGADUAN_PUBLIC_WORKFLOW_URL",
        "http://127.0.0.1:8002",
        "The staff console as staff reach it: the links in their messages.",
    )
    secure_cookies: bool | None = setting(
        "PENGADUAN_SECURE_COOKIES",
        None,
        "Send the portal's and the console's cookies over HTTPS only (`Secure`). Unset: on in "
        "production, off in the embedded default (plain http on 127.0.0.1).",
    )

    def tracking_url(self, tracking_code: str) -> str:
        """The citizen's tracking page for one complaint (the access token is asked there)."""
        return f"{self.public_intake_url.rstrip('/')}/lacak?kode={quote(tracking_code)}"

    def access_link_url(self, token: str) -> str:
        """The one-time link that lets a complainant set a new access token."""
        return f"{self.public_intake_url.rstrip('/')}/lacak/pulihkan?token={quote(token)}"

    @property
    def console_url(self) -> str:
        return f"{self.public_workflow_url.rstrip('/')}/console"


class OfficeSettings(Group):
    """Office calendar: the 5-minute standard (Mutu Baku) counts office time only."""

    timezone: str = setting("PENGADUAN_OFFICE_TIMEZONE", "Asia/Jakarta", "The office's time zone.")
    hours: dict[str, str] = setting(
        "PENGADUAN_OFFICE_HOURS",
        {
            "mon": "07:30-12:00,13:00-16:00",
            "tue": "07:30-12:00,13:00-16:00",
            "wed": "07:30-12:00,13:00-16:00",
            "thu": "07:30-12:00,13:00-16:00",
            "fri": "07:30-11:30,13:00-16:00",
        },
        'Hours per weekday (JSON) as "HH:MM-HH:MM" periods, the rest break left out (on Friday '
        "the longer break for Friday prayers); a day not listed is closed.",
    )
    holidays_country: str | None = setting(
        "PENGADUAN_OFFICE_HOLIDAYS_COUNTRY",
        "ID",
        "National holidays come from the `holidays` package for this country; `none` switches "
        "them off.",
    )
    closed_dates: list[date] = setting(
        "PENGADUAN_OFFICE_CLOSED_DATES",
        [],
        "The office's own closed dates (cuti bersama, local days off), a JSON list of ISO dates.",
    )

    @field_validator("holidays_country")
    @classmethod
    def _no_country(cls, value: str | None) -> str | None:
        # An empty variable means the default, so "none" is how to switch national holidays off.
        return None if value is None or value.lower() == "none" else value


class SlaSettings(Group):
    """SLA: the sweep that warns and reports breaches of a step's standard time."""

    warning_share: float = setting(
        "PENGADUAN_SLA_WARNING_SHARE",
        0.8,
        "A warning goes to the role at this share of a step's standard; a breach at the standard.",
        gt=0,
        lt=1,
    )
    sweep_seconds: float = setting(
        "PENGADUAN_SLA_SWEEP_SECONDS",
        30.0,
        "How often the sweep runs (Celery beat, one scheduler).",
        gt=0,
    )
    reply_office_days: int = setting(
        "PENGADUAN_SLA_REPLY_OFFICE_DAYS",
        10,
        "Office days a complainant has to reply to a request for information (on the office "
        "calendar); a reminder goes out halfway, and at the deadline the case closes as "
        "ditutup \N{EN DASH} tidak ada tanggapan.",
        ge=1,
        le=60,
    )
    reopen_office_days: int = setting(
        "PENGADUAN_SLA_REOPEN_OFFICE_DAYS",
        10,
        "Office days after the answer in which the complainant may have the case reopened "
        "(dibuka kembali) by a tidak puas rating or a request; after them the case is closed "
        "(ditutup).",
        ge=1,
        le=60,
    )
    head_of_office_emails: list[str] = setting(
        "PENGADUAN_HEAD_OF_OFFICE_EMAILS",
        [],
        "Who hears of a breach by the Koordinator, whom no role in the SOP supervises: the head "
        "of office (Kepala Dinas) and whoever else the office lists, as a JSON list of emails.",
    )


class LogSettings(Group):
    """Logs: every process's lines on stderr, each with its request id and tracking code."""

    format: Literal["json", "text"] = setting(
        "PENGADUAN_LOG_FORMAT",
        "json",
        "One JSON object per line (for a log collector; docs/OPERATIONS.md), or text for a "
        "person at a terminal (`make run` sets `text`).",
    )
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = setting(
        "PENGADUAN_LOG_LEVEL", "INFO", "The lowest level logged."
    )


class MetricsSettings(Group):
    """Metrics: the APIs serve theirs at /metrics; each worker on a port of its own."""

    intake_port: int | None = setting(
        "PENGADUAN_INTAKE_METRICS_PORT", None, "The intake worker's metrics port (unset: none)."
    )
    workflow_port: int | None = setting(
        "PENGADUAN_WORKFLOW_METRICS_PORT",
        None,
        "The workflow worker's metrics port (unset: none).",
    )
    notifier_port: int | None = setting(
        "PENGADUAN_NOTIFIER_METRICS_PORT",
        None,
        "The notifier worker's metrics port (unset: none).",
    )

    def port(self, service: str) -> int | None:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}")
        port: int | None = getattr(self, f"{service}_port")
        return port


class FaultSettings(Group):
    """Fault injection: for the chaos tests only, never in a real installation."""

    pause_at: str | None = setting(
        "PENGADUAN_FAULT_PAUSE_AT",
        None,
        "The named checkpoint blocks until the process is killed.",
    )
