"""The Tonight screen in one call: the plan, what is logged, where the evening stands.

The web page renders this as is; the rules (the line after a dose, when the morning diary is
due) live in ``domain.evening``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bedside.domain.evening import (
    LoggedDose,
    logged_line,
    morning_diary_due,
    next_step,
    usual_wake,
)
from bedside.domain.timekeeping import parse_clock
from bedside.services.diary import usual_times
from bedside.services.dose_offers import RepeatOffer, repeat_offer
from bedside.services.history import NightOut, night_summary
from bedside.services.planning import plan_tonight
from bedside.services.planning_schemas import PlanOut
from bedside.services.predose_history import TONIGHT_MARGIN, shared_history
from bedside.services.scope import Scope


class TonightOut(BaseModel):
    """Everything the Tonight screen shows.

    ``logged`` is the evening's state once a dose is logged ("Logged 3 g at 21:40 · wind-down
    next"), None before. ``remind_at`` is the intake time while a reminder still makes sense
    (nothing logged yet, intake ahead), else None. ``diary_due`` is True in the morning after
    the night, once the usual final awakening has passed and until noon.
    """

    plan: PlanOut
    night: NightOut
    repeat: RepeatOffer | None
    now: str
    logged: str | None
    remind_at: str | None
    diary_due: bool


def tonight_screen(scope: Scope) -> TonightOut:
    """Tonight's plan, entries and state for the person, as of ``scope.now``.

    The plan's pre-dose check and the repeat offer's share one read of the recent doses and
    intakes (nothing is written in between).
    """
    with shared_history(scope, TONIGHT_MARGIN):
        plan = plan_tonight(scope)
        repeat = repeat_offer(scope)
    night = night_summary(scope, plan.night)
    now = scope.now.astimezone(scope.tz)
    intake = datetime.fromisoformat(plan.intake_time)
    bedtime = datetime.fromisoformat(plan.bedtime)
    doses = [
        LoggedDose(d.amount, d.unit.value, datetime.fromisoformat(d.time)) for d in night.doses
    ]
    steps = [datetime.fromisoformat(s.time) for s in plan.wind_down]
    known = usual_times(scope).final_wake
    wake = usual_wake(
        parse_clock(known) if known else None,
        parse_clock(scope.require_profile().bedtime),
    )
    return TonightOut(
        plan=plan,
        night=night,
        repeat=repeat,
        now=now.isoformat(timespec="seconds"),
        logged=logged_line(doses, next_step(now, steps, bedtime)),
        remind_at=plan.intake_time if not doses and intake > now else None,
        diary_due=morning_diary_due(now, plan.night, night.diary is not None, wake),
    )
