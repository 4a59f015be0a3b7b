"""API: studies: joining with a code and consent, withdrawing, a researcher's view and export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from bedside.services.studies import (
    ConsentScreen,
    EnrolmentOut,
    ParticipantProgress,
    StudyOut,
    consent_screen,
    join,
    my_enrolments,
    progress,
    studies_of,
    withdraw,
)
from bedside.services.study_export import study_zip
from bedside.web.api.common import Id, api_scope
from bedside.web.problems import FORBIDDEN_RESPONSES

router = APIRouter(prefix="/studies", tags=["studies"])
Code = Annotated[str, Query(min_length=1, max_length=32, description="The enrolment code.")]


class JoinIn(BaseModel):
    """An enrolment code and the participant's answer to the consent screen."""

    code: str = Field(min_length=1, max_length=32)
    consent: bool


@router.get("", name="list_studies")
def get_studies(request: Request) -> list[StudyOut]:
    """A researcher's own studies with their enrolment codes (empty for anyone else)."""
    with api_scope(request) as scope:
        return studies_of(scope.session, scope.user.id)


@router.get("/consent", name="get_consent")
def get_consent(request: Request, code: Code) -> ConsentScreen:
    """The consent screen of the study with this enrolment code."""
    with api_scope(request) as scope:
        return consent_screen(scope.session, code)


@router.post("/join", name="join_study", responses=FORBIDDEN_RESPONSES)
def join_study(request: Request, body: JoinIn) -> EnrolmentOut:
    """Agree (``consent: true``) or decline to take part in a study."""
    with api_scope(request) as scope:
        return join(scope.session, scope.user.id, body.code, body.consent, scope.now)


@router.get("/enrolments", name="list_enrolments")
def get_enrolments(request: Request) -> list[EnrolmentOut]:
    """The studies I joined, declined or left."""
    with api_scope(request) as scope:
        return my_enrolments(scope.session, scope.user.id)


@router.post("/{study_id}/withdraw", name="withdraw_study")
def withdraw_study(request: Request, study_id: Id) -> EnrolmentOut:
    """Leave a study: nothing logged from now on reaches it."""
    with api_scope(request) as scope:
        return withdraw(scope.session, scope.user.id, study_id, scope.now)


@router.get("/{study_id}/participants", name="list_study_participants")
def get_participants(request: Request, study_id: Id) -> list[ParticipantProgress]:
    """A researcher's study: consenting participants by study id, with completion."""
    with api_scope(request) as scope:
        return progress(scope.session, scope.user.id, study_id, scope.now.date())


@router.get(
    "/{study_id}/export",
    name="export_study",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "CSV files (zip)",
        }
    },
)
def export(request: Request, study_id: Id) -> Response:
    """The de-identified export of a researcher's study (CSV files and data dictionary)."""
    with api_scope(request) as scope:
        data = study_zip(scope.session, scope.user.id, study_id, scope.now)
    disposition = f'attachment; filename="study-{study_id}.zip"'
    return Response(
        data, media_type="application/zip", headers={"content-disposition": disposition}
    )
