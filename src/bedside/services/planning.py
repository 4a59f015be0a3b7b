"""Tonight's plan: intake time, wind-down steps and how regular bedtimes have been."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bedside.domain.planning import (
    REGULARITY_WINDOW_NIGHTS,
    WindDownStep,
    plan_evening,
)
from bedside.domain.timekeeping import parse_clock
from bedside.services.experiments.assignment import assignment_for
from bedside.services.planning_schemas import PlanOut, WindDownTimed
from bedside.services.safety import findings_out, tonight_findings
from bedside.services.scope import Scope
from bedside.storage.models import DiaryEntry


def plan_tonight(scope: Scope, night: date | None = None) -> PlanOut:
    """The plan for ``night`` (default: tonight)."""
    profile = scope.require_profile()
    tz = scope.tz
    night = night or scope.tonight()
    first = night - timedelta(days=REGULARITY_WINDOW_NIGHTS)
    bedtimes = list(
        scope.session.scalars(
            select(DiaryEntry.bedtime).where(
                DiaryEntry.user_id == scope.user.id,
                DiaryEntry.night >= first,
                DiaryEntry.night < night,
            )
        )
    )
    steps = [WindDownStep(s["text"], int(s["minutes_before"])) for s in profile.wind_down]
    plan = plan_evening(night, parse_clock(profile.bedtime), profile.lead_min, steps, tz, bedtimes)
    return PlanOut(
        night=plan.night,
        timezone=tz.key,
        bedtime=plan.bedtime.isoformat(timespec="seconds"),
        intake_time=plan.intake_time.isoformat(timespec="seconds"),
        lead_min=plan.lead_min,
        wind_down=[
            WindDownTimed(
                text=step.text,
                minutes_before=step.minutes_before,
                time=at.isoformat(timespec="seconds"),
            )
            for step, at in plan.wind_down
        ],
        bedtime_sd_min=plan.bedtime_sd_min,
        nights_for_sd=plan.nights_for_sd,
        findings=findings_out(tonight_findings(scope, plan.intake_time)),
        experiment=assignment_for(scope, plan.night),
    )
