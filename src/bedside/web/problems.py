"""Errors as answers: RFC 9457 problem details for the API, calm HTML pages for people.

User mistakes (``InputError`` 422, ``NotFoundError`` 404, ``ConflictError`` 409, request
validation 422) carry the field at fault. Anything else is a 500 whose body and log line name
no value the person entered: only the exception type is logged, never its message.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.exc import DatabaseError as DBAPIDatabaseError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bedside.domain.errors import (
    BedsideError,
    BusyError,
    ConflictError,
    DiskFullError,
    ForbiddenError,
    InputError,
    MachineError,
    NotFoundError,
    SignInError,
    StorageError,
    TooManyAttemptsError,
)

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = {
    "input": "A value is invalid; `field` names it.",
    "not-found": "The entry does not exist (or is not yours).",
    "conflict": "The entry clashes with one that exists.",
    "busy": "An import holds the database; retry after `Retry-After` seconds.",
    "validation": "The request does not match the schema; `errors` lists every problem.",
    "internal": "Something went wrong on the server; nothing was saved.",
    "disk-full": "The disk holding the data is full; nothing was saved.",
    "storage": "The database cannot be used or written as it is (damaged, made by a newer "
    "Bedside, read-only, or in a folder that cannot be written); nothing was saved.",
    "unauthorized": "Not signed in (server mode): sign in or send a valid Bearer token.",
    "too-many-attempts": "Too many failed sign-ins; `Retry-After` says when to try again.",
}
log = logging.getLogger("bedside.web")
#: FastAPI's detail for a body it could not decode (e.g. bytes that are not UTF-8).
BODY_PARSE_ERROR = "There was an error parsing the body"


class FieldProblem(BaseModel):
    """One problem with one field of a request."""

    field: str
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem details object, with the field at fault when there is one."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[FieldProblem] | None = None


PROBLEM_CONTENT: dict[str, Any] = {
    PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": description, "content": PROBLEM_CONTENT}
    for status, description in (
        (400, "Wrong Host header, or a body that is not UTF-8 JSON text"),
        (404, "Not found"),
        (409, "Conflict"),
        (415, "Not JSON"),
        (422, "Invalid input"),
        (503, "The data cannot be written where it lives (nothing was saved)"),
        (507, "The disk is full (nothing was saved)"),
    )
}

#: Declared on the routes that can refuse the signed-in account (see ``web/api/__init__``).
FORBIDDEN_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {
        "model": Problem,
        "description": (
            "Forbidden: a change made for someone else that the grant does not allow (a "
            "viewer's, or a manager's outside the plan), or an account of the wrong role"
        ),
        "content": PROBLEM_CONTENT,
    }
}


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    kind: str | None = None,
    field: str | None = None,
    errors: list[FieldProblem] | None = None,
) -> JSONResponse:
    """A ``application/problem+json`` response."""
    body = Problem(
        type=f"/api/docs#problem-{kind}" if kind else "about:blank",
        title=title,
        status=status,
        detail=detail,
        field=field,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True), status_code=status, media_type=PROBLEM_JSON
    )


def is_api(request: Request) -> bool:
    """True for JSON API requests (which get problem details rather than pages)."""
    return request.url.path.startswith("/api/")


def classify(exc: BedsideError) -> tuple[int, str, str]:
    """HTTP status, problem kind and title of a user mistake."""
    if isinstance(exc, NotFoundError):
        return 404, "not-found", "Not found"
    if isinstance(exc, ConflictError):
        return 409, "conflict", "Conflict"
    if isinstance(exc, BusyError):
        return 503, "busy", "Busy"
    if isinstance(exc, DiskFullError):
        return 507, "disk-full", "Disk full"
    if isinstance(exc, StorageError):
        return 503, "storage", "Database unavailable"
    if isinstance(exc, MachineError):
        return 503, "storage", "Cannot save"
    if isinstance(exc, SignInError):
        return 401, "unauthorized", "Not signed in"
    if isinstance(exc, ForbiddenError):
        return 403, "forbidden", "Forbidden"
    if isinstance(exc, TooManyAttemptsError):
        return 429, "too-many-attempts", "Too many attempts"
    return 422, "input", "Invalid input"


def error_field(exc: BedsideError) -> str | None:
    """The field a user mistake is about, if any."""
    field = getattr(exc, "field", None)
    return field if isinstance(field, str) else None


async def bedside_error(request: Request, exc: Exception) -> Response:
    """InputError, NotFoundError, ConflictError, BusyError → 422/404/409/503."""
    assert isinstance(exc, BedsideError)
    status, kind, title = classify(exc)
    response: Response
    if is_api(request):
        response = problem_response(status, title, exc.message, kind=kind, field=error_field(exc))
    else:
        response = page_error(request, status, title, exc.message, NEXT_LINKS.get(exc.next_step))
    if isinstance(exc, BusyError):
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, TooManyAttemptsError):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def database_error(request: Request, exc: Exception) -> Response:
    """Damaged pages met while answering: 503 with the one-line refusal; else the crash barrier.

    The next start runs SQLite's full quick check again.
    """
    from bedside.services.runtime import damage_refusal

    refusal = damage_refusal(request.app.state.settings, getattr(exc, "orig", None))
    if refusal is None:
        raise exc
    return await bedside_error(request, refusal)


async def validation_error(request: Request, exc: Exception) -> Response:
    """Request validation → 422 with every problem listed (never echoing the values)."""
    assert isinstance(exc, RequestValidationError)
    errors = [_field_problem(error) for error in exc.errors()]
    if not is_api(request):
        return page_error(request, 404, "Not found", "There is no such page.")
    first = errors[0] if errors else FieldProblem(field="body", message="invalid", type="invalid")
    return problem_response(
        422,
        "Invalid request",
        f"{first.field}: {first.message}",
        kind="validation",
        field=first.field,
        errors=errors,
    )


def _field_problem(error: Any) -> FieldProblem:
    if error.get("type") == "json_invalid":  # loc is ("body", <character position>)
        return _json_problem(error)
    loc = [str(part) for part in error.get("loc", ())]
    where = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else "body")
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return FieldProblem(field=where, message=message, type=str(error.get("type", "invalid")))


def _json_problem(error: Any) -> FieldProblem:
    """A body that is not JSON at all: the field is ``body``, with where parsing stopped."""
    loc = list(error.get("loc", ()))
    where = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
    reason = str((error.get("ctx") or {}).get("error", "")).strip()
    detail = f" ({reason})" if reason else ""
    return FieldProblem(field="body", message=f"not valid JSON{detail}{where}", type="json_invalid")


async def http_error(request: Request, exc: Exception) -> Response:
    """404 for unknown paths, 405 for wrong methods, and other HTTP errors."""
    assert isinstance(exc, StarletteHTTPException)
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404:
        detail = "There is no such page." if not is_api(request) else "No such resource."
    if exc.status_code == 400 and detail == BODY_PARSE_ERROR:
        detail = "The request body could not be read: send JSON as UTF-8 text."
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    if is_api(request):
        response: Response = problem_response(exc.status_code, title, detail)
    else:
        response = page_error(request, exc.status_code, title, detail)
    if headers:
        response.headers.update(headers)
    return response


def allowed_methods(request: Request) -> str:
    """Every method some route answers at this path (Starlette names only the first route's)."""
    from starlette.routing import Match

    routes = request.app.router.routes
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in routes):
            allowed.append(method)
    return ", ".join(allowed)


#: The page that takes the next step a service error asks for, as (address, link text).
NEXT_LINKS: Final[dict[str | None, tuple[str, str]]] = {
    "set_up_profile": ("/welcome", "Set up your profile"),
    "plan_experiment": ("/experiments", "Plan an experiment"),
}


def page_error(
    request: Request,
    status: int,
    title: str,
    message: str,
    next_link: tuple[str, str] | None = None,
) -> Response:
    """An HTML error page in the site's layout; ``next_link`` leads to the next step."""
    from bedside.web.rendering import render

    context = {"section": "error", "title": title, "message": message, "status": status}
    return render(request, "error.html", {**context, "next_link": next_link}, status)


INTERNAL_HTML = (
    "<!doctype html><html lang=en><meta charset=utf-8>"
    "<meta name=viewport content='width=device-width, initial-scale=1'>"
    "<link rel=stylesheet href=/static/bedside.css><title>Something went wrong</title>"
    "<main class=page><h1>Something went wrong</h1><p>Nothing was saved. "
    "Go back and try again; if it keeps happening, run <code>bedside</code> from a terminal "
    "to check the database.</p><p><a href='/'>Back to Tonight</a></p></main></html>"
)


class CrashBarrier:
    """Turn any unhandled exception into a bare 500 and log only its type, never its text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; on a crash answer 500 unless the response had already started."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("internal error (%s) on %s", type(exc).__name__, scope.get("method"))
            if started:
                return
            response: Response
            if str(scope.get("path", "")).startswith("/api/"):
                response = problem_response(
                    500,
                    "Internal error",
                    "Something went wrong on the server; nothing was saved.",
                    kind="internal",
                )
            else:
                response = HTMLResponse(INTERNAL_HTML, status_code=500)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register the handlers and the crash barrier on ``app``."""
    app.add_exception_handler(BedsideError, bedside_error)
    app.add_exception_handler(InputError, bedside_error)
    app.add_exception_handler(BusyError, bedside_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DBAPIDatabaseError, database_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_middleware(CrashBarrier)
