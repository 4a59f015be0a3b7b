"""Server mode: who is signed in (session cookie or ``Authorization: Bearer``), on every request.

Without a valid session or token, pages redirect to ``/signin`` and API calls get a 401
problem. The signed-in person's id goes into ``scope['state']['user_id']``; every page and
API route builds that person's :class:`~bedside.services.scope.Scope` from it.

A clinician acts for a person who granted access by sending ``X-Bedside-Person: ID`` (or,
in a browser, through the ``bedside_person`` cookie the person switcher sets). The grant is
checked and audited by the service on every such request; the result goes into
``scope['state']['acting']`` and the routes then build the owner's scope with the actor.
Routes about the signed-in account itself (:data:`OWN_ACCOUNT_PREFIXES`) never act for
anyone else.
"""

from __future__ import annotations

from urllib.parse import quote

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import Request, cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bedside.domain.errors import BedsideError
from bedside.services.runtime import Bedside
from bedside.services.sharing import Acting
from bedside.web.problems import classify, page_error, problem_response

SESSION_COOKIE = "bedside_session"
PERSON_COOKIE = "bedside_person"
PERSON_HEADER = "x-bedside-person"
SIGNIN_PATH = "/signin"
#: What may be reached signed out: the sign-in page, its assets, and the JSON sign-in.
PUBLIC_PATHS = frozenset({SIGNIN_PATH, "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_API = frozenset({("POST", "/api/v1/session")})
#: Routes about the signed-in account itself: they ignore ``X-Bedside-Person``.
OWN_ACCOUNT_PREFIXES = (
    "/api/v1/session",
    "/api/v1/tokens",
    "/api/v1/me",
    "/api/v1/shares",
    "/api/v1/people",
    "/api/v1/audit",
    "/api/v1/studies",
    "/signout",
    "/settings/password",
    "/settings/tokens/",
    "/settings/sharing",
    "/people",
    "/studies",
)


def is_public(method: str, path: str) -> bool:
    """True for what a signed-out visitor may reach."""
    return (
        path in PUBLIC_PATHS
        or path.startswith(PUBLIC_PREFIXES)
        or (method.upper(), path) in PUBLIC_API
    )


def credentials(headers: Headers) -> tuple[str | None, str | None]:
    """The session cookie and the Bearer token of a request (either may be missing)."""
    cookie = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE) or None
    scheme, _, token = headers.get("authorization", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return cookie, bearer


#: The installable app's shell: the same for everyone, so never a read of anyone's data.
SHELL_PATHS = frozenset({"/manifest.webmanifest", "/sw.js", "/offline"})


def is_own_account(path: str) -> bool:
    """True for routes about the signed-in account itself (never acting for someone else)."""
    return path.startswith(OWN_ACCOUNT_PREFIXES) or path in SHELL_PATHS


def person_asked(headers: Headers) -> tuple[str | None, bool]:
    """Whose data the request asks for (``X-Bedside-Person`` or the cookie), and if by cookie."""
    header = headers.get(PERSON_HEADER)
    if header is not None:
        return header, False
    cookie = cookie_parser(headers.get("cookie", "")).get(PERSON_COOKIE) or None
    return cookie, cookie is not None


def user_id_of(scope: Scope) -> int | None:
    """The signed-in person's id, put there by :class:`AccountsMiddleware` (None: local mode)."""
    value = scope.get("state", {}).get("user_id")
    return value if isinstance(value, int) else None


def acting_of(scope: Scope) -> Acting | None:
    """The grant a request acts under (a clinician for a person), or None."""
    value = scope.get("state", {}).get("acting")
    return value if isinstance(value, Acting) else None


class AccountsMiddleware:
    """Pure ASGI middleware: resolve the signed-in person, or refuse (server mode only)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Put the person's id in the request state, or answer 401 / redirect to sign-in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bedside: Bedside = scope["app"].state.bedside
        cookie, bearer = credentials(Headers(scope=scope))
        caller = None
        if cookie or bearer:
            caller = await anyio.to_thread.run_sync(bedside.signed_in_user, cookie, bearer)
        user_id = caller.user_id if caller is not None else None
        state = scope.setdefault("state", {})
        state["user_id"] = user_id
        state["role"] = caller.role if caller is not None else None
        path: str = scope["path"]
        if user_id is None and not is_public(scope["method"], path):
            await _refusal(scope, path, bearer is not None)(scope, receive, send)
            return
        person, by_cookie = person_asked(Headers(scope=scope))
        state["acting"] = None
        acts = not is_own_account(path) and not is_public(scope["method"], path)
        if user_id is not None and person is not None and acts:
            try:
                state["acting"] = await anyio.to_thread.run_sync(
                    bedside.act_for, user_id, person, scope["method"], path
                )
            except BedsideError as exc:
                await _acting_refused(scope, receive, exc, by_cookie)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _acting_refused(scope: Scope, receive: Receive, exc: BedsideError, by_cookie: bool) -> Response:
    """403/404 for a request for someone who has not (or no longer) granted access."""
    status, kind, title = classify(exc)
    if scope["path"].startswith("/api/"):
        response: Response = problem_response(status, title, exc.message, kind=kind, field="person")
    else:
        response = page_error(Request(scope, receive), status, title, exc.message)
    if by_cookie and status == 404:
        clear_person_cookie(response, scope)
    return response


def _refusal(scope: Scope, path: str, had_token: bool) -> Response:
    if path.startswith("/api/"):
        detail = (
            "This token is not valid (unknown, revoked or its account is disabled)."
            if had_token
            else "Sign in first: send 'Authorization: Bearer TOKEN', or POST /api/v1/session."
        )
        response = problem_response(401, "Not signed in", detail, kind="unauthorized")
        response.headers["www-authenticate"] = 'Bearer realm="bedside"'
        return response
    query = scope.get("query_string", b"").decode("latin-1")
    target = path + (f"?{query}" if query else "")
    where = "" if target == "/" else f"?next={quote(target, safe='')}"
    return RedirectResponse(SIGNIN_PATH + where, status_code=303)


def client_address(scope: Scope) -> str:
    """The caller's address (the proxy's ``X-Forwarded-For`` only when it is trusted)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def set_session_cookie(response: Response, scope: Scope, session_id: str, max_age: int) -> None:
    """The session cookie: ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` over TLS."""
    secure = scope.get("scheme") == "https" or bool(scope["app"].state.settings.tls)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_person_cookie(response: Response, scope: Scope) -> None:
    """Stop acting for someone else in this browser."""
    secure = scope.get("scheme") == "https" or bool(scope["app"].state.settings.tls)
    response.delete_cookie(PERSON_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def set_person_cookie(response: Response, scope: Scope, person_id: int) -> None:
    """Act for ``person_id`` in this browser (checked again on every request)."""
    secure = scope.get("scheme") == "https" or bool(scope["app"].state.settings.tls)
    response.set_cookie(
        PERSON_COOKIE, str(person_id), path="/", secure=secure, httponly=True, samesite="lax"
    )


def clear_session_cookie(response: Response, scope: Scope) -> None:
    """Remove the session cookie from the browser."""
    secure = scope.get("scheme") == "https" or bool(scope["app"].state.settings.tls)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target
