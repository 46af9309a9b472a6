"""The headers of an attachment's download: a download whatever the browser thinks of it, with
its name intact for those who read RFC 6266 and a plain one for those who do not."""

from __future__ import annotations

from shared.attachments import download_headers


def test_a_download_is_an_attachment_never_sniffed_nor_run_nor_shared() -> None:
    headers = download_headers("bukti.jpg", "image/jpeg")
    assert headers == {
        "Content-Type": "image/jpeg",
        "Content-Disposition": "attachment; filename=\"bukti.jpg\"; filename*=UTF-8''bukti.jpg",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }


def test_a_name_beyond_ascii_keeps_its_letters_in_filename_star() -> None:
    disposition = download_headers('Surat Café; "x".pdf', "application/pdf")["Content-Disposition"]
    assert disposition == (
        'attachment; filename="Surat Cafe; x.pdf"; '
        "filename*=UTF-8''Surat%20Caf%C3%A9%3B%20%22x%22.pdf"
    )
    only_other_script = download_headers("ตัวอย่าง.pdf", "application/pdf")
    assert only_other_script["Content-Disposition"].startswith(
        "attachment; filename=\"lampiran.pdf\"; filename*=UTF-8''%E0%B8%95"
    )
