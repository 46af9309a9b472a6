"""One typed settings object for every service, in groups, read from ``PENGADUAN_*`` variables.

Holds the ``Settings`` class (the groups, and what is worked out from more than one of them),
its loading and ``UnusableSettings``; the groups are in ``groups`` and ``channels``, where their
values come from in ``sources``, the project's own facts in ``project``. Left unset, every setting
takes the embedded default: SQLite files and a Redis server the project starts itself, all under
``var/``. Imports nothing of the project outside this package; imported by every service and tool.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
    SettingsConfigDict,
)

from shared.runtime.settings.attachments import AttachmentSettings
from shared.runtime.settings.channels import (
    DeliverySettings,
    MailSettings,
    SmsSettings,
    WebPushSettings,
    WhatsAppSettings,
)
from shared.runtime.settings.databases import DatabaseSettings
from shared.runtime.settings.groups import (
    AuthSettings,
    BrokerSettings,
    DeploymentSettings,
    FaultSettings,
    LogSettings,
    MetricsSettings,
    OfficeSettings,
    OutboxSettings,
    SlaSettings,
    WebSettings,
)
from shared.runtime.settings.limits import LimitSettings  # the citizens' limits
from shared.runtime.settings.open311 import Open311Settings
from shared.runtime.settings.privacy import PrivacySettings
from shared.runtime.settings.sources import VariablesSource


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
    """Everything configurable, in one place, one group per concern; services read nothing from
    ``os.environ``. Built from the variables, or in a test from groups by field name:
    ``Settings(broker={"redis_url": url}, sla={"sweep_seconds": 45})``."""

    # Only the groups: a name given that is no group (an old flat name) is an error.
    model_config = SettingsConfigDict(extra="forbid")

    deployment: DeploymentSettings = Field(default_factory=DeploymentSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    broker: BrokerSettings = Field(default_factory=BrokerSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    open311: Open311Settings = Field(default_factory=Open311Settings)
    mail: MailSettings = Field(default_factory=MailSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)
    webpush: WebPushSettings = Field(default_factory=WebPushSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    office: OfficeSettings = Field(default_factory=OfficeSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    attachments: AttachmentSettings = Field(default_factory=AttachmentSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    logs: LogSettings = Field(default_factory=LogSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    faults: FaultSettings = Field(default_factory=FaultSettings)

    @model_validator(mode="after")
    def _attachments_under_data_dir(self) -> Settings:
        # The directory backend's default follows the data directory, as every embedded file does.
        # Written past pydantic's assignment so the field still counts as unset (not in
        # model_fields_set): production checks tell a chosen directory from the default.
        if self.attachments.directory is None:
            self.attachments.__dict__["directory"] = self.deployment.data_dir / "attachments"
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - VariablesSource reads them
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - no .env file is read
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Values given to Settings(...) first, then each setting's variable or secret file.
        directory = None
        if isinstance(file_secret_settings, SecretsSettingsSource):
            configured = file_secret_settings.secrets_dir
            directory = Path(configured) if isinstance(configured, str | os.PathLike) else None
        return init_settings, VariablesSource(settings_cls, directory)

    @property
    def embedded(self) -> bool:
        return self.broker.redis_url is None

    @property
    def cookies_secure(self) -> bool:
        secure = self.web.secure_cookies
        return not self.embedded if secure is None else secure

    def database_url(self, service: str) -> str:
        return self.database.url(service, self.deployment.data_dir)

    @property
    def staff_arrival_emails(self) -> bool:
        if self.delivery.notify_staff_on_arrival is not None:
            return self.delivery.notify_staff_on_arrival
        return not self.embedded

    @property
    def mail_dir(self) -> Path:
        return self.deployment.data_dir / "mail"

    def require_secrets(self) -> None:
        """Outside the embedded default no process may make up the JWT secret: each would sign
        with a key of its own, so every API and worker must be given the same one."""
        if self.auth.jwt_secret is None and not self.embedded:
            raise UnusableSettings(
                ["PENGADUAN_JWT_SECRET is not set: every API and worker must share one secret"],
                " outside the embedded default (PENGADUAN_REDIS_URL is set)",
            )

    def jwt_key(self) -> str:
        """The signing key; in embedded mode a random one is kept under var/ across restarts."""
        if self.auth.jwt_secret is not None:
            return self.auth.jwt_secret.get_secret_value()
        self.require_secrets()
        key_file = self.deployment.data_dir / "jwt-secret"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()

    def jwt_verification_keys(self) -> list[str]:
        """The keys a token may be signed with: the current one, then the one being retired."""
        keys = [self.jwt_key()]
        if self.auth.jwt_previous_secret is not None:
            keys.append(self.auth.jwt_previous_secret.get_secret_value())
        return keys

    def vapid_private_key_pem(self) -> str | None:
        """The VAPID private key (PEM) that signs Web Push; in embedded mode a P-256 key is
        generated once and kept under var/. ``None``: Web Push is off (inbox and live events
        still work)."""
        if self.webpush.vapid_private_key is not None:
            return self.webpush.vapid_private_key.get_secret_value()
        if not self.embedded:
            return None
        key_file = self.deployment.data_dir / "webpush-vapid.pem"
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


# Secret files (Docker and Kubernetes secrets): a file named after the variable, e.g.
# /run/secrets/PENGADUAN_JWT_SECRET, holds the value. The environment wins over a file.
DEFAULT_SECRETS_DIR = Path("/run/secrets")


def secrets_dir() -> Path | None:
    """Where secret files are read from: PENGADUAN_SECRETS_DIR, else /run/secrets when it
    exists (read before the settings themselves, so it is no setting of a group)."""
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
