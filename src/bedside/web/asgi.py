"""The app for ASGI servers run by hand, one settings object per worker from the environment.

``uvicorn --factory bedside.web.asgi:app_from_environment --workers 4`` or
``gunicorn -k uvicorn.workers.UvicornWorker 'bedside.web.asgi:app_from_environment()'``,
with ``BEDSIDE_MODE=server`` and ``BEDSIDE_DATABASE_URL`` set.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from bedside.settings import load_settings
from bedside.web.app import create_app

TLS_VARIABLE = "BEDSIDE_TLS"


def app_from_environment() -> FastAPI:
    """Build the app from ``BEDSIDE_*`` variables (``BEDSIDE_TLS=1``: served over TLS)."""
    import dataclasses

    settings = load_settings()
    host = os.environ.get("BEDSIDE_HOST")
    port = os.environ.get("BEDSIDE_PORT")
    settings = dataclasses.replace(
        settings,
        host=host or settings.host,
        port=int(port) if port and port.isdigit() else settings.port,
        tls=os.environ.get(TLS_VARIABLE) == "1",
    )
    return create_app(settings)
