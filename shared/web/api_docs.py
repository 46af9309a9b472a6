"""The APIs' interactive documentation, served by the service itself: Swagger UI at ``/docs``
and ReDoc at ``/redoc``.

FastAPI's own pages load both from a CDN, which an office intranet does not reach;
fastapi-offline ships them in its package and serves them under ``/static-offline-docs``. The
pages keep an inline start-up script and inline styles, so they get a policy of their own
(``API_DOCS_POLICY`` in ``shared.web.pages``): nothing from outside the service. ReDoc's script
would show its vendor's logo from the vendor's CDN: it is served here with that one address
pointing at the service's own icon, and the page uses no Google Fonts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

# Swagger UI would otherwise ask validator.swagger.io to check the document: a call outside.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}
REDOC_PATH = "/redoc"
REDOC_SCRIPT = f"{REDOC_PATH}/redoc.standalone.js"
_REDOC_SOURCE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
_VENDOR_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_OWN_LOGO = "/favicon.ico"


def api_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app whose ``/docs`` and ``/redoc`` need nothing but the service."""
    # fastapi-offline's own ReDoc page would load the script that shows the vendor's logo.
    app = fastapi_offline.FastAPIOffline(
        redoc_url=None, swagger_ui_parameters=SWAGGER_UI_PARAMETERS, **kwargs
    )
    install_redoc(app)
    return app


@cache
def redoc_script() -> bytes:
    script = _REDOC_SOURCE.read_text(encoding="utf-8")
    if _VENDOR_LOGO not in script:  # a new ReDoc: the test that blocks every outside load tells
        return script.encode()
    return script.replace(_VENDOR_LOGO, _OWN_LOGO).encode()


def install_redoc(app: FastAPI) -> None:
    @app.get(REDOC_PATH, include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=str(app.openapi_url),
            title=f"{app.title} - ReDoc",
            redoc_js_url=REDOC_SCRIPT,
            redoc_favicon_url=_OWN_LOGO,
            with_google_fonts=False,
        )

    @app.get(REDOC_SCRIPT, include_in_schema=False)
    def redoc_js() -> Response:
        return Response(
            redoc_script(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )
