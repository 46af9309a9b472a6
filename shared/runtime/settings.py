"""One typed settings object for every service, read from ``PENGADUAN_*`` environment variables.

Left unset, every setting takes the embedded default: SQLite files and a Redis server the
project starts itself, all under ``var/``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "workflow", "notifier")


class UnusableSettings(RuntimeError):
    """Settings a process must not start with: each problem is one line naming its variable.

    ``context`` says what makes the problems problems (" in production mode ..."), so the
    entry point that reports them (``shared.runtime.preflight``) can name itself in front of it.
    """

    def __init__(
        self, problems: list[str], context: str = "", process: str = "this process"
    ) -> None:
        self.problems = problems
        self.context = context
        super().__init__(self.message(process))

    def message(self, process: str) -> str:
        lines = "".join(f"\n  - {problem}" for problem in self.problems)
        return f"{process} refuses to start{self.context}:{lines}"


class Settings(BaseSettings):
    """Everything configurable, in one place; services read nothing from ``os.environ``."""

    # An empty variable counts as unset (compose passes `${X:-}` through as "").
    model_config = SettingsConfigDict(
        env_prefix="PENGADUAN_", extra="ignore", env_ignore_empty=True
    )

    data_dir: Path = PROJECT_ROOT / "var"

    # "production": every process refuses to start while a setting is unsafe (a placeholder or
    # missing JWT secret, SQLite, no Redis, insecure cookies, demo users); see
    # shared/runtime/production_checks.py. "embedded" (the default) is `make run` with nothing set.
    mode: Literal["embedded", "production"] = "embedded"

    # Broker. Unset means "embedded": `make run` starts its own Redis under var/.
    redis_url: str | None = None
    embedded_redis_port: int = 6389
    broker_visibility_timeout: int = Field(
        default=300,
        ge=2,
        description="Seconds before kombu re-delivers an unacknowledged message (e.g. the task "
        "of a SIGKILLed worker). Every task here finishes in seconds, so minutes is safe.",
    )
    broker_restore_interval: int = Field(default=5, ge=1)

    # Each service owns its own database.
    intake_database_url: str | None = None
    workflow_database_url: str | None = None
    notifier_database_url: str | None = None
    # PostgreSQL connections each process keeps open, and how many more it may open at a peak
    # (closed again after). An API process serves up to ~40 requests at once in its thread
    # pool; a worker process needs one. Mind PostgreSQL's max_connections (100 by default)
    # across every process: compose runs two API processes per API container.
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)

    # Outbox relay: how often a relay thread looks for rows that could not be published at once.
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_claim_seconds: int = Field(default=30, ge=1)
    # Every outbox message is sent once more this long after it was first published: a message
    # kombu popped but had not yet recorded as unacknowledged is lost to a worker killed (or a
    # Redis stopped) in between; consumers drop the copy when the first arrived.
    outbox_redrive_seconds: float = Field(default=120, ge=1)

    # Staff authentication.
    jwt_secret: SecretStr | None = Field(default=None, min_length=32)
    # While the secret is rotated: tokens signed with the one before still count until they expire
    # (jwt_ttl_minutes), so no one is logged out; new tokens are signed with jwt_secret only.
    jwt_previous_secret: SecretStr | None = Field(default=None, min_length=32)
    jwt_ttl_minutes: int = Field(default=480, ge=1)
    # Login lockout, counted in Redis so every API process shares it: this many failures within
    # the window lock the username (or the client address) out for the lockout's length.
    login_max_failures_per_username: int = Field(default=5, ge=1)
    login_max_failures_per_client: int = Field(default=20, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)

    # Email. Unset host: mail is kept in a Maildir under var/mail for a person to read.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_timeout_seconds: float = 30.0
    # "starttls" upgrades a plain connection (usually port 587); "ssl" is TLS from the first
    # byte (usually 465). The server's certificate is always checked against the system's CAs,
    # plus ``smtp_ca_file`` (a private CA) when set. Login when a username is set.
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_ca_file: Path | None = None
    mail_from: str = "Pengaduan DPMPTSP Kota Madiun <pengaduan@dpmptsp.madiun.go.id>"

    # SMS over an HTTP gateway. Unset URL: the SMS channel is not configured, and an SMS
    # delivery is recorded as failed (with the reason) rather than pretended. ``json`` is a
    # generic JSON webhook (Bearer token); ``zenziva`` the request format of Zenziva, a common
    # Indonesian gateway (userkey = username, passkey = token).
    sms_gateway_url: str | None = None
    sms_gateway_format: Literal["json", "zenziva"] = "json"
    sms_gateway_username: str | None = None
    sms_gateway_token: SecretStr | None = None
    sms_sender: str = "DPMPTSP"
    sms_timeout_seconds: float = Field(default=10.0, gt=0)

    # Web Push (the app channel): the VAPID key pair that signs pushes to citizens' browsers.
    # A PEM private key; in embedded mode one is generated and kept under var/.
    webpush_vapid_private_key: SecretStr | None = None
    webpush_subject: str = "mailto:pengaduan@dpmptsp.madiun.go.id"
    webpush_timeout_seconds: float = Field(default=10.0, gt=0)
    # Test and development only: accept subscriptions whose endpoint is plain http or on a
    # loopback/private address (a local push receiver). Off, such an endpoint is refused: the
    # server POSTs to it, and a citizen must not make it reach into the office's network.
    webpush_allow_private_endpoints: bool = False

    # The office calendar the 5-minute standard (Mutu Baku) is counted in: only office time
    # counts. Hours per weekday as "HH:MM-HH:MM" periods, the rest break left out (on Friday
    # the longer break for Friday prayers); a day not listed is closed. National holidays come
    # from the `holidays` package for the country; the office adds its own closed dates (cuti
    # bersama, local days off) as a JSON list of ISO dates.
    office_timezone: str = "Asia/Jakarta"
    office_hours: dict[str, str] = {
        "mon": "07:30-12:00,13:00-16:00",
        "tue": "07:30-12:00,13:00-16:00",
        "wed": "07:30-12:00,13:00-16:00",
        "thu": "07:30-12:00,13:00-16:00",
        "fri": "07:30-11:30,13:00-16:00",
    }
    office_holidays_country: str | None = "ID"
    office_closed_dates: list[date] = []
    # The SLA sweep: a warning to the role at this share of a step's standard, a breach at the
    # standard; it runs this often (Celery beat, one scheduler).
    sla_warning_share: float = Field(default=0.8, gt=0, lt=1)
    sla_sweep_seconds: float = Field(default=30.0, gt=0)
    # Who hears of a breach by the Koordinator, whom no role in the SOP supervises: the head of
    # office (Kepala Dinas) and whoever else the office lists, as a JSON list of emails.
    head_of_office_emails: list[str] = []

    # Staff are emailed when a case arrives in their role's worklist. Unset: on in production,
    # off in the embedded mode (where the demo users have no real mailboxes).
    notify_staff_on_arrival: bool | None = None

    # A channel's task retries passing failures (with backoff up to 60 s) this many times, then
    # records the delivery as failed for good, for operators to re-send.
    notifier_max_retries: int = Field(default=1440, ge=0)
    # A retry is a Celery message of its own, not an outbox row, and the broker can lose it
    # (see shared.messaging.relay). A delivery still "retrying" with no try for this long has
    # lost its retry: the delivery sweep (Celery beat, every ``delivery_sweep_seconds``) queues it
    # again. Well above the 60 s retry backoff cap, so a retry under way is never doubled.
    delivery_stale_seconds: float = Field(default=300.0, ge=90)
    delivery_sweep_seconds: float = Field(default=60.0, gt=0)

    # Each service's Celery worker serves its Prometheus metrics on its port (unset: not
    # served); the APIs serve theirs at /metrics.
    notifier_metrics_port: int | None = None
    intake_metrics_port: int | None = None
    workflow_metrics_port: int | None = None

    # Public addresses, used in messages to citizens and staff and in `make run`'s banner.
    intake_port: int = 8001
    workflow_port: int = 8002
    flower_port: int = 5555
    public_intake_url: str = "http://127.0.0.1:8001"
    public_workflow_url: str = "http://127.0.0.1:8002"

    # Web pages (the citizens' portal, the staff console): cookies are sent over HTTPS only
    # ("Secure"). Unset: on in production, off in the embedded mode (plain http on 127.0.0.1).
    secure_cookies: bool | None = None

    # Citizens' requests per client address, counted in Redis (moving window, the `limits`
    # library's syntax such as "10/hour" or "5 per minute"): filing a complaint (API and
    # portal form), and tracking lookups (API reads and the portal's tracking form).
    filing_limit: str = "10/hour"
    tracking_limit: str = "60/minute"

    @field_validator("filing_limit", "tracking_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse  # noqa: PLC0415 - only the validator needs it

        parse(value)  # raises ValueError on a malformed limit: refused at start
        return value

    # Logs: one JSON object per line on stderr (for a log collector), or text for a person at a
    # terminal; either way each line carries its request id and tracking code (docs/OPERATIONS.md).
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Test-only fault injection: the named checkpoint blocks until the process is killed.
    fault_pause_at: str | None = None

    @field_validator("office_holidays_country")
    @classmethod
    def _no_country(cls, value: str | None) -> str | None:
        # An empty variable means the default, so "none" is how to switch national holidays off.
        return None if value is None or value.lower() == "none" else value

    @property
    def embedded(self) -> bool:
        return self.redis_url is None

    @property
    def cookies_secure(self) -> bool:
        return not self.embedded if self.secure_cookies is None else self.secure_cookies

    @property
    def broker_url(self) -> str:
        if self.redis_url is not None:
            return self.redis_url
        return f"redis://127.0.0.1:{self.embedded_redis_port}/0"

    def database_url(self, service: str) -> str:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}")
        url: str | None = getattr(self, f"{service}_database_url")
        if url:
            return url
        return f"sqlite:///{self.data_dir / f'{service}.db'}"

    @property
    def staff_arrival_emails(self) -> bool:
        if self.notify_staff_on_arrival is not None:
            return self.notify_staff_on_arrival
        return not self.embedded

    def tracking_url(self, tracking_code: str) -> str:
        """The citizen's tracking page for one complaint (the access token is asked there)."""
        return f"{self.public_intake_url.rstrip('/')}/lacak?kode={quote(tracking_code)}"

    @property
    def console_url(self) -> str:
        return f"{self.public_workflow_url.rstrip('/')}/console"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    def require_secrets(self) -> None:
        """Outside the embedded default no process may make up the JWT secret: each would sign
        with a key of its own, so every API and worker must be given the same one."""
        if self.jwt_secret is None and not self.embedded:
            raise UnusableSettings(
                ["PENGADUAN_JWT_SECRET is not set: every API and worker must share one secret"],
                " outside the embedded default (PENGADUAN_REDIS_URL is set)",
            )

    def jwt_key(self) -> str:
        """The signing key; in embedded mode a random one is kept under var/ across restarts."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        self.require_secrets()
        key_file = self.data_dir / "jwt-secret"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def jwt_verification_keys(self) -> list[str]:
        """The keys a token may be signed with: the current one, then the one being retired."""
        keys = [self.jwt_key()]
        if self.jwt_previous_secret is not None:
            keys.append(self.jwt_previous_secret.get_secret_value())
        return keys

    def vapid_private_key_pem(self) -> str | None:
        """The VAPID private key (PEM) that signs Web Push; in embedded mode a P-256 key is
        generated once and kept under var/. ``None``: Web Push is off (inbox and live events
        still work)."""
        if self.webpush_vapid_private_key is not None:
            return self.webpush_vapid_private_key.get_secret_value()
        if not self.embedded:
            return None
        key_file = self.data_dir / "webpush-vapid.pem"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Written aside (0600 from the start), then linked into place: a process that loses
            # the race to create it reads the winner's whole key, never a half-written file.
            draft = key_file.with_name(f".{key_file.name}.{os.getpid()}")
            draft.touch(mode=0o600)
            try:
                draft.write_bytes(pem)
                key_file.hardlink_to(draft)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return key_file.read_text()

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # URLs may carry a password (postgresql://user:password@host/db): shown masked, so a
        # log line that prints the settings never prints a password. SecretStr masks the rest.
        for name, value in super().__repr_args__():
            is_url = name is not None and name.endswith("_url") and isinstance(value, str)
            yield name, masked_url(value) if is_url else value


def masked_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}:" if parts.username else ":"
    return urlunsplit(parts._replace(netloc=f"{user}***@{netloc}"))


# Secret files (Docker and Kubernetes secrets): a file named after the variable, e.g.
# /run/secrets/PENGADUAN_JWT_SECRET, holds the value. The environment wins over a file.
DEFAULT_SECRETS_DIR = Path("/run/secrets")


def secrets_dir() -> Path | None:
    """Where secret files are read from: PENGADUAN_SECRETS_DIR, else /run/secrets when it
    exists (pydantic-settings warns about a missing directory, so none is passed then)."""
    configured = os.environ.get("PENGADUAN_SECRETS_DIR")
    path = Path(configured) if configured else DEFAULT_SECRETS_DIR
    if configured and not path.is_dir():
        raise UnusableSettings([f"PENGADUAN_SECRETS_DIR={configured} is not a directory"])
    return path if path.is_dir() else None


def load_settings() -> Settings:
    """The settings from the environment and the secret files."""
    return Settings(_secrets_dir=secrets_dir())


@lru_cache
def get_settings() -> Settings:
    return load_settings()
