"""The History page in one call: the nights of a range, the wearable's beside them, a chart.

Each night shows the diary's sleep and the wearable's side by side, each labelled with its
source; the wearable nights of the whole range come from one query, and the sleep-window
chart is drawn from the same nights.
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

__all__ = ["HistoryPageOut", "history_page"]


class HistoryPageOut(BaseModel):
    """Nights from ``start`` to ``end`` (newest first in the page), or a problem with the range.

    ``problems`` maps a field (``from``, ``to``) to a message; the range is then the default
    one and no night is listed.
    """

    start: date
    end: date
    nights: list[NightOut] = Field(default_factory=list)
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
    return HistoryPageOut(
        start=start,
        end=end,
        nights=nights,
        wearable={row.night: row for row in wearable_nights(scope, start, end)},
        chart=history_chart(nights) if nights else None,
    )
