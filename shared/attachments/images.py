"""Photos re-encoded with Pillow: opened within a pixel limit, turned upright by their EXIF
orientation, colours brought to sRGB, then written afresh with no metadata at all (EXIF with its
GPS position, XMP, comments, colour profiles, text chunks), plus a small JPEG thumbnail.

A phone photo carries where it was taken: personal data the office has no use for. Writing a
new image from the pixels alone, instead of saving the opened one, is what guarantees nothing
rides along (Pillow's savers fall back to the opened file's comment and colour profile)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageOps

from shared.attachments import rejections

# Phone cameras reach 50 megapixels; beyond that (or a header claiming far more, the shape of a
# decompression bomb) the upload is refused before any pixel is decoded. Pillow's own check
# (a warning at the limit, an error at twice it) follows the same figure.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
THUMBNAIL_SIZE = 320
JPEG_QUALITY = 88
THUMBNAIL_QUALITY = 80

pillow_heif.register_heif_opener()  # HEIC/HEIF (iPhones' default) opens as any other image

# The formats an image may be sent in, by detected media type: Pillow's format name for opening
# and what the re-encoded file is. HEIC becomes JPEG: browsers other than Safari cannot show it.
FORMATS = {
    "image/jpeg": ("JPEG", "image/jpeg"),
    "image/png": ("PNG", "image/png"),
    "image/apng": ("PNG", "image/png"),  # an animated PNG: its first frame
    "image/webp": ("WEBP", "image/webp"),
    "image/heic": ("HEIF", "image/jpeg"),
    "image/heif": ("HEIF", "image/jpeg"),
}
_SAVE_AS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Reencoded:
    content: bytes
    media_type: str
    thumbnail: bytes


@contextmanager
def _refused_when_broken() -> Iterator[None]:
    """What a decoder raises on hostile bytes, as the upload's refusal: a decompression bomb
    (Pillow raises past twice MAX_PIXELS, warns past it), or truncated data, a broken header or
    container, and whatever else it throws (struct.error, IndexError...): never a 500."""
    try:
        yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise rejections.too_many_pixels() from None
    except Exception:
        raise rejections.corrupt() from None


def _opened(data: bytes, pillow_format: str) -> Image.Image:
    """The image decoded, or the upload refused: bombs before decoding, broken files after."""
    # The header alone first. No warnings.catch_warnings to raise Pillow's warning: it changes
    # process-wide state under concurrent requests; the explicit check refuses the bomb anyway.
    with _refused_when_broken():
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise rejections.too_many_pixels()
    with _refused_when_broken():
        image.load()
    return image


def _srgb(image: Image.Image) -> Image.Image:
    """The pixels in sRGB, so dropping the colour profile does not shift the colours (phones
    shoot in Display P3); an unreadable profile is dropped as it is."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "RGBA"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _pixels_only(image: Image.Image, media_type: str) -> Image.Image:
    """A new image holding only the pixels, in a mode the output format writes."""
    if image.mode.startswith("I"):
        # 16-bit greyscale (scanners): scaled to 8 bits; a plain conversion clips it to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if media_type == "image/jpeg":
        mode = "L" if image.mode in {"1", "L"} else "RGB"
    elif media_type == "image/png" and image.mode in {"1", "L", "LA", "RGB", "RGBA"}:
        mode = image.mode
    else:
        mode = "RGBA" if has_alpha else "RGB"
    converted = image if image.mode == mode else image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encoded(image: Image.Image, media_type: str, quality: int = JPEG_QUALITY) -> bytes:
    out = io.BytesIO()
    if media_type == "image/jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True)
    elif media_type == "image/webp":
        image.save(out, "WEBP", quality=quality)
    else:
        image.save(out, _SAVE_AS[media_type])
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode not in {"RGB", "L"}:
        # Transparency shown on white, as on the page it is displayed on.
        background = Image.new("RGB", small.size, "white")
        rgba = small.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        small = background
    return _encoded(small, "image/jpeg", THUMBNAIL_QUALITY)


def reencode(data: bytes, detected: str) -> Reencoded:
    """The image re-written without metadata (only its first frame, for an animation) and its
    thumbnail; ``detected`` is a key of ``FORMATS``."""
    pillow_format, media_type = FORMATS[detected]
    # Decoded but not convertible (an odd mode, a broken EXIF block) is refused as well.
    with _opened(data, pillow_format) as opened, _refused_when_broken():
        clean = _pixels_only(_srgb(ImageOps.exif_transpose(opened)), media_type)
        return Reencoded(_encoded(clean, media_type), media_type, _thumbnail(clean))
