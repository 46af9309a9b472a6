"""One word for one thing where people read it (issue 21, "Words"): the SOP's "Teregister pada
Sistem/Aplikasi Pengaduan" in the receipt, the status, the emails and the SMS alike, never
"terdaftar"; the app channel points at the tracking page, where its inbox is."""

from __future__ import annotations

import re

from shared.messaging.contracts.filing import CHANNEL_FORM_CHOICES
from shared.runtime.settings.project import PROJECT_ROOT
from shared.sop import STATUS_LABELS

# Everything whose words reach a citizen or staff member: templates, the SOP, the messages.
WORDED = ("*.html", "*.txt", "*.js", "sop.py", "messages.py", "sms.py", "complaints.py")


def _worded_files() -> list[str]:
    roots = (PROJECT_ROOT / "services", PROJECT_ROOT / "shared")
    return [
        str(path.relative_to(PROJECT_ROOT))
        for root in roots
        for pattern in WORDED
        for path in root.rglob(pattern)
        if re.search(r"\bterdaftar\b", path.read_text(), flags=re.IGNORECASE)
    ]


def test_registration_is_the_sops_teregister_everywhere() -> None:
    assert _worded_files() == []
    assert "teregister pada Sistem Pengaduan" in STATUS_LABELS["received"]
    assert "diregister pada Sistem Pengaduan" in STATUS_LABELS["submitted"]


def test_the_app_channel_names_the_tracking_page() -> None:
    label = dict(CHANNEL_FORM_CHOICES)["app"]
    assert label == "Aplikasi (kotak masuk di halaman lacak laporan)"
