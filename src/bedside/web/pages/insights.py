"""Insights: what the log suggests, nights with and without kratom compared. Association only.

A GET form chooses the outcome and the range; the page shows the service's sentences, the
adjusted difference in the outcome's units with its 90% range, the counts, what is missing
when there is not enough data, the exploratory panel, dose and timing among dosed nights,
what the result does not show, and server-drawn charts. No causal words, no dose advice.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.domain.timekeeping import check_date, parse_night
from bedside.web.forms import FormValues, errors_of
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render

if TYPE_CHECKING:
    from bedside.services.insights_schemas import InsightsPageOut

router = APIRouter(include_in_schema=False)
FIELDS = ("outcome", "from", "to")


@router.get("/insights", name="insights_page")
def insights_page(request: Request) -> Response:
    """The Insights screen for ``outcome`` over ``from``-``to`` (default: all history)."""
    from bedside.services import insights_view

    params = request.query_params
    values = FormValues((k, params[k]) for k in FIELDS if params.get(k))
    errors: dict[str, str] = {}
    page: insights_view.InsightsPageOut | None = None
    outcome = values.get("outcome").strip() or insights_view.DEFAULT_OUTCOME
    with page_scope(request) as scope:
        try:
            start = _night(values.get("from"), "from")
            end = _night(values.get("to"), "to")
            page = insights_view.insights_page(scope, outcome, start, end)
        except BedsideError as exc:
            errors = errors_of(exc)
    return render(
        request,
        "insights.html",
        {
            "section": "insights",
            "title": "Insights",
            "v": values if errors else FormValues([("outcome", outcome), *_range(page)]),
            "errors": errors,
            "outcomes": list(insights_view.OUTCOME_CHOICES),
            "r": page.insights if page else None,
            "view": page.figures if page else None,
            "charts": page.charts if page else [],
        },
        422 if errors else 200,
    )


def _night(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    night = parse_night(text, field)
    check_date(night, field)
    return night


def _range(page: InsightsPageOut | None) -> list[tuple[str, str]]:
    if page is None:
        return []
    shown = (("from", page.insights.start), ("to", page.insights.end))
    return [(k, day.isoformat()) for k, day in shown if day]
