"""The services' icons, served by the services themselves (``tools.make_icons`` draws them):
``/favicon.ico`` for every browser that asks for it unprompted, and for the portal a web app
manifest (``/manifest.webmanifest``) whose icons a phone puts on its home screen."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from shared.web.pages import STATIC_DIR, static_url

ICON_DIR = STATIC_DIR / "icons"
MANIFEST_PATH = "/manifest.webmanifest"
THEME_COLOUR = "#0b4f8a"  # --brand in pengaduan.css
ICON_SIZES = (192, 512)
DAY = "public, max-age=86400"


def favicon_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/favicon.ico")
    def favicon() -> FileResponse:
        return FileResponse(
            ICON_DIR / "favicon.ico",
            media_type="image/vnd.microsoft.icon",
            headers={"Cache-Control": DAY},
        )

    return router


def manifest(name: str, short_name: str, start_url: str = "/") -> dict[str, Any]:
    return {
        "name": name,
        "short_name": short_name,
        "lang": "id",
        "start_url": start_url,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static_url(f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICON_SIZES
        ],
    }


def manifest_router(name: str, short_name: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    document = manifest(name, short_name)

    @router.get(MANIFEST_PATH)
    def web_app_manifest() -> JSONResponse:
        return JSONResponse(
            document, media_type="application/manifest+json", headers={"Cache-Control": DAY}
        )

    return router
