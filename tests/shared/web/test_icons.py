"""The committed icons are the ones ``tools.make_icons`` draws (a change to the drawing without
running it again fails here), at the sizes the portal's manifest names."""

from __future__ import annotations

from pathlib import Path

from shared.web.icons import ICON_DIR, ICON_SIZES, manifest
from tests.support.browser import png_size
from tools import make_icons


def test_the_committed_icons_are_the_drawn_ones() -> None:
    for size in ICON_SIZES:
        path = ICON_DIR / f"icon-{size}.png"
        assert path.read_bytes() == make_icons.png(size)
        assert png_size(path) == (size, size)
    favicon = make_icons.ico(make_icons.png(make_icons.FAVICON_SIZE), make_icons.FAVICON_SIZE)
    assert (ICON_DIR / "favicon.ico").read_bytes() == favicon
    assert (ICON_DIR / "favicon.svg").read_text() == make_icons.svg()


def test_the_manifest_names_existing_icons_in_indonesian() -> None:
    document = manifest("Pengaduan DPMPTSP Kota Madiun", "Pengaduan")
    assert document["lang"] == "id"
    for icon in document["icons"]:
        path = icon["src"].removeprefix("/static/").split("?", 1)[0]
        assert (ICON_DIR.parent / Path(path)).is_file()
