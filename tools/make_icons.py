"""Draw the services' icons (the favicon, the portal's web app icons) as committed files in
``shared/web/static/icons``: PNG written with the standard library alone (the project does not
depend on an imaging library for four small pictures). Run again after changing the design:
``python -m tools.make_icons``.

The picture: a white complaint form with three lines of text on the office's blue."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "shared" / "web" / "static" / "icons"
BRAND = (0x0B, 0x4F, 0x8A)  # --brand in pengaduan.css
WHITE = (0xFF, 0xFF, 0xFF)
PNG_SIZES = (192, 512)
FAVICON_SIZE = 32

# In a 16-unit square: the sheet, then its lines (left, top, right, bottom).
SHEET = (4, 2.5, 12, 13.5)
LINES = ((5.5, 5, 10.5, 6), (5.5, 7.5, 10.5, 8.5), (5.5, 10, 9, 11))


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    left, top, right, bottom = box
    return left <= x < right and top <= y < bottom


def pixels(size: int) -> list[list[tuple[int, int, int]]]:
    unit = size / 16
    rows = []
    for row in range(size):
        line = []
        for column in range(size):
            x, y = (column + 0.5) / unit, (row + 0.5) / unit
            on_line = any(_inside(box, x, y) for box in LINES)
            line.append(WHITE if _inside(SHEET, x, y) and not on_line else BRAND)
        rows.append(line)
    return rows


def png(size: int) -> bytes:
    raw = b"".join(
        b"\x00" + bytes(value for pixel in row for value in pixel) for row in pixels(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(image: bytes, size: int) -> bytes:
    """An ICO holding one PNG image (every browser reads PNG inside ICO)."""
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


def svg() -> str:
    lines = "".join(
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        f'fill="#0b4f8a"/>'
        for left, top, right, bottom in LINES
    )
    left, top, right, bottom = SHEET
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        '<rect width="16" height="16" fill="#0b4f8a"/>'
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" fill="#fff"/>'
        f"{lines}</svg>\n"
    )


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (ICONS / f"icon-{size}.png").write_bytes(png(size))
    (ICONS / "favicon.ico").write_bytes(ico(png(FAVICON_SIZE), FAVICON_SIZE))
    (ICONS / "favicon.svg").write_text(svg())


if __name__ == "__main__":
    main()
