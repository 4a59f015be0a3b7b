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
from bedside.services.history import default_range
from bedside.services.history_page import HistoryPageOut, history_page
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
    with page_scope(request) as scope:
        try:
            start = _night(values.get("from"), "from")
            end = _night(values.get("to"), "to")
        except BedsideError as exc:
            errors = errors_of(exc)
            first, last = default_range(scope)
            page = HistoryPageOut(start=first, end=last)
        else:
            page = history_page(scope, start, end)
            errors = page.problems
    shown = FormValues([("from", page.start.isoformat()), ("to", page.end.isoformat())])
    return render(
        request,
        "history.html",
        {
            "section": "history",
            "title": "History",
            "v": values if errors else shown,
            "errors": errors,
            "nights": page.nights,
            "rows": page.rows,
            "chart": page.chart,
            "wearable": page.wearable,
            "start": page.start,
            "end": page.end,
        },
        422 if errors else 200,
    )


def _night(text: str, field: str) -> date | None:
    return parse_night(text, field) if text.strip() else None
