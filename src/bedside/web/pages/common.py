"""What every page needs: the person's scope, first-run redirects, and where to go after saving."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from bedside.domain.errors import NotFoundError
from bedside.services.history import DEFAULT_NIGHTS
from bedside.services.runtime import Bedside
from bedside.services.scope import Scope
from bedside.web.auth import acting_of, user_id_of

FIRST_RUN_URL = "/welcome"


class ProfileMissingError(Exception):
    """Raised by a page while no profile exists: the person is sent to the first-run page."""


def bedside_of(request: Request) -> Bedside:
    """The running application (built at start-up)."""
    bedside: Bedside = request.app.state.bedside
    return bedside


@contextmanager
def any_scope(request: Request) -> Iterator[Scope]:
    """The person's scope in one transaction, profile or not."""
    with bedside_of(request).scope(user_id_of(request.scope), acting_of(request.scope)) as scope:
        profile = scope.profile  # noqa: F841 - held so the session does not fetch it again
        yield scope


@contextmanager
def page_scope(request: Request) -> Iterator[Scope]:
    """The person's scope in one transaction; ProfileMissingError when there is no profile."""
    with bedside_of(request).scope(user_id_of(request.scope), acting_of(request.scope)) as scope:
        profile = scope.profile  # held here so the session keeps it: one query per request
        if profile is None:
            raise ProfileMissingError
        yield scope


async def needs_profile(request: Request, exc: Exception) -> Response:
    """Send the person to the first-run page."""
    return see_other(FIRST_RUN_URL)


def require_server_mode(request: Request) -> None:
    """Answer 404 for an accounts page when this Bedside runs without accounts."""
    if not request.app.state.settings.server_mode:
        raise NotFoundError(
            "page", request.url.path, "page", "This Bedside runs without accounts (local mode)."
        )


def see_other(url: str) -> RedirectResponse:
    """POST-then-redirect: a 303 to ``url``."""
    return RedirectResponse(url, status_code=303)


def local_now(scope: Scope) -> str:
    """Now in the person's zone, as the value of a ``datetime-local`` input."""
    return scope.now.astimezone(scope.tz).strftime("%Y-%m-%dT%H:%M")


def history_url(night: date, tonight: date) -> str:
    """The History page showing ``night`` (the default range when it is recent)."""
    anchor = f"#night-{night.isoformat()}"
    if tonight - timedelta(days=DEFAULT_NIGHTS - 1) <= night <= tonight:
        return "/history" + anchor
    start = night - timedelta(days=3)
    end = night + timedelta(days=3)
    return f"/history?from={start.isoformat()}&to={end.isoformat()}{anchor}"


def after_saving(kind: str, night: date, tonight: date) -> str:
    """Where to go once an entry is saved: Tonight for tonight's entries, else its night."""
    if night == tonight:
        return f"/?saved={kind}"
    return history_url(night, tonight)
