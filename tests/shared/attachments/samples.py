"""Real files made for the tests: photos with a GPS position in their metadata, PDFs plain,
scripted, encrypted and with files inside, a decompression bomb, a script dressed as a photo."""

from __future__ import annotations

import io
import struct
import zlib

import pillow_heif
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

ORIENTATION, GPS_IFD, GPS_LATITUDE_REF, GPS_LATITUDE = 0x0112, 0x8825, 1, 2
SECRET = b"SECRET-COMMENT"


def exif_with_gps(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: an orientation and a GPS position (Madiun, 7.6 S 111.5 E)."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF] = "S"
    gps[GPS_LATITUDE] = (7.0, 37.0, 45.0)
    gps[3] = "E"
    gps[4] = (111.0, 31.0, 22.0)
    return exif.tobytes()


def photo(size: tuple[int, int] = (64, 32), mode: str = "RGB") -> Image.Image:
    """Not one flat colour: a left half red and a right half blue, so a rotation shows."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(orientation: int = 1, size: tuple[int, int] = (64, 32)) -> bytes:
    out = io.BytesIO()
    photo(size).save(out, "JPEG", exif=exif_with_gps(orientation), comment=SECRET)
    return out.getvalue()


def png() -> bytes:
    info = PngInfo()
    info.add_text("Author", SECRET.decode())
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{SECRET.decode()}</x:xmpmeta>")
    out = io.BytesIO()
    photo(mode="RGBA").save(out, "PNG", pnginfo=info, exif=exif_with_gps())
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    xmp = f"<x:xmpmeta>{SECRET.decode()}</x:xmpmeta>".encode()
    photo().save(out, "WEBP", exif=exif_with_gps(), xmp=xmp)
    return out.getvalue()


def heic() -> bytes:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    photo().save(out, "HEIF", exif=exif_with_gps(), quality=80)
    return out.getvalue()


def pdf(*, script: bool = False, attachment: bool = False, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        writer.add_open_action(JavaScript("app.alert('hi');"))
    if attachment:
        writer.add_attachment("payload.exe", b"MZ payload")
    if password is not None:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_open_action(action_type: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {NameObject("/S"): NameObject(action_type), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = action
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_link(action: dict[str, str]) -> bytes:
    """A one-page PDF whose page has a link annotation running ``action`` when clicked."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 100, 40)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject(key): NameObject(value)
                    if value.startswith("/")
                    else TextStringObject(value)
                    for key, value in action.items()
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG a few hundred bytes long whose header claims ``width`` x ``height`` pixels: the shape
    of a decompression bomb (its data would inflate to gigabytes were it decoded)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )
