"""The name an attachment is shown and downloaded under: the client's name made harmless, its
extension the detected type's."""

from __future__ import annotations

import unicodedata

import pytest

from shared.attachments.filenames import MAX_STEM, safe_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bukti transfer.png", "bukti transfer.jpg"),
        ("../../etc/passwd", "passwd.jpg"),
        ("..\\..\\Windows\\win.ini", "win.jpg"),
        ("/var/www/../index.php", "index.jpg"),
        ("bukti\u202egpj.exe", "buktigpj.jpg"),  # a right-to-left override hiding ".exe"
        ("a\u2066b\u2069c\u200b.jpg", "abc.jpg"),  # isolates and a zero-width space
        ("laporan\x00\r\n\x1b[31m.jpg", "laporan [31m.jpg"),
        ('a<b>c:"d"|e?f*g;h.jpg', "abcdefgh.jpg"),
        ("   surat\tizin  .pdf", "surat izin.jpg"),
        ("", "lampiran.jpg"),
        (None, "lampiran.jpg"),
        ("....", "lampiran.jpg"),
        ("../", "lampiran.jpg"),
        ("\u202e\u0000.\u200b", "lampiran.jpg"),
        (".bashrc", "bashrc.jpg"),
        ("foto.JPEG", "foto.jpg"),
    ],
)
def test_hostile_names_become_plain_ones(raw: str | None, expected: str) -> None:
    assert safe_filename(raw, "jpg") == expected


def test_the_name_is_nfc_and_bounded() -> None:
    decomposed = unicodedata.normalize("NFD", "Café Kopi.png")
    assert safe_filename(decomposed, "png") == "Café Kopi.png"
    assert unicodedata.is_normalized("NFC", safe_filename(decomposed, "png"))
    long = safe_filename("x" * 1000 + ".pdf", "pdf")
    assert long == "x" * MAX_STEM + ".pdf"
    assert len(long.encode()) < 255
