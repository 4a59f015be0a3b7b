"""Server mode: a clinician's people (and switching to one), a participant's grants."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.caseload import people
from bedside.services.sharing import grant_from, invite, revoke
from bedside.web.auth import clear_person_cookie, set_person_cookie
from bedside.web.forms import FormValues, submitted_form
from bedside.web.pages.common import any_scope, require_server_mode, see_other
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/people", name="people_page")
def people_page(request: Request) -> Response:
    """A clinician's home: the people who granted access, each with a status line."""
    require_server_mode(request)
    with any_scope(request) as scope:
        found = people(scope)
    context = {"title": "People who share with you", "section": "people", "people": found}
    return render(request, "people.html", context)


@router.post("/people/{person_id}/view", name="people_view_submit")
def people_view(
    request: Request, person_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """See this person's pages (read-only for a viewer) until "Back to your people"."""
    require_server_mode(request)
    with any_scope(request) as scope:
        grant_from(scope.session, scope.user.id, person_id)
    response = see_other("/")
    set_person_cookie(response, request.scope, person_id)
    return response


@router.post("/people/leave", name="people_leave_submit")
def people_leave(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Stop viewing someone else's data in this browser."""
    response = see_other("/people")
    clear_person_cookie(response, request.scope)
    return response


@router.post("/settings/sharing", name="sharing_invite_submit")
def sharing_invite(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Let a clinician follow along (viewer or manager)."""
    require_server_mode(request)
    try:
        with any_scope(request) as scope:
            made = invite(
                scope.session,
                scope.user.id,
                values.get("email"),
                values.get("access", "viewer"),
                scope.now,
            )
    except BedsideError as exc:
        context = {"title": "Not shared", "message": exc.message, "status": 422}
        return render(request, "error.html", context, 422)
    return see_other(f"/settings?saved={'invited' if made.pending else 'shared'}#sharing")


@router.post("/settings/sharing/{share_id}/revoke", name="sharing_revoke_submit")
def sharing_revoke(
    request: Request, share_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """End a clinician's access at once."""
    require_server_mode(request)
    with any_scope(request) as scope:
        revoke(scope.session, scope.user.id, share_id, scope.now)
    return see_other("/settings?saved=unshared#sharing")
