"""Settings → Your data: download every export, restore a backup, delete everything.

Downloads call the same services as ``bedside export`` and the API. A restore is an upload
(checked whole, written in one transaction); delete-all needs the typed word DELETE.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services import backup, exports
from bedside.services.delete_all import delete_all
from bedside.services.profiles import get_profile
from bedside.services.restore import RestoreOut, restore_backup
from bedside.web.api.exports import download
from bedside.web.forms import worded
from bedside.web.pages.common import any_scope, page_scope, see_other
from bedside.web.pages.profile_form import profile_values
from bedside.web.pages.settings import first_run_page_with, settings_page_with
from bedside.web.security import CSRF_FIELD, CsrfTokens

router = APIRouter(include_in_schema=False)
#: The largest backup accepted from the Settings page.
MAX_UPLOAD = 512 * 1024 * 1024


@router.get("/settings/export/{kind}", name="settings_export")
def settings_export(request: Request, kind: str) -> Response:
    """Download an export: ``json``, ``csv`` (zip), ``fhir`` or ``ics``."""
    with page_scope(request) as scope:
        if kind == "json":
            return download(backup.json_bytes(scope), "application/json", "bedside-backup.json")
        if kind == "csv":
            return download(backup.csv_zip(scope), "application/zip", "bedside-csv.zip")
        if kind == "fhir":
            data = exports.fhir_bytes(exports.fhir_bundle(scope))
            return download(data, "application/fhir+json", "bedside-fhir.json")
        if kind == "ics":
            return download(exports.reminders_ics(scope), "text/calendar", "bedside-reminders.ics")
    raise HTTPException(404, "There is no such export.")


async def _form(request: Request) -> FormData:
    form = await request.form(max_files=1, max_fields=10)
    given = form.get(CSRF_FIELD)
    expected = request.scope.get("state", {}).get("csrf_token")
    if not CsrfTokens.matches(expected, given if isinstance(given, str) else None):
        raise HTTPException(
            403, "This form has expired or came from another site. Reload the page and try again."
        )
    return form


def _data_problem(request: Request, field: str, message: str) -> Response:
    """Settings with the problem beside ``field``; before any profile, the first-run page."""
    with any_scope(request) as scope:
        values = profile_values(get_profile(scope)) if scope.profile is not None else None
    if values is None:
        return first_run_page_with(request, {field: message}, 422)
    return settings_page_with(request, values, {field: message}, 422)


@router.post("/settings/restore", name="settings_restore")
async def settings_restore(request: Request) -> Response:
    """Restore (or merge) an uploaded backup; the problem is shown beside the field (422)."""
    form = await _form(request)
    upload = form.get("backup")
    merge = form.get("merge") == "1"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _data_problem(request, "backup", "choose a backup file (.json) to restore")
    try:
        raw = await upload.read(MAX_UPLOAD + 1)
    finally:
        await upload.close()
    if len(raw) > MAX_UPLOAD:
        return _data_problem(request, "backup", "this file is too large for a Bedside backup")
    try:
        result = await run_in_threadpool(_restore, request, raw, merge)
    except BedsideError as exc:
        return _data_problem(request, "backup", worded(exc))
    return see_other(f"/settings?restored={sum(result.added.values())}#your-data")


def _restore(request: Request, raw: bytes, merge: bool) -> RestoreOut:
    with any_scope(request) as scope:
        return restore_backup(scope, raw, merge)


@router.post("/settings/delete-all", name="settings_delete_all")
async def settings_delete_all(request: Request) -> Response:
    """Delete everything once the word is typed; otherwise say so beside the field (422)."""
    form = await _form(request)
    typed = form.get("confirm")
    try:
        with page_scope(request) as scope:
            result = delete_all(scope, typed if isinstance(typed, str) else "")
    except BedsideError as exc:
        return _data_problem(request, "confirm", exc.message)
    return see_other(f"/settings?deleted={result.total}#your-data")
