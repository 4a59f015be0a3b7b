"""Server mode: who is signed in (session cookie or ``Authorization: Bearer``), on every request.

Without a valid session or token, pages redirect to ``/signin`` and API calls get a 401
problem. The signed-in person's id goes into ``scope['state']['user_id']``; every page and
API route builds that person's :class:`~bedside.services.scope.Scope` from it.
"""

from __future__ import annotations

from urllib.parse import quote

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bedside.services.runtime import Bedside
from bedside.web.problems import problem_response

SESSION_COOKIE = "bedside_session"
SIGNIN_PATH = "/signin"
#: What may be reached signed out: the sign-in page, its assets, and the JSON sign-in.
PUBLIC_PATHS = frozenset({SIGNIN_PATH, "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_API = frozenset({("POST", "/api/v1/session")})


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


def user_id_of(scope: Scope) -> int | None:
    """The signed-in person's id, put there by :class:`AccountsMiddleware` (None: local mode)."""
    value = scope.get("state", {}).get("user_id")
    return value if isinstance(value, int) else None


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
        user_id = None
        if cookie or bearer:
            user_id = await anyio.to_thread.run_sync(bedside.signed_in_user, cookie, bearer)
        state = scope.setdefault("state", {})
        state["user_id"] = user_id
        path: str = scope["path"]
        if user_id is None and not is_public(scope["method"], path):
            await _refusal(scope, path, bearer is not None)(scope, receive, send)
            return
        await self.app(scope, receive, send)


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


def clear_session_cookie(response: Response, scope: Scope) -> None:
    """Remove the session cookie from the browser."""
    secure = scope.get("scheme") == "https" or bool(scope["app"].state.settings.tls)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target
