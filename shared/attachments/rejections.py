"""Why an upload is refused: an HTTP status, an English code for programs and an Indonesian
message for the person who sent it (the API answers them as it answers every other 4xx)."""

from __future__ import annotations

UNSUPPORTED_MESSAGE = (
    "Jenis berkas tidak didukung. Lampirkan foto (JPEG, PNG, WebP, HEIC) atau PDF."
)


class UploadRejected(Exception):
    """An upload that is not stored, and why. No ``ValueError``: a handler catching a decoder's
    errors must not swallow the verdict."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message


def empty() -> UploadRejected:
    return UploadRejected(422, "empty_file", "Berkas kosong. Lampirkan foto atau PDF yang berisi.")


def unsafe_filename() -> UploadRejected:
    return UploadRejected(
        422,
        "unsafe_filename",
        "Nama berkas tidak boleh memuat garis miring (/ atau \\) atau karakter kontrol. Ganti "
        "nama berkasnya, lalu lampirkan lagi.",
    )


def too_large(max_bytes: int) -> UploadRejected:
    megabytes = max_bytes / (1024 * 1024)
    size = f"{megabytes:g} MB" if megabytes >= 1 else f"{max_bytes // 1024} KB"
    return UploadRejected(
        413, "file_too_large", f"Berkas terlalu besar. Ukuran paling besar {size} per berkas."
    )


def unsupported() -> UploadRejected:
    return UploadRejected(415, "unsupported_media_type", UNSUPPORTED_MESSAGE)


def corrupt() -> UploadRejected:
    return UploadRejected(
        422,
        "corrupt_file",
        "Berkas rusak atau tidak lengkap sehingga tidak dapat dibuka. Lampirkan ulang berkasnya.",
    )


def too_many_pixels() -> UploadRejected:
    return UploadRejected(
        422,
        "image_too_large",
        "Ukuran gambar terlalu besar untuk dibuka. Perkecil fotonya lalu lampirkan lagi.",
    )


def pdf_active_content() -> UploadRejected:
    return UploadRejected(
        422,
        "pdf_active_content",
        "PDF ini berisi skrip, tindakan otomatis atau berkas sisipan yang tidak diizinkan. "
        "Simpan ulang sebagai PDF biasa (misalnya Cetak lalu Simpan sebagai PDF), lalu lampirkan "
        "lagi.",
    )


def pdf_encrypted() -> UploadRejected:
    return UploadRejected(
        422,
        "pdf_encrypted",
        "PDF ini dilindungi kata sandi sehingga petugas tidak dapat membukanya. Lampirkan PDF "
        "tanpa kata sandi.",
    )
