"""API: the safety check, legal lookups, dependence signals, check-ins and sleep by source.

The safety and signals services return typed results with exact values; these routes pass
them through, so the OpenAPI schema documents every field. Mistakes are problem details
naming the field (``region``, ``code``, ``answers``, ``source`` ...).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from bedside.services.safety_schemas import LegalStatusOut, SafetyCheckOut, SignalsOut
from bedside.services.schema_base import Day, Schema, Score
from bedside.services.sleep import SleepNightOut
from bedside.web.api.common import From, To, api_scope

router = APIRouter()
Names = Annotated[
    list[str] | None,
    Query(max_length=30, description="Repeat for several; default: the profile's."),
]
Region = Annotated[
    str | None,
    Query(max_length=64, description="ISO 3166 code or locality id; default: the profile's."),
]
Code = Annotated[
    str, Path(max_length=64, description="ISO 3166-1/3166-2 code (US, US-AL) or locality id.")
]


class CheckinIn(Schema):
    """Answers to the daily check-in: question id to a score 0-10 (all optional)."""

    answers: dict[Annotated[str, Field(max_length=32)], Score]
    day: Day | None = Field(default=None, description="Local day (default: today).")


class CheckinOut(BaseModel):
    """One stored check-in answer."""

    day: date
    item: str
    score: int


@router.get("/safety/check", name="get_safety_check", tags=["safety"])
def get_safety_check(
    request: Request,
    med: Names = None,
    condition: Names = None,
    region: Region = None,
) -> SafetyCheckOut:
    """Interaction, condition and legal findings, with how each name was read."""
    from bedside.services.safety import safety_check

    names = [m[:200] for m in med or []]
    conditions = [c[:200] for c in condition or []]
    with api_scope(request) as scope:
        return safety_check(scope, names, conditions, region)


@router.get("/legal/{code}", name="get_legal_status", tags=["safety"])
def get_legal_status(request: Request, code: Code) -> LegalStatusOut:
    """The most restrictive status on the chain from the locality up to the country."""
    from bedside.services.safety import legal_lookup

    with api_scope(request) as scope:
        return legal_lookup(scope, code)


@router.get("/signals", name="get_signals", tags=["safety"])
def get_signals(request: Request) -> SignalsOut:
    """Frequency (unknown days kept unknown), streaks, dose creep, timing, check-ins, findings."""
    from bedside.services.signals import signals_view

    with api_scope(request) as scope:
        return signals_view(scope)


@router.post("/checkins", name="create_checkin", status_code=201, tags=["safety"])
def create_checkin(request: Request, body: CheckinIn) -> list[CheckinOut]:
    """Store (or replace) a day's check-in answers."""
    from bedside.services.checkins import add_checkin

    with api_scope(request) as scope:
        saved = add_checkin(scope, body.answers, body.day)
    return [CheckinOut(day=r.day, item=r.item, score=r.score) for r in saved]


@router.get("/sleep", name="list_sleep", tags=["history"])
def list_sleep(
    request: Request,
    start: From = None,
    end: To = None,
    source: Annotated[
        Literal["diary", "wearable"] | None,
        Query(description="Only one source (default: both)."),
    ] = None,
) -> list[SleepNightOut]:
    """Main sleep per night from the diary and from wearables, each labelled with its source."""
    from bedside.services import sleep

    with api_scope(request) as scope:
        return sleep.list_sleep(scope, start, end, source)
