"""Server mode: the Studies page: join with a code and consent, withdraw; a researcher's view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.studies import join, studies_view, withdraw
from bedside.services.study_export import study_zip
from bedside.web.forms import FormValues, submitted_form
from bedside.web.pages.common import any_scope, require_server_mode, see_other
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/studies", name="studies_page")
def studies_page(request: Request, code: str | None = None, done: str | None = None) -> Response:
    """A participant's studies (and a consent screen for ``code``); a researcher's studies."""
    require_server_mode(request)
    try:
        with any_scope(request) as scope:
            view = studies_view(scope.session, scope.user.id, code, scope.now.date())
    except BedsideError as exc:
        context = {"title": "Study not found", "message": exc.message, "status": 404}
        return render(request, "error.html", context, 404)
    context = {"title": "Studies", "section": "studies", "view": view, "done": done}
    return render(request, "studies.html", context)


@router.post("/studies/join", name="studies_join_submit")
def studies_join(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Agree or decline on the consent screen."""
    require_server_mode(request)
    agreed = values.get("answer") == "agree"
    with any_scope(request) as scope:
        join(scope.session, scope.user.id, values.get("code"), agreed, scope.now)
    return see_other("/studies?done=" + ("joined" if agreed else "declined"))


@router.post("/studies/{study_id}/withdraw", name="studies_withdraw_submit")
def studies_withdraw(
    request: Request, study_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Leave a study: nothing logged from now on reaches it."""
    require_server_mode(request)
    with any_scope(request) as scope:
        withdraw(scope.session, scope.user.id, study_id, scope.now)
    return see_other("/studies?done=withdrawn")


@router.get("/studies/{study_id}/export.zip", name="studies_export_download")
def studies_export(request: Request, study_id: int) -> Response:
    """The researcher's de-identified export of their study (a zip of CSV files)."""
    require_server_mode(request)
    with any_scope(request) as scope:
        data = study_zip(scope.session, scope.user.id, study_id, scope.now)
    disposition = {"content-disposition": f'attachment; filename="study-{study_id}.zip"'}
    return Response(data, media_type="application/zip", headers=disposition)
