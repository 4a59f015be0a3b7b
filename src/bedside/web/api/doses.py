"""API: doses and the morning sleep diary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from bedside.services import diary, doses
from bedside.services.diary_schemas import DiaryIn, DiaryOut
from bedside.services.dose_checks import DoseLoggedOut
from bedside.services.doses_schemas import DoseIn, DoseOut
from bedside.web.api.common import From, Id, To, api_scope, no_content

router = APIRouter()


@router.get("/doses", name="list_doses", tags=["doses"])
def list_doses(request: Request, start: From = None, end: To = None) -> list[DoseOut]:
    """Doses whose night lies in the range, oldest first."""
    with api_scope(request) as scope:
        return doses.list_doses(scope, start, end)


@router.post("/doses", name="create_dose", status_code=201, tags=["doses"])
def create_dose(
    request: Request,
    body: DoseIn,
    acknowledge: Annotated[
        bool, Query(description="Record that you read the dose's `avoid` findings.")
    ] = False,
) -> DoseLoggedOut:
    """Log a dose (`time` HH:MM on `night`, or an ISO date-time; default now), with findings."""
    from bedside.services.dose_checks import log_dose_with_findings

    with api_scope(request) as scope:
        return log_dose_with_findings(scope, body, acknowledged=acknowledge, context="api")


@router.get("/doses/{dose_id}", name="get_dose", tags=["doses"])
def get_dose(request: Request, dose_id: Id) -> DoseOut:
    """One dose."""
    with api_scope(request) as scope:
        return doses.get_dose(scope, dose_id)


@router.put("/doses/{dose_id}", name="update_dose", tags=["doses"])
def update_dose(request: Request, dose_id: Id, body: DoseIn) -> DoseOut:
    """Replace a dose's fields."""
    with api_scope(request) as scope:
        return doses.update_dose(scope, dose_id, body)


@router.delete("/doses/{dose_id}", name="delete_dose", status_code=204, tags=["doses"])
def delete_dose(request: Request, dose_id: Id) -> Response:
    """Delete a dose."""
    with api_scope(request) as scope:
        doses.delete_dose(scope, dose_id)
    return no_content()


@router.get("/diary", name="list_diary_entries", tags=["diary"])
def list_diary_entries(request: Request, start: From = None, end: To = None) -> list[DiaryOut]:
    """Diary entries with their derived metrics, oldest first."""
    with api_scope(request) as scope:
        return diary.list_entries(scope, start, end)


@router.post("/diary", name="create_diary_entry", status_code=201, tags=["diary"])
def create_diary_entry(request: Request, body: DiaryIn) -> DiaryOut:
    """Fill in the Consensus Sleep Diary for a night (409 when the night has one)."""
    with api_scope(request) as scope:
        return diary.add_entry(scope, body)


@router.get("/diary/{entry_id}", name="get_diary_entry", tags=["diary"])
def get_diary_entry(request: Request, entry_id: Id) -> DiaryOut:
    """One diary entry with its derived metrics."""
    with api_scope(request) as scope:
        return diary.get_entry_by_id(scope, entry_id)


@router.put("/diary/{entry_id}", name="update_diary_entry", tags=["diary"])
def update_diary_entry(request: Request, entry_id: Id, body: DiaryIn) -> DiaryOut:
    """Replace a diary entry's answers."""
    with api_scope(request) as scope:
        return diary.update_entry(scope, entry_id, body)


@router.delete("/diary/{entry_id}", name="delete_diary_entry", status_code=204, tags=["diary"])
def delete_diary_entry(request: Request, entry_id: Id) -> Response:
    """Delete a diary entry."""
    with api_scope(request) as scope:
        diary.delete_entry(scope, entry_id)
    return no_content()
