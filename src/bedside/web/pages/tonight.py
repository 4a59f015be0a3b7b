"""Tonight: intake time and countdown, wind-down checklist, what was logged, one-tap dose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services.accounts import home_path
from bedside.services.safety import not_medical_advice
from bedside.services.tonight import tonight_screen
from bedside.web.forms import FormValues
from bedside.web.pages.common import ProfileMissingError, any_scope, see_other
from bedside.web.pages.entry_forms import repeat_dose
from bedside.web.rendering import countdown, render

router = APIRouter(include_in_schema=False)
URGENT = ("avoid", "caution")

SAVED = {
    "dose": "Dose saved.",
    "pain": "Pain saved.",
    "soreness": "Soreness saved.",
    "workout": "Workout saved.",
    "intake": "Saved.",
    "diary": "Diary saved.",
    "profile": "Your settings are saved.",
    # first run without medicines or conditions: the one plain word on advice, said once
    "welcome": f"Your settings are saved. {not_medical_advice()}",
}


@router.get("/", name="tonight_page")
def tonight(request: Request, saved: str | None = None) -> Response:
    """The evening screen (a clinician's home is People, a researcher's their studies)."""
    with any_scope(request) as scope:
        home = home_path(scope.user.role, scope.actor is not None)
        if home is not None:
            return see_other(home)
        if scope.profile is None:
            raise ProfileMissingError
        screen = tonight_screen(scope)
    plan = screen.plan
    now = datetime.fromisoformat(screen.now)
    intake_at = datetime.fromisoformat(plan.intake_time)
    bedtime_at = datetime.fromisoformat(plan.bedtime)
    repeat = screen.repeat
    findings = [f.model_dump(mode="json") for f in plan.findings]
    context: dict[str, Any] = {
        "section": "tonight",
        "title": "Tonight",
        "plan": plan,
        "night": screen.night,
        "repeat": repeat,
        "repeat_values": FormValues.of(repeat_dose(repeat.dose)) if repeat else None,
        "now": now,
        "logged": screen.logged,
        "remind_at": screen.remind_at,
        "intake_countdown": countdown(intake_at, now),
        "bedtime_countdown": countdown(bedtime_at, now),
        "intake_passed": intake_at <= now,
        "diary_due": screen.diary_due,
        "saved": SAVED.get(saved or ""),
        "urgent_findings": [f for f in findings if f["severity"] in URGENT],
        "other_findings": [f for f in findings if f["severity"] not in URGENT],
        "experiment": plan.experiment,
    }
    return render(request, "tonight.html", context)
