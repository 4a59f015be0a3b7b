"""Web security: the Host allow-list, cross-site checks, CSRF tokens and response headers.

In local mode Bedside has no accounts and listens on loopback only; in server mode people
sign in (``bedside.web.auth``). Neither stops a web page on another site from talking to it
through the person's browser, hence:

* the ``Host`` header must be the served address (a DNS-rebinding page fails this);
* unsafe methods, and every JSON API call, are refused unless the browser says they come
  from this origin (``Sec-Fetch-Site``, else ``Origin``);
* API writes must be ``application/json`` (a plain HTML form cannot send that);
* every form carries a CSRF token matching a signed, ``SameSite=Strict`` cookie.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from itsdangerous import BadSignature, Signer
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bedside.services.web_secret import SECRET_FILE, load_secret
from bedside.web.problems import problem_response

CSRF_COOKIE = "bedside_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = frozenset({"0.0.0.0", "::", "[::]"})  # noqa: S104 - names, not a bind
SAME_ORIGIN_SITES = frozenset({"same-origin", "none"})
__all__ = ["SECRET_FILE", "CsrfTokens", "SecurityMiddleware", "allowed_hosts", "load_secret"]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}


def allowed_hosts(host: str, port: int, names: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` header values that address this server.

    Loopback names with the port (also for a wildcard address such as ``0.0.0.0``), else the
    listening address; plus ``names``, the configured names and the machine's addresses, with
    the port or without it (a reverse proxy on 443 sends the bare name).
    """
    own = set(LOOPBACK_NAMES) if _is_loopback_name(host) or host in WILDCARDS else {host}
    hosts = {f"{name}:{port}" for name in own}
    if port == 80:
        hosts |= own
    for name in names:
        shown = f"[{name}]" if ":" in name and not name.startswith("[") else name
        hosts |= {shown, f"{shown}:{port}"}
    return frozenset(h.lower() for h in hosts)


def _is_loopback_name(host: str) -> bool:
    return host.strip("[]") in {"127.0.0.1", "localhost", "::1"}


class CsrfTokens:
    """Double-submit tokens: a random token in a signed cookie and in each form."""

    def __init__(self, secret: bytes) -> None:
        self._signer = Signer(secret, salt="bedside-csrf")

    def new(self) -> tuple[str, str]:
        """A fresh token and its signed cookie value."""
        token = secrets.token_urlsafe(32)
        return token, self._signer.sign(token).decode()

    def from_cookie(self, value: str | None) -> str | None:
        """The token in a cookie value, or None when it is missing or forged."""
        if not value:
            return None
        try:
            return self._signer.unsign(value).decode()
        except BadSignature:
            return None

    @staticmethod
    def matches(expected: str | None, given: str | None) -> bool:
        """Constant-time comparison of the cookie's token and the form's."""
        if not expected or not given:
            return False
        return hmac.compare_digest(expected.encode(), given.encode())


class SecurityMiddleware:
    """Pure ASGI middleware applying the checks above to every HTTP request."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], port: int) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.origins = frozenset(f"{s}://{h}" for h in self.hosts for s in ("http", "https"))
        self.port = port
        usual = [f"127.0.0.1:{port}", f"localhost:{port}"]
        shown = usual if set(usual) <= self.hosts else sorted(self.hosts)
        self.served = " or ".join(shown)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what must be refused, then pass on with a CSRF token in ``scope['state']``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await _with_headers(refusal, send)(scope, receive, send)
            return
        tokens: CsrfTokens = scope["app"].state.tokens  # loaded at start-up
        cookies = _cookies(Headers(scope=scope))
        token = tokens.from_cookie(cookies.get(CSRF_COOKIE))
        set_cookie = None
        if token is None:
            token, set_cookie = tokens.new()
        scope.setdefault("state", {})["csrf_token"] = token
        await self.app(scope, receive, _with_headers_send(send, set_cookie))

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        path: str = scope["path"]
        method: str = scope["method"]
        is_api = path.startswith("/api/")
        if headers.get("host", "").lower() not in self.hosts:
            return _refuse(
                is_api,
                400,
                "Wrong host",
                f"Bedside only answers requests addressed to {self.served}.",
            )
        if (is_api or method in UNSAFE_METHODS) and self._cross_site(headers):
            return _refuse(
                is_api, 403, "Cross-site request", "Requests from other web sites are refused."
            )
        if is_api and method in BODY_METHODS and not _is_json(headers) and _routed(scope):
            return problem_response(
                415,
                "Unsupported media type",
                "Send the request body as JSON with Content-Type: application/json.",
            )
        return None

    def _cross_site(self, headers: Headers) -> bool:
        """True unless the browser says the request comes from this very origin.

        ``Sec-Fetch-Site`` is trusted first (``same-site`` is refused too: another port on
        this computer is another origin). Without it, a foreign ``Origin`` is refused; a
        ``null`` origin is accepted only when ``Sec-Fetch-Site`` vouches for it.
        """
        site = headers.get("sec-fetch-site")
        origin = headers.get("origin")
        if site is not None:
            if site.lower() not in SAME_ORIGIN_SITES:
                return True
            return origin is not None and origin != "null" and origin.lower() not in self.origins
        return origin is not None and origin.lower() not in self.origins


def _routed(scope: Scope) -> bool:
    """True when a route answers this path *and* method (else the app says 404 or 405)."""
    from starlette.routing import Match

    routes = getattr(getattr(scope.get("app"), "router", None), "routes", ())
    return any(route.matches(scope)[0] == Match.FULL for route in routes)


def _refuse(is_api: bool, status: int, title: str, detail: str) -> Response:
    if is_api:
        return problem_response(status, title, detail)
    return PlainTextResponse(f"{title}. {detail}", status_code=status)


def _is_json(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _cookies(headers: Headers) -> dict[str, str]:
    return cookie_parser(headers.get("cookie", ""))


def _cookie_header(value: str) -> str:
    return f"{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"


def _with_headers_send(send: Send, cookie: str | None) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
            if cookie is not None:
                headers.append("set-cookie", _cookie_header(cookie))
        await send(message)

    return wrapped


def _with_headers(response: Response, send: Send) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, _send: Send) -> None:
        await response(scope, receive, _with_headers_send(send, None))

    return app
