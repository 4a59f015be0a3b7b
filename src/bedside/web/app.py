"""The web application: ``create_app(settings)`` builds it; nothing connects until it starts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles

from bedside import __version__
from bedside.settings import Settings
from bedside.web import problems
from bedside.web.auth import AccountsMiddleware
from bedside.web.problems import PROBLEM_JSON
from bedside.web.rendering import make_templates
from bedside.web.security import CsrfTokens, SecurityMiddleware, allowed_hosts, load_secret

STATIC_DIR = Path(__file__).parent / "static"
API_DESCRIPTION = (
    "The JSON API of a local Bedside. Times are ISO 8601 with offsets; a night is keyed by the "
    "local date of its evening. Errors are RFC 9457 problem details "
    "(`application/problem+json`) naming the `field` at fault. Writes must be sent as "
    "`application/json`. In server mode every call needs a personal token "
    "(`Authorization: Bearer TOKEN`, from `bedside token create`) or a session cookie from "
    "`POST /api/v1/session`; without one the answer is 401."
)


def operation_id(route: APIRoute) -> str:
    """Stable OpenAPI operation ids: the route's name (e.g. ``list_doses``)."""
    return route.name


class BedsideApp(FastAPI):
    """FastAPI with an OpenAPI schema that documents errors as they are sent."""

    def openapi(self) -> dict[str, Any]:
        """The schema, with problem responses only as ``application/problem+json``."""
        if self.openapi_schema is None:
            tidy_problems(super().openapi())
        assert self.openapi_schema is not None
        return self.openapi_schema


def tidy_problems(schema: dict[str, Any]) -> None:
    """Keep each problem response's one media type, and only the statuses that can happen."""
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses: dict[str, Any] = operation.get("responses", {})
            for status in list(responses):
                content = responses[status].get("content", {})
                if PROBLEM_JSON in content:
                    content.pop("application/json", None)
            if method not in ("post", "put", "patch"):
                responses.pop("415", None)
                responses.pop("409", None)


def secret_dir(settings: Settings) -> Path:
    """Where the signing secret lives: the private data directory, never beside ``--db``.

    A ``--db`` in a shared folder (``/tmp``) must not put the secret where others can read or
    plant it.
    """
    return settings.data_dir


def prepare(settings: Settings) -> None:
    """What the server needs before it listens: the schema migrated and the signing secret.

    Run by ``bedside serve`` first, so a full disk or a folder that cannot be written is
    reported on one line instead of as a start-up traceback. Raises a ``MachineError``.
    """
    from bedside.services.runtime import Bedside, machine_faults

    bedside = Bedside(settings)
    try:
        bedside.start()
    finally:
        bedside.close()
    with machine_faults():
        load_secret(secret_dir(settings))


def create_app(settings: Settings, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """Build the web app and JSON API for ``settings``; the database opens at start-up."""
    from bedside.web.api import api_router
    from bedside.web.pages import install_pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from bedside.services.runtime import Bedside
        from bedside.services.scope import utc_now

        bedside = Bedside(settings, clock or utc_now).start()
        app.state.bedside = bedside
        app.state.tokens = CsrfTokens(load_secret(secret_dir(settings)))
        try:
            yield
        finally:
            bedside.close()

    app = BedsideApp(
        title="Bedside API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api_router)
    install_pages(app)
    problems.install(app)
    if settings.server_mode:
        app.add_middleware(AccountsMiddleware)
    app.add_middleware(
        SecurityMiddleware,
        hosts=allowed_hosts(settings.host, settings.port, settings.server_names),
        port=settings.port,
    )
    return app
