"""The APIs' interactive documentation (``/docs``), served by the service itself.

FastAPI's own page loads Swagger UI from a CDN, which an office intranet does not reach;
fastapi-offline ships it in its package and serves it under ``/static-offline-docs``. The page
keeps an inline start-up script, so it gets a policy of its own (``API_DOCS_POLICY`` in
``shared.web.pages``): nothing from outside the service, inline script allowed. ReDoc is left
out: it still fetches its logo from its vendor's CDN."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

# Swagger UI would otherwise ask validator.swagger.io to check the document: a call outside.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def api_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app whose ``/docs`` needs nothing but the service."""
    return FastAPIOffline(redoc_url=None, swagger_ui_parameters=SWAGGER_UI_PARAMETERS, **kwargs)
