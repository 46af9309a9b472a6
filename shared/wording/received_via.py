"""How a complaint the Admin Pengaduan took came in, as staff and the complainant read it: the
console's form and case page, the receipt, the record. The codes are
``shared.messaging.contracts.ReceivedVia``'s."""

from __future__ import annotations

RECEIVED_VIA_LABELS: dict[str, str] = {
    "telepon": "Telepon",
    "loket": "Loket (datang langsung)",
    "surat": "Surat",
}
# Where the complainant filed it themselves (the portal, the app, the API).
SELF_FILED_LABEL = "Diajukan sendiri oleh pengadu (daring)"


def received_via_label(code: str | None) -> str:
    return SELF_FILED_LABEL if code is None else RECEIVED_VIA_LABELS.get(code, code)
