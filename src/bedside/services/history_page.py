"""The History page in one call: the nights of a range, the wearable's beside them, a chart.

Each night shows the diary's sleep and the wearable's side by side, each labelled with its
source; the wearable nights of the whole range come from one query, and the sleep-window
chart is drawn from the same nights. A range longer than :data:`DETAIL_NIGHTS` (a season, a
year) is shown one row a night, each row opening that night in full: a year of full night
cards would be a page nobody can read on a phone.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from bedside.domain.errors import InputError
from bedside.services.cache import remembered
from bedside.services.charts import history_chart
from bedside.services.charts_schemas import ChartOut
from bedside.services.history import NightOut, default_range, timeline
from bedside.services.scope import Scope
from bedside.services.sleep import SleepNightOut, wearable_nights

__all__ = ["DETAIL_NIGHTS", "HistoryPageOut", "NightRow", "history_page"]

#: The longest range shown night by night in full; longer ranges get one row a night.
DETAIL_NIGHTS = 31


class NightRow(BaseModel):
    """One night in a long range: what was logged, in figures (None: not logged)."""

    night: date
    diary_sleep_min: float | None = None
    sleep_efficiency_pct: float | None = None
    quality: int | None = None
    wearable_sleep_min: float | None = None
    doses: int = 0
    #: Total grams when every dose of the night is known in grams, else None.
    dose_grams: float | None = None
    #: The first dose's minutes before bedtime (positive: before), when there was one.
    first_dose_before_bed_min: float | None = None
    pain_max: int | None = None
    soreness_max: int | None = None
    workouts: int = 0
    #: The kinds taken that night besides kratom (alcohol, caffeine, medication), in order.
    intake_kinds: list[str] = Field(default_factory=list)


class HistoryPageOut(BaseModel):
    """Nights from ``start`` to ``end`` (newest first in the page), or a problem with the range.

    ``problems`` maps a field (``from``, ``to``) to a message; the range is then the default
    one and no night is listed.
    """

    start: date
    end: date
    #: Every night in full (ranges up to :data:`DETAIL_NIGHTS` nights) ...
    nights: list[NightOut] = Field(default_factory=list)
    #: ... or one row a night for longer ranges.
    rows: list[NightRow] = Field(default_factory=list)
    wearable: dict[date, SleepNightOut] = Field(default_factory=dict)
    chart: ChartOut | None = None
    problems: dict[str, str] = Field(default_factory=dict)


def history_page(
    scope: Scope, start: date | None = None, end: date | None = None
) -> HistoryPageOut:
    """The nights from ``start`` to ``end`` (default: the last 14 logged), with the chart.

    Computed once per change of the person's data (:mod:`bedside.services.cache`).
    """
    return remembered(
        scope,
        "history_page",
        {"from": start, "to": end},
        HistoryPageOut,
        lambda: _history_page(scope, start, end),
    )


def _history_page(scope: Scope, start: date | None, end: date | None) -> HistoryPageOut:
    first, last = default_range(scope)
    start = start or first
    end = end or max(last, start)
    try:
        nights = timeline(scope, start, end)
    except InputError as exc:
        return HistoryPageOut(start=first, end=last, problems={exc.field: exc.message})
    wearable = {row.night: row for row in wearable_nights(scope, start, end)}
    chart = history_chart(nights) if nights else None
    if (end - start).days + 1 > DETAIL_NIGHTS:
        rows = [night_row(night, wearable.get(night.night)) for night in nights]
        return HistoryPageOut(start=start, end=end, rows=rows, chart=chart)
    return HistoryPageOut(start=start, end=end, nights=nights, wearable=wearable, chart=chart)


def night_row(night: NightOut, wearable: SleepNightOut | None) -> NightRow:
    """The figures of one night for a long range."""
    grams = [dose.grams for dose in night.doses]
    first = min((dose.minutes_from_bedtime for dose in night.doses), default=None)
    diary = night.diary
    return NightRow(
        night=night.night,
        diary_sleep_min=diary.total_sleep_time_min if diary else None,
        sleep_efficiency_pct=diary.sleep_efficiency_pct if diary else None,
        quality=diary.quality if diary else None,
        wearable_sleep_min=wearable.asleep_min if wearable else None,
        doses=len(night.doses),
        dose_grams=sum(g for g in grams if g is not None) if grams and None not in grams else None,
        first_dose_before_bed_min=-first if first is not None else None,
        pain_max=max((p.score for p in night.pain), default=None),
        soreness_max=max((s.score for s in night.soreness), default=None),
        workouts=len(night.workouts),
        intake_kinds=sorted({str(intake.kind) for intake in night.intakes}),
    )
