"""The HTML pages: plain forms, POST then redirect, no JavaScript required."""

from __future__ import annotations

from fastapi import FastAPI

from bedside.web.pages import (
    account,
    app_shell,
    data,
    diary,
    entries,
    history,
    log,
    products,
    settings,
    sharing,
    studies,
    tonight,
)
from bedside.web.pages import experiments as experiments_pages
from bedside.web.pages import imports as imports_pages
from bedside.web.pages import insights as insights_pages
from bedside.web.pages import report as report_pages
from bedside.web.pages import safety as safety_pages
from bedside.web.pages import signals as signals_pages
from bedside.web.pages.common import ProfileMissingError, needs_profile


def install_pages(app: FastAPI) -> None:
    """Add every page route and the first-run redirect to ``app``."""
    app.include_router(app_shell.router)
    for module in (tonight, log, entries, diary, history, products, settings, data, account):
        app.include_router(module.router)
    app.include_router(sharing.router)
    app.include_router(studies.router)
    app.include_router(insights_pages.router)
    app.include_router(experiments_pages.router)
    for page in (safety_pages, signals_pages, imports_pages, report_pages):
        app.include_router(page.router)
    app.add_exception_handler(ProfileMissingError, needs_profile)
