"""Tonight: intake time and countdown, wind-down checklist, what was logged, one-tap dose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services.dose_checks import repeat_offer
from bedside.services.history import night_summary
from bedside.services.planning import plan_tonight
from bedside.services.safety import not_medical_advice
from bedside.web.forms import FormValues
from bedside.web.pages.common import page_scope
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
    """The evening screen."""
    with page_scope(request) as scope:
        plan = plan_tonight(scope)
        night = night_summary(scope, plan.night)
        repeat = repeat_offer(scope)
        now = scope.now.astimezone(scope.tz)
    intake_at = datetime.fromisoformat(plan.intake_time)
    bedtime_at = datetime.fromisoformat(plan.bedtime)
    context: dict[str, Any] = {
        "section": "tonight",
        "title": "Tonight",
        "plan": plan,
        "night": night,
        "repeat": repeat,
        "repeat_values": FormValues.of(repeat_dose(repeat.dose)) if repeat else None,
        "now": now,
        "intake_countdown": countdown(intake_at, now),
        "bedtime_countdown": countdown(bedtime_at, now),
        "intake_passed": intake_at <= now,
        "morning": now.hour < 12,
        "saved": SAVED.get(saved or ""),
        "urgent_findings": [f for f in plan.findings if f.get("severity") in URGENT],
        "other_findings": [f for f in plan.findings if f.get("severity") not in URGENT],
        "experiment": plan.experiment,
    }
    return render(request, "tonight.html", context)
