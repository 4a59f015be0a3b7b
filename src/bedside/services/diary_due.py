"""Which morning diary is due: the most recent night that has ended without one.

The Diary tab opens that night's form (not the last diary saved) and lists the other
nights of the last week still without a diary. A night counts once it has ended: in the
morning, last night has ended after the person's usual final awakening (05:00 until
they have one); from 12:00 on it has ended whatever the time. Nights before the person
first logged anything are not counted as missing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Final

from pydantic import BaseModel
from sqlalchemy import func, select

from bedside.domain.timekeeping import NIGHT_SPLIT_HOUR, parse_clock
from bedside.services.diary import usual_times
from bedside.services.scope import Scope
from bedside.storage.models import DiaryEntry, Dose

#: Nights looked back over, last night included.
WEEK: Final = 7
#: When a night counts as over in the morning until the person has a usual final awakening.
DEFAULT_WAKE: Final = time(5, 0)


class DiaryDue(BaseModel):
    """The night whose diary is due (None: every recent night has one), and the others."""

    night: date | None
    last_ended: date
    other_unfilled: list[date]


def diary_due(scope: Scope) -> DiaryDue:
    """The most recent ended night without a diary and the other unfilled nights of the week."""
    last = last_ended_night(scope)
    # The last night that ended is always offered, even when logging began after it (a
    # first dose tonight); earlier nights only from the first night with something logged.
    first = max(last - timedelta(days=WEEK - 1), min(_first_logged(scope) or last, last))
    nights = [last - timedelta(days=k) for k in range((last - first).days + 1)]
    filled = set(
        scope.session.scalars(
            select(DiaryEntry.night).where(
                DiaryEntry.user_id == scope.user.id,
                DiaryEntry.night >= first,
                DiaryEntry.night <= last,
            )
        )
    )
    unfilled = [n for n in nights if n not in filled]
    return DiaryDue(
        night=unfilled[0] if unfilled else None, last_ended=last, other_unfilled=unfilled[1:]
    )


def last_ended_night(scope: Scope) -> date:
    """The most recent night that is over by the person's clock."""
    local = scope.now.astimezone(scope.tz)
    last_night = local.date() - timedelta(days=1)
    if local.hour >= NIGHT_SPLIT_HOUR:
        return last_night
    usual = usual_times(scope).final_wake
    wake = parse_clock(usual) if usual else DEFAULT_WAKE
    return last_night if local.time() >= wake else last_night - timedelta(days=1)


def _first_logged(scope: Scope) -> date | None:
    """The first night with a diary or a dose; None before anything is logged."""
    firsts = [
        scope.session.scalar(select(func.min(model.night)).where(model.user_id == scope.user.id))
        for model in (DiaryEntry, Dose)
    ]
    found = [f for f in firsts if f is not None]
    return min(found) if found else None
