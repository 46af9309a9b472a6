"""Photos re-encoded with Pillow: opened within a pixel limit, turned upright by their EXIF
orientation, colours brought to sRGB, then written afresh with no metadata at all (EXIF with its
GPS position, XMP, comments, colour profiles, text chunks), plus a small JPEG thumbnail.

A phone photo carries where it was taken: personal data the office has no use for. Writing a
new image from the pixels alone, instead of saving the opened one, is what guarantees nothing
rides along (Pillow's savers fall back to the opened file's comment and colour profile)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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
    "image/webp": ("WEBP", "image/webp"),
    "image/heic": ("HEIF", "image/jpeg"),
    "image/heif": ("HEIF", "image/jpeg"),
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_SAVE_AS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Reencoded:
    content: bytes
    media_type: str
    thumbnail: bytes


def _opened(data: bytes, pillow_format: str) -> Image.Image:
    """The image decoded, or the upload refused: bombs before decoding, broken files after."""
    try:
        # Pillow warns (a process running with warnings as errors raises) past MAX_PIXELS and
        # raises past twice it; the explicit check refuses it either way, before decoding. No
        # warnings.catch_warnings here: it changes process-wide state under concurrent requests.
        image = Image.open(io.BytesIO(data), formats=[pillow_format])
        if image.width * image.height > MAX_PIXELS:
            raise rejections.too_many_pixels()
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise rejections.too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # Truncated data ("image file is truncated"), a broken header, a bad HEIF container.
        raise rejections.corrupt() from None
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
    with _opened(data, pillow_format) as opened:
        try:
            clean = _pixels_only(_srgb(ImageOps.exif_transpose(opened)), media_type)
            return Reencoded(_encoded(clean, media_type), media_type, _thumbnail(clean))
        except (OSError, ValueError):
            # Decoded but not convertible (an odd mode, a broken EXIF block): not an image the
            # office can be shown.
            raise rejections.corrupt() from None
