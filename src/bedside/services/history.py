"""History: a night-by-night timeline of everything logged, in a bounded number of queries.

Whatever the range, a timeline costs one query per kind of entry (doses, diary, pain,
soreness, workouts, intakes) plus the profile: rows are fetched by night range and grouped
here, never fetched night by night.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bedside.domain.errors import InputError
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import check_date, minutes_between, parse_clock, zone
from bedside.services.activity import list_intakes, list_workouts
from bedside.services.activity_schemas import IntakeOut, WorkoutOut
from bedside.services.diary import list_entries
from bedside.services.diary_schemas import DiaryOut
from bedside.services.doses import list_doses
from bedside.services.doses_schemas import DoseOut
from bedside.services.schema_base import Minutes
from bedside.services.scope import Scope
from bedside.services.symptoms import list_pain, list_soreness
from bedside.services.symptoms_schemas import PainOut, SorenessOut

DEFAULT_NIGHTS = 14
MAX_NIGHTS = 366


class TimedDose(DoseOut):
    """A dose with its distance from the night's bedtime (negative: before bedtime)."""

    minutes_from_bedtime: Minutes


class NightOut(BaseModel):
    """Everything logged for one night. Nothing logged means unknown, not zero."""

    night: date
    bedtime: str
    bedtime_source: Literal["diary", "target"]
    doses: list[TimedDose]
    diary: DiaryOut | None
    pain: list[PainOut]
    soreness: list[SorenessOut]
    workouts: list[WorkoutOut]
    intakes: list[IntakeOut]

    @property
    def is_empty(self) -> bool:
        """True when nothing at all was logged for the night."""
        return not (
            self.doses or self.diary or self.pain or self.soreness or self.workouts or self.intakes
        )


class _Nightly(Protocol):
    @property
    def night(self) -> date: ...


N = TypeVar("N", bound=_Nightly)


def default_range(scope: Scope) -> tuple[date, date]:
    """The last ``DEFAULT_NIGHTS`` nights, ending with tonight."""
    end = scope.tonight()
    return end - timedelta(days=DEFAULT_NIGHTS - 1), end


def check_range(start: date, end: date) -> None:
    """Refuse reversed ranges and ranges longer than ``MAX_NIGHTS`` nights."""
    if start > end:
        raise InputError("from", f"the range starts ({start}) after it ends ({end})")
    if (end - start).days + 1 > MAX_NIGHTS:
        raise InputError("from", f"show at most {MAX_NIGHTS} nights at a time")


def timeline(scope: Scope, start: date | None = None, end: date | None = None) -> list[NightOut]:
    """Every night in ``[start, end]`` (default: the last 14), newest first."""
    if start is not None:
        check_date(start, "from")
    if end is not None:
        check_date(end, "to")
    first, last = default_range(scope)
    start = start or (end - timedelta(days=DEFAULT_NIGHTS - 1) if end else first)
    end = end or max(last, start)
    check_range(start, end)
    profile = scope.require_profile()  # held: the session keeps rows only while referenced
    target = parse_clock(profile.bedtime)
    doses = _by_night(list_doses(scope, start, end))
    diaries = {entry.night: entry for entry in list_entries(scope, start, end)}
    pain = _by_night(list_pain(scope, start, end))
    soreness = _by_night(list_soreness(scope, start, end))
    workouts = _by_night(list_workouts(scope, start, end))
    intakes = _by_night(list_intakes(scope, start, end))
    nights = []
    day = end
    while day >= start:
        bedtime, source = _bedtime(day, diaries.get(day), target, zone(profile.timezone))
        nights.append(
            NightOut(
                night=day,
                bedtime=bedtime.isoformat(timespec="seconds"),
                bedtime_source=source,
                doses=[_timed(dose, bedtime) for dose in doses.get(day, [])],
                diary=diaries.get(day),
                pain=pain.get(day, []),
                soreness=soreness.get(day, []),
                workouts=workouts.get(day, []),
                intakes=intakes.get(day, []),
            )
        )
        day -= timedelta(days=1)
    return nights


def night_summary(scope: Scope, night: date | None = None) -> NightOut:
    """Everything logged for one night (default: tonight)."""
    night = night or scope.tonight()
    return timeline(scope, night, night)[0]


def _by_night(rows: Iterable[N]) -> dict[date, list[N]]:
    grouped: dict[date, list[N]] = defaultdict(list)
    for row in rows:
        grouped[row.night].append(row)
    return grouped


def _bedtime(
    night: date, diary: DiaryOut | None, target: time, tz: ZoneInfo
) -> tuple[datetime, Literal["diary", "target"]]:
    """The night's bedtime: the diary's when filled in, else the profile's target."""
    if diary is not None:
        return datetime.fromisoformat(diary.bedtime), "diary"
    return bedtime_on(night, target, tz), "target"


def _timed(dose: DoseOut, bedtime: datetime) -> TimedDose:
    taken = datetime.fromisoformat(dose.time)
    return TimedDose(**dose.model_dump(), minutes_from_bedtime=minutes_between(bedtime, taken))
