"""Server mode: the sign-in page, signing out (here or everywhere), password and tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError, TooManyAttemptsError
from bedside.services.accounts import change_password, end_all_sessions, revoke_token
from bedside.services.signin import SESSION_LIFETIME, end_session
from bedside.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_address,
    safe_next,
    set_session_cookie,
)
from bedside.web.forms import FormValues, errors_of, submitted_form
from bedside.web.pages.common import any_scope, bedside_of, require_server_mode, see_other
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


def _signin_page(
    request: Request, values: FormValues, message: str = "", status: int = 200
) -> Response:
    context = {"title": "Sign in", "section": "", "v": values, "message": message}
    return render(request, "signin.html", context, status)


@router.get("/signin", name="signin_page")
def signin(request: Request, next: str | None = None) -> Response:
    """The sign-in form (server mode)."""
    require_server_mode(request)
    return _signin_page(request, FormValues.of({"next": safe_next(next)}))


@router.post("/signin", name="signin_submit")
def signin_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Check the password; on success set the session cookie and go where the person was going.

    Wrong passwords answer 401 and, after too many, 429 with ``Retry-After``; the message
    is on the page, the e-mail is kept and the password is not.
    """
    require_server_mode(request)
    kept = FormValues.of({"email": values.get("email"), "next": safe_next(values.get("next"))})
    try:
        signed = bedside_of(request).sign_in(
            values.get("email"), values.get("password"), client_address(request.scope)
        )
    except TooManyAttemptsError as exc:
        response = _signin_page(request, kept, exc.message[:1].upper() + exc.message[1:], 429)
        response.headers["retry-after"] = str(exc.retry_after)
        return response
    except BedsideError as exc:
        return _signin_page(request, kept, exc.message[:1].upper() + exc.message[1:] + ".", 401)
    response = see_other(safe_next(values.get("next")))
    lifetime = int(SESSION_LIFETIME.total_seconds())
    set_session_cookie(response, request.scope, signed.session_id, lifetime)
    return response


@router.post("/signout", name="signout_submit")
def signout(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Sign this browser out; with ``everywhere``, every session of the person ends."""
    require_server_mode(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    with any_scope(request) as scope:
        if "everywhere" in values:
            end_all_sessions(scope.session, scope.user.id)
        elif cookie:
            end_session(scope.session, cookie)
    response = see_other("/signin")
    clear_session_cookie(response, request.scope)
    return response


@router.post("/settings/password", name="password_submit")
def password_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Change the password (the current one is asked); the person's other sessions end."""
    require_server_mode(request)
    try:
        if values.get("new_password") != values.get("repeat_password"):
            raise BedsideError("the two new passwords differ")
        with any_scope(request) as scope:
            change_password(
                scope.session,
                scope.user.id,
                values.get("current_password"),
                values.get("new_password"),
                keep_session=request.cookies.get(SESSION_COOKIE),
            )
    except BedsideError as exc:
        message = "; ".join(errors_of(exc).values()) or exc.message
        return render(
            request,
            "error.html",
            {"title": "Password not changed", "message": message, "status": 422},
            422,
        )
    return see_other("/settings?saved=password#account")


@router.post("/settings/tokens/{token_id}/revoke", name="token_revoke_submit")
def token_revoke(
    request: Request, token_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Revoke one of the person's own API tokens."""
    require_server_mode(request)
    with any_scope(request) as scope:
        revoke_token(scope.session, token_id, scope.now, user_id=scope.user.id)
    return see_other("/settings?saved=token#account")
