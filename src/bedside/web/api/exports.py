"""API: exports (CSV zip, JSON backup, FHIR bundle, reminders), restore and delete-all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from bedside.services import backup, exports
from bedside.services.delete_all import CONFIRM_WORD, DeleteAllOut, delete_all
from bedside.services.restore import RestoreOut, restore_document
from bedside.web.api.common import api_scope

router = APIRouter(tags=["export"])
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"


def download(data: bytes, media_type: str, filename: str) -> Response:
    """A file download that no cache keeps (it holds health data)."""
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def file_response(media_type: str, model: type[BaseModel] | None = None) -> dict[int | str, Any]:
    """The documented 200 response of a download: a file of ``media_type``.

    A JSON file (the backup, the FHIR bundle) is documented by its model, so a client that
    checks responses against the schema reads it right; other files are binary.
    """
    if model is None:
        binary = {"schema": {"type": "string", "format": "binary"}}
        return {200: {"description": "The file.", "content": {media_type: binary}}}
    ref = {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
    return {200: {"description": "The file.", "model": model, "content": {media_type: ref}}}


@router.get(
    "/export/json",
    name="export_json",
    response_class=Response,
    responses=file_response("application/json", backup.BackupDocument),
)
def export_json(request: Request) -> Response:
    """The complete, versioned backup (what `bedside restore` and POST /restore read)."""
    with api_scope(request) as scope:
        data = backup.json_bytes(scope)
    return download(data, "application/json", "bedside-backup.json")


@router.get(
    "/export/csv",
    name="export_csv",
    response_class=Response,
    responses=file_response("application/zip"),
)
def export_csv(request: Request) -> Response:
    """A zip of one CSV per entity plus data-dictionary.csv."""
    with api_scope(request) as scope:
        data = backup.csv_zip(scope)
    return download(data, "application/zip", "bedside-csv.zip")


@router.get(
    "/export/fhir",
    name="export_fhir",
    response_class=Response,
    responses=file_response("application/fhir+json", exports.FhirBundleOut),
)
def export_fhir(request: Request) -> Response:
    """A FHIR R4 Bundle of Observations (pain, soreness, sleep) and MedicationStatements."""
    with api_scope(request) as scope:
        data = exports.fhir_file(scope)
    return download(data, "application/fhir+json", "bedside-fhir.json")


@router.get(
    "/export/ics",
    name="export_ics",
    response_class=Response,
    responses=file_response("text/calendar"),
)
def export_ics(
    request: Request,
    morning: Annotated[
        str | None,
        Query(pattern=CLOCK_PATTERN, description="Diary reminder time, HH:MM (default 08:00)."),
    ] = None,
) -> Response:
    """Daily intake and morning diary reminders with alarms, plus a running experiment."""
    with api_scope(request) as scope:
        data = exports.reminders_ics(scope, morning)
    return download(data, "text/calendar", "bedside-reminders.ics")


@router.post("/restore", name="restore", tags=["export"])
def restore(
    request: Request,
    body: Annotated[dict[str, Any], Body(description="A backup from GET /export/json.")],
    merge: Annotated[bool, Query(description="Add only what is missing.")] = False,
) -> RestoreOut:
    """Restore a backup into an empty database (409 if data exists), or merge it."""
    with api_scope(request) as scope:
        return restore_document(scope, body, merge)


class DeleteAllIn(BaseModel):
    """The typed confirmation."""

    confirm: str = Field(max_length=40, description=f"Must be `{CONFIRM_WORD}`.")


@router.post("/delete-all", name="delete_all")
def delete_everything(request: Request, body: DeleteAllIn) -> DeleteAllOut:
    """Delete every row of yours; an empty profile in your time zone is left."""
    with api_scope(request) as scope:
        return delete_all(scope, body.confirm)
