"""API: the profile, tonight's plan and the night-by-night history."""

from __future__ import annotations

from fastapi import APIRouter, Request

from bedside.services import history, planning, profiles
from bedside.services.history import NightOut
from bedside.services.planning_schemas import PlanOut
from bedside.services.profiles_schemas import ProfileIn, ProfileOut
from bedside.web.api.common import From, Night, To, api_scope

router = APIRouter()


@router.get("/profile", name="get_profile", tags=["profile"])
def get_profile(request: Request) -> ProfileOut:
    """The person's profile (422 with field `profile` until one is set up)."""
    with api_scope(request) as scope:
        return profiles.get_profile(scope)


@router.put("/profile", name="put_profile", tags=["profile"])
def put_profile(request: Request, body: ProfileIn) -> ProfileOut:
    """Create the profile (a time zone is needed) or change the fields given."""
    with api_scope(request) as scope:
        return profiles.set_profile(scope, body)


@router.get("/plan/tonight", name="get_plan_tonight", tags=["plan"])
def get_plan_tonight(request: Request, night: Night = None) -> PlanOut:
    """Tonight's intake time, wind-down steps, bedtime regularity and safety findings."""
    with api_scope(request) as scope:
        return planning.plan_tonight(scope, night)


@router.get("/nights", name="list_nights", tags=["history"])
def list_nights(request: Request, start: From = None, end: To = None) -> list[NightOut]:
    """Everything logged per night, newest first (default: the last 14 nights; at most 366)."""
    with api_scope(request) as scope:
        return history.timeline(scope, start, end)
