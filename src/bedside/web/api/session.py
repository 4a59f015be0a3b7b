"""API: signing a browser in and out (server mode), and the person's own API tokens."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from bedside.domain.errors import NotFoundError
from bedside.services.accounts import TokenInfo, list_tokens, my_account, revoke_token
from bedside.services.signin import SESSION_LIFETIME, end_session
from bedside.web.api.common import Id, api_scope, no_content
from bedside.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_address,
    set_session_cookie,
)
from bedside.web.problems import PROBLEM_CONTENT, Problem

router = APIRouter(tags=["session"])
AUTH_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "Wrong e-mail or password", "content": PROBLEM_CONTENT},
    429: {
        "model": Problem,
        "description": "Too many failed sign-ins (see Retry-After)",
        "content": PROBLEM_CONTENT,
    },
}


class SignInIn(BaseModel):
    """E-mail and password of an account (server mode)."""

    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class SessionOut(BaseModel):
    """Who is signed in, and until when the browser session lasts (None for a token)."""

    email: str
    role: str
    expires_at: datetime | None = None


def _server_mode(request: Request) -> None:
    if not request.app.state.settings.server_mode:
        raise NotFoundError(
            "session", "local", "session", "This Bedside runs without accounts (local mode)."
        )


@router.post("/session", name="create_session", response_model=SessionOut, responses=AUTH_RESPONSES)
def create_session(request: Request, body: SignInIn) -> JSONResponse:
    """Sign a browser in: sets the ``bedside_session`` cookie (HttpOnly, SameSite=Lax)."""
    _server_mode(request)
    signed = request.app.state.bedside.sign_in(
        body.email, body.password, client_address(request.scope)
    )
    out = SessionOut(
        email=signed.account.email, role=signed.account.role, expires_at=signed.expires_at
    )
    response = JSONResponse(out.model_dump(mode="json"))
    set_session_cookie(
        response, request.scope, signed.session_id, int(SESSION_LIFETIME.total_seconds())
    )
    return response


@router.get("/session", name="get_session")
def get_session(request: Request) -> SessionOut:
    """Who is signed in (by session cookie or Bearer token)."""
    _server_mode(request)
    with api_scope(request) as scope:
        account = my_account(scope.session, scope.user.id)
    return SessionOut(email=account.email, role=account.role)


@router.delete("/session", name="delete_session", status_code=204)
def delete_session(request: Request) -> Response:
    """Sign this browser out (the cookie is cleared and its session ends)."""
    _server_mode(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    with api_scope(request) as scope:
        if cookie:
            end_session(scope.session, cookie)
    response = no_content()
    clear_session_cookie(response, request.scope)
    return response


@router.get("/tokens", name="list_tokens")
def list_my_tokens(request: Request) -> list[TokenInfo]:
    """The person's own API tokens (names and use; never the tokens themselves)."""
    _server_mode(request)
    with api_scope(request) as scope:
        return list_tokens(scope.session, scope.user.id)


@router.delete("/tokens/{token_id}", name="revoke_token", status_code=204)
def revoke_my_token(request: Request, token_id: Id) -> Response:
    """Revoke one of the person's own API tokens."""
    _server_mode(request)
    with api_scope(request) as scope:
        revoke_token(scope.session, token_id, scope.now, user_id=scope.user.id)
    return no_content()
