"""The settings of personal data (UU 27/2022 on personal data protection): how long the
complainant's name, contacts and free text are kept after a case closes. Each field reads the
variable its ``validation_alias`` names, as in ``shared.runtime.settings.groups``."""

from __future__ import annotations

from datetime import timedelta

from shared.runtime.settings.groups import Group, setting


class PrivacySettings(Group):
    """Personal data: the retention the workflow's daily sweep erases after (docs/PRIVACY.md,
    docs/OPERATIONS.md)."""

    retention_days: int = setting(
        "PENGADUAN_PRIVACY_RETENTION_DAYS",
        730,
        "Days after a case closes (ditutup, ditolak, duplikat, tidak ada tanggapan) until the "
        "daily sweep replaces the complainant's name, contacts and free text in every service "
        "with the marker `[data pribadi dihapus]`; the case's figures stay. Default: two years.",
        ge=1,
    )

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)
