"""History: a night-by-night timeline filtered by a date range, with edit and delete links.

Each night shows the diary's sleep and the wearable's side by side, each labelled with its
source; the wearable nights of the whole range come from one query.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.domain.timekeeping import parse_night
from bedside.services.history import NightOut, default_range, timeline
from bedside.services.sleep import SleepNightOut, wearable_nights
from bedside.web.charts import history_chart
from bedside.web.forms import FormValues, errors_of
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/history", name="history_page")
def history(request: Request) -> Response:
    """Nights from ``from`` to ``to`` (default: the last 14), newest first."""
    params = request.query_params
    values = FormValues((k, params[k]) for k in ("from", "to") if params.get(k))
    errors: dict[str, str] = {}
    nights: list[NightOut] = []
    wearable: dict[date, SleepNightOut] = {}
    with page_scope(request) as scope:
        first, last = default_range(scope)
        try:
            start = _night(values.get("from"), "from") or first
            end = _night(values.get("to"), "to") or max(last, start)
            nights = timeline(scope, start, end)
            wearable = {row.night: row for row in wearable_nights(scope, start, end)}
        except BedsideError as exc:
            errors = errors_of(exc)
            start, end = first, last
    shown = FormValues([("from", start.isoformat()), ("to", end.isoformat())])
    return render(
        request,
        "history.html",
        {
            "section": "history",
            "title": "History",
            "v": values if errors else shown,
            "errors": errors,
            "nights": nights,
            "chart": history_chart(nights) if nights else None,
            "wearable": wearable,
            "start": start,
            "end": end,
        },
        422 if errors else 200,
    )


def _night(text: str, field: str) -> date | None:
    return parse_night(text, field) if text.strip() else None
