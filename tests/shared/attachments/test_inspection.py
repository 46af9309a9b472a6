"""``inspect_upload`` on real files: the type comes from the bytes, photos come out upright with
no metadata (a phone photo's GPS position is personal data) and a thumbnail, PDFs only when they
just show pages, and every other upload is refused with its status and an Indonesian message."""

from __future__ import annotations

import hashlib
import io
import random
import warnings

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject

from shared.attachments import UploadRejected
from shared.attachments.images import MAX_PIXELS, THUMBNAIL_SIZE
from shared.attachments.inspection import Inspected, inspect_upload
from tests.shared.attachments import samples

MAX = 10 * 1024 * 1024


def inspected(data: bytes, filename: str = "bukti.jpg") -> Inspected:
    return inspect_upload(data, filename, max_bytes=MAX)


def rejected(data: bytes, filename: str = "bukti.jpg", max_bytes: int = MAX) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(data, filename, max_bytes=max_bytes)
    return caught.value


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(samples.GPS_IFD) == {}
        assert not {"exif", "xmp", "comment", "icc_profile", "Author"} & set(image.info)
    assert b"Exif" not in data
    assert samples.SECRET not in data


def test_a_phone_jpeg_loses_its_gps_and_comment_and_is_turned_upright() -> None:
    original = samples.jpeg(orientation=6)  # stored 64x32, to be shown rotated 90 degrees
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(samples.GPS_IFD)[samples.GPS_LATITUDE_REF] == "S"
        assert samples.SECRET in original
    result = inspected(original)
    assert (result.media_type, result.kind, result.filename) == ("image/jpeg", "image", "bukti.jpg")
    assert_no_metadata(result.content)
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.size == (32, 64)
        # Orientation 6 turns the image clockwise: the red left half is now on top.
        red, blue = image.convert("RGB").getpixel((16, 4)), image.convert("RGB").getpixel((16, 60))
        assert red[0] > 200 > red[2]
        assert blue[2] > 200 > blue[0]
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()


@pytest.mark.parametrize(
    ("make", "media_type", "extension"),
    [
        (samples.png, "image/png", "png"),
        (samples.webp, "image/webp", "webp"),
        (samples.heic, "image/jpeg", "jpg"),  # HEIC shown everywhere only as JPEG
    ],
    ids=["png", "webp", "heic"],
)
def test_every_photo_format_is_reencoded_without_metadata(
    make: object, media_type: str, extension: str
) -> None:
    assert callable(make)
    result = inspected(make(), "IMG_0001.HEIC")
    assert result.media_type == media_type
    assert result.filename == f"IMG_0001.{extension}"
    assert_no_metadata(result.content)
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.size == (64, 32)


def test_a_photo_gets_a_small_jpeg_thumbnail_with_its_digest() -> None:
    result = inspected(samples.jpeg(size=(1200, 900)))
    assert result.thumbnail is not None
    with Image.open(io.BytesIO(result.thumbnail)) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == THUMBNAIL_SIZE
        assert thumbnail.size == (320, 240)
    assert result.thumbnail_sha256 == hashlib.sha256(result.thumbnail).hexdigest()
    assert_no_metadata(result.thumbnail)


def test_the_type_is_the_contents_not_the_name() -> None:
    result = inspected(samples.png(), "scan.pdf")
    assert (result.media_type, result.filename) == ("image/png", "scan.png")


def test_a_plain_pdf_is_kept_as_sent_without_a_thumbnail() -> None:
    data = samples.pdf()
    result = inspected(data, "surat.pdf")
    assert (result.media_type, result.kind, result.filename) == (
        "application/pdf",
        "pdf",
        "surat.pdf",
    )
    assert result.content == data
    assert (result.thumbnail, result.thumbnail_sha256) == (None, None)
    assert result.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 422, "empty_file"),
        (b"#!/bin/sh\nrm -rf / --no-preserve-root\n", 415, "unsupported_media_type"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            415,
            "unsupported_media_type",
        ),
        (b"GIF89a" + b"\0" * 64, 415, "unsupported_media_type"),
        (b"PK\x03\x04" + b"\0" * 64, 415, "unsupported_media_type"),
        (b"<html><body>hi</body></html>", 415, "unsupported_media_type"),
    ],
    ids=["empty", "script-named-jpg", "svg", "gif", "zip", "html"],
)
def test_what_is_no_photo_or_pdf_is_refused(data: bytes, status: int, code: str) -> None:
    error = rejected(data, "foto.jpg")
    assert (error.status_code, error.code) == (status, code)
    if status == 415:
        assert error.message == (
            "Jenis berkas tidak didukung. Lampirkan foto (JPEG, PNG, WebP, HEIC) atau PDF."
        )


def test_a_file_over_the_limit_is_413_before_it_is_read() -> None:
    error = rejected(samples.jpeg(), max_bytes=100)
    assert (error.status_code, error.code) == (413, "file_too_large")
    assert "terlalu besar" in error.message
    assert "10 MB" in rejected(b"x" * (MAX + 1)).message


@pytest.mark.parametrize(
    "data",
    [samples.jpeg(size=(400, 300))[:400], samples.png()[:60], samples.webp()[:40]],
    ids=["jpeg", "png", "webp"],
)
def test_a_truncated_photo_is_422(data: bytes) -> None:
    error = rejected(data)
    assert (error.status_code, error.code) == (422, "corrupt_file")
    assert "rusak" in error.message


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (8_000, 8_000)],  # past Pillow's hard limit; past the project's own
    ids=["far-past", "just-past"],
)
def test_a_decompression_bomb_is_refused_before_decoding(width: int, height: int) -> None:
    bomb = samples.png_claiming(width, height)
    assert len(bomb) < 200 and width * height > MAX_PIXELS
    error = rejected(bomb, "bom.png")
    assert (error.status_code, error.code) == (422, "image_too_large")


def test_a_bomb_is_refused_where_pillow_only_warns() -> None:
    """Production does not raise warnings: past the limit but short of twice it, Pillow only
    warns, and the explicit check must refuse it all the same."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        error = rejected(samples.png_claiming(8_000, 8_000), "bom.png")
    assert (error.status_code, error.code) == (422, "image_too_large")


@pytest.mark.parametrize(
    "data",
    [
        samples.pdf(script=True),
        samples.pdf(attachment=True),
        samples.pdf_with_open_action("/Launch"),
        samples.pdf_with_open_action("/GoTo"),  # any action run on opening
        samples.pdf_with_link({"/S": "/GoToR", "/F": "\\\\attacker\\share\\x.pdf"}),
        samples.pdf_with_link({"/S": "/JavaScript", "/JS": "app.launchURL('x')"}),
        samples.pdf_with_link({"/S": "/Launch", "/F": "cmd.exe"}),
    ],
    ids=[
        "javascript",
        "embedded-file",
        "launch",
        "open-action",
        "link-gotor",
        "link-js",
        "link-launch",
    ],
)
def test_a_pdf_with_active_or_hidden_content_is_422(data: bytes) -> None:
    error = rejected(data, "surat.pdf")
    assert (error.status_code, error.code) == (422, "pdf_active_content")
    assert "PDF" in error.message


def test_a_pdf_with_a_plain_web_link_or_opening_at_a_page_is_kept() -> None:
    data = samples.pdf_with_link({"/S": "/URI", "/URI": "https://oss.go.id"})
    assert inspected(data, "surat.pdf").content == data
    # /OpenAction as a destination (open at page 1, fit): what office suites write.
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    out = io.BytesIO()
    writer.write(out)
    assert inspected(out.getvalue(), "surat.pdf").media_type == "application/pdf"


def test_an_encrypted_pdf_is_422_saying_so() -> None:
    error = rejected(samples.pdf(password="rahasia"), "surat.pdf")
    assert (error.status_code, error.code) == (422, "pdf_encrypted")
    assert "kata sandi" in error.message


def test_a_truncated_pdf_is_422() -> None:
    data = samples.pdf()
    error = rejected(data[: len(data) // 2], "surat.pdf")
    assert (error.status_code, error.code) == (422, "corrupt_file")
    error = rejected(b"%PDF-1.7\n%%EOF\n", "surat.pdf")
    assert (error.status_code, error.code) == (422, "corrupt_file")


def _saved(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def test_a_16_bit_greyscale_scan_keeps_its_greys() -> None:
    scan = Image.new("I;16", (4, 1))
    for x, value in enumerate([0, 20_000, 40_000, 65_535]):
        scan.putpixel((x, 0), value)
    result = inspected(_saved(scan, "PNG"), "scan.png")
    with Image.open(io.BytesIO(result.content)) as image:
        assert image.mode == "L"
        assert [image.getpixel((x, 0)) for x in range(4)] == [0, 78, 156, 255]


def test_odd_modes_come_out_in_one_the_format_writes() -> None:
    palette = Image.new("P", (8, 8))
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    animated = _saved(frames[0], "PNG", save_all=True, append_images=frames[1:])
    for data, media_type, mode in [
        (_saved(palette, "PNG", transparency=0), "image/png", "RGBA"),
        (_saved(cmyk, "JPEG"), "image/jpeg", "RGB"),
        (animated, "image/png", "RGB"),  # an animated PNG: its first frame
    ]:
        result = inspected(data, "x.png")
        assert result.media_type == media_type
        with Image.open(io.BytesIO(result.content)) as image:
            assert image.mode == mode
            assert getattr(image, "n_frames", 1) == 1


def test_mangled_files_are_kept_or_refused_never_an_error() -> None:
    """Real files with bytes overwritten and cut short (a seeded generator, so a failure
    repeats): each is either accepted or an ``UploadRejected``, never another exception that
    would answer 500."""
    rng = random.Random(22)
    originals = [samples.jpeg(size=(80, 60)), samples.png(), samples.webp(), samples.heic()]
    originals += [samples.pdf(), samples.pdf(script=True)]
    outcomes: set[str] = set()
    for _ in range(400):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(1, len(data))]
        try:
            inspected(bytes(data))
            outcomes.add("kept")
        except UploadRejected as refused:
            outcomes.add(refused.code)
    assert {"kept", "corrupt_file", "unsupported_media_type"} <= outcomes
