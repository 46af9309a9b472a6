"""The complainant's request for early erasure of their personal data (UU 27/2022), through the
API or the tracking page: allowed once the complaint is closed (ditutup, ditolak, duplikat,
tidak ada tanggapan), refused (409, in words) before. The workflow decides and erases in
every service (``ErasureRequestedV1``); until then the tracking page says it is under way. A
request repeated, or made after the erasure, sends nothing more."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.models import Complaint
from shared.messaging.contracts import WORKFLOW_ERASURE_TASK, ErasureRequestedV1
from shared.messaging.outbox import enqueue
from shared.sop import CLOSED_STATUSES
from shared.web.domain_errors import Conflict

NOT_CLOSED_MESSAGE = (
    "Data pribadi hanya dapat dihapus setelah laporan pengaduan ditutup. Selama laporan masih "
    "ditangani atau masih dapat dibuka kembali, petugas memerlukan data Anda untuk menjawabnya."
)
REQUESTED_MESSAGE = (
    "Permintaan penghapusan data pribadi Anda telah diterima. Nama, kontak dan isi laporan "
    "pengaduan Anda akan dihapus dari semua layanan; statistik laporan tetap tersimpan tanpa "
    "data pribadi."
)
ERASED_MESSAGE = "Data pribadi Anda pada laporan pengaduan ini telah dihapus."


class NotClosed(Conflict):
    code = "not_closed"


def request_erasure(session: Session, complaint: Complaint) -> str:
    """Ask the workflow to erase the complaint's personal data; the words to show for it."""
    if complaint.erased_at is not None:
        return ERASED_MESSAGE
    if complaint.status not in CLOSED_STATUSES:
        raise NotClosed(NOT_CLOSED_MESSAGE)
    if complaint.erasure_requested_at is None:
        message = ErasureRequestedV1(tracking_code=complaint.tracking_code)
        enqueue(session, WORKFLOW_ERASURE_TASK, message)
        complaint.erasure_requested_at = message.occurred_at
        announce_after_commit(session, complaint.tracking_code, Note("status"))
        session.flush()
    return REQUESTED_MESSAGE
