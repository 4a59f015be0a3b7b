"""The HTML pages: plain forms, POST then redirect, no JavaScript required."""

from __future__ import annotations

from fastapi import FastAPI

from bedside.web.pages import diary, entries, history, log, products, settings, tonight
from bedside.web.pages.common import ProfileMissingError, needs_profile


def install_pages(app: FastAPI) -> None:
    """Add every page route and the first-run redirect to ``app``."""
    for module in (tonight, log, entries, diary, history, products, settings):
        app.include_router(module.router)
    app.add_exception_handler(ProfileMissingError, needs_profile)
