"""The licensing services a complaint may be about: the catalogue's shape and the office's
common services it starts with (*layanan perizinan* of DPMPTSP Kota Madiun).

The catalogue itself lives in the workflow's database, where the office edits it; intake keeps
a copy, sent on by ``ServiceEntryV1`` messages, to list it publicly and check a filing's
``service_code``. These seed rows are what both databases hold after their first migration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Upper-case letters, digits and hyphens, 2-20 long: short enough to say on the telephone and
# to stand as an Open311 ``service_code``.
SERVICE_CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{1,19}")


class ServiceGroup(StrEnum):
    """The two groups the office's service standard (*standar pelayanan*) sorts licences into."""

    BERUSAHA = "berusaha"  # business licensing (perizinan berusaha, through OSS)
    NON_BERUSAHA = "non_berusaha"  # licences that are not for a business


GROUP_LABELS: dict[ServiceGroup, str] = {
    ServiceGroup.BERUSAHA: "Perizinan berusaha",
    ServiceGroup.NON_BERUSAHA: "Perizinan non berusaha",
}


@dataclass(frozen=True)
class LicensingService:
    code: str
    name: str  # as citizens read it, in Bahasa Indonesia
    group: ServiceGroup


# For a complaint about no service in particular, or one the complainant cannot name.
OTHER_SERVICE_CODE = "LAINNYA"

SEED_SERVICES: tuple[LicensingService, ...] = (
    LicensingService("NIB", "Nomor Induk Berusaha (NIB) melalui OSS", ServiceGroup.BERUSAHA),
    LicensingService(
        "SS", "Sertifikat Standar dan Izin usaha berbasis risiko", ServiceGroup.BERUSAHA
    ),
    LicensingService(
        "PB-UMKU",
        "Perizinan Berusaha Untuk Menunjang Kegiatan Usaha (PB UMKU)",
        ServiceGroup.BERUSAHA,
    ),
    LicensingService(
        "KKPR-B", "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR) berusaha", ServiceGroup.BERUSAHA
    ),
    LicensingService("TOKO-MODERN", "Izin Usaha Toko Swalayan", ServiceGroup.BERUSAHA),
    LicensingService("APOTEK", "Izin Apotek dan Toko Obat", ServiceGroup.BERUSAHA),
    LicensingService("PBG", "Persetujuan Bangunan Gedung (PBG)", ServiceGroup.NON_BERUSAHA),
    LicensingService("SLF", "Sertifikat Laik Fungsi (SLF)", ServiceGroup.NON_BERUSAHA),
    LicensingService(
        "KKPR-NB",
        "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR) non berusaha",
        ServiceGroup.NON_BERUSAHA,
    ),
    LicensingService(
        "SIP-NAKES", "Surat Izin Praktik tenaga kesehatan (SIP)", ServiceGroup.NON_BERUSAHA
    ),
    LicensingService("REKLAME", "Izin Penyelenggaraan Reklame", ServiceGroup.NON_BERUSAHA),
    LicensingService("PENELITIAN", "Surat Keterangan Penelitian", ServiceGroup.NON_BERUSAHA),
    LicensingService(OTHER_SERVICE_CODE, "Layanan lainnya / tidak tahu", ServiceGroup.NON_BERUSAHA),
)


def seed_rows(updated_at: object) -> list[dict[str, object]]:
    """The seed as rows of a ``licensing_services`` table (both services' first catalogue
    migration inserts them; a later edit of this list reaches only new databases, which is
    meant: the office edits its catalogue in the console, not here)."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "group": s.group.value,
            "active": True,
            "revision": 1,
            "updated_at": updated_at,
        }
        for s in SEED_SERVICES
    ]
