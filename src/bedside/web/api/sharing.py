"""API: who is signed in, a participant's grants to clinicians, a clinician's people, audit."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from bedside.domain.errors import NotFoundError
from bedside.services.accounts import my_account
from bedside.services.caseload import PersonStatus, people
from bedside.services.sharing import AuditOut, ShareOut, audit_log, invite, list_shares, revoke
from bedside.web.api.common import Id, api_scope, no_content

router = APIRouter(tags=["sharing"])


class MeOut(BaseModel):
    """The signed-in account."""

    id: int
    email: str
    role: str


class ShareIn(BaseModel):
    """Invite a clinician by the e-mail of their account."""

    email: str = Field(max_length=254)
    access: Literal["viewer", "manager"] = "viewer"


def _server_mode(request: Request) -> None:
    if not request.app.state.settings.server_mode:
        raise NotFoundError(
            "sharing", "local", "sharing", "This Bedside runs without accounts (local mode)."
        )


@router.get("/me", name="get_me")
def get_me(request: Request) -> MeOut:
    """The signed-in account: ``id``, ``email`` and ``role``."""
    _server_mode(request)
    with api_scope(request) as scope:
        account = my_account(scope.session, scope.user.id)
        return MeOut(id=scope.user.id, email=account.email, role=account.role)


@router.post("/shares", name="create_share", status_code=201)
def create_share(request: Request, body: ShareIn) -> ShareOut:
    """Let a clinician follow along: ``viewer`` reads, ``manager`` may also edit the plan.

    For an e-mail with no account yet the grant is ``pending`` (no e-mail is sent: ask them
    to sign up with it); it starts when that account is created, and can be revoked before.
    """
    _server_mode(request)
    with api_scope(request) as scope:
        return invite(scope.session, scope.user.id, body.email, body.access, scope.now)


@router.get("/shares", name="list_shares")
def get_shares(request: Request) -> list[ShareOut]:
    """Who has access to my data (and pending invitations), since when, what they last viewed."""
    _server_mode(request)
    with api_scope(request) as scope:
        return list_shares(scope.session, scope.user.id)


@router.delete("/shares/{share_id}", name="revoke_share", status_code=204)
def delete_share(request: Request, share_id: Id) -> Response:
    """Revoke a grant: it stops working on the clinician's next request."""
    _server_mode(request)
    with api_scope(request) as scope:
        revoke(scope.session, scope.user.id, share_id, scope.now)
    return no_content()


@router.get("/people", name="list_people")
def get_people(request: Request) -> list[PersonStatus]:
    """The people who granted me access (send ``X-Bedside-Person: ID`` to act for one)."""
    _server_mode(request)
    with api_scope(request) as scope:
        return people(scope)


@router.get("/audit", name="get_audit")
def get_audit(request: Request) -> list[AuditOut]:
    """Every read of my data by someone else: who, what and when (newest first)."""
    with api_scope(request) as scope:
        return audit_log(scope.session, scope.user.id)
