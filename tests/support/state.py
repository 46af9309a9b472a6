"""Forget per-process singletons so a test's environment takes effect in this process."""

from __future__ import annotations

import importlib

import shared.messaging.celery_app
from shared.runtime.settings import get_settings


def reset_process_state() -> None:
    get_settings.cache_clear()
    shared.messaging.celery_app._app = None
    for service in ("intake", "workflow", "notifier"):
        try:
            module = importlib.import_module(f"services.{service}.database")
        except ModuleNotFoundError:
            continue
        cached = module.get_db
        if cached.cache_info().currsize:
            db = cached()
            if db.relay is not None:
                db.relay.stop()
            db.engine.dispose()
        cached.cache_clear()
