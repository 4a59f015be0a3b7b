"""The installable app: web app manifest, service worker and the offline page.

None of these need a profile or show any health data: the service worker caches the offline
page and the static files only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from bedside import __version__
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MANIFEST_TYPE = "application/manifest+json"
SCRIPT_TYPE = "text/javascript; charset=utf-8"
#: --bg of bedside.css in its dark (default) and light schemes.
NIGHT = "#0f1320"
DAY = "#f5f3ee"

ICONS: list[dict[str, str]] = [
    {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
    {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
    {
        "src": "/static/icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
    {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
]


def manifest() -> dict[str, Any]:
    """The web app manifest: "Add to Home Screen" opens Tonight full-screen."""
    return {
        "id": "/",
        "name": "Bedside",
        "short_name": "Bedside",
        "description": "Plan the evening, log in seconds, stay safe, learn honestly.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": NIGHT,
        "theme_color": NIGHT,
        "icons": ICONS,
    }


@cache
def service_worker() -> str:
    """The service worker's script, its cache named after this version of Bedside."""
    script = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    return script.replace("__VERSION__", __version__)


@router.get("/manifest.webmanifest", name="web_app_manifest")
def web_app_manifest() -> Response:
    """The manifest, with its registered media type."""
    return JSONResponse(manifest(), media_type=MANIFEST_TYPE)


@router.get("/sw.js", name="service_worker")
def service_worker_script() -> Response:
    """The service worker, served from the root so that it controls every page."""
    return Response(
        service_worker(),
        media_type=SCRIPT_TYPE,
        headers={"service-worker-allowed": "/"},
    )


@router.get("/offline", name="offline_page")
def offline_page(request: Request) -> Response:
    """What the service worker shows when Bedside cannot be reached (no health data)."""
    return render(request, "offline.html", {"title": "Offline"})
