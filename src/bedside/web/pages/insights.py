"""Insights: what the log suggests, nights with and without kratom compared. Association only.

A GET form chooses the outcome and the range; the page shows the service's sentences, the
adjusted difference in the outcome's units with its 90% range, the counts, what is missing
when there is not enough data, the exploratory panel, dose and timing among dosed nights,
what the result does not show, and server-drawn charts. No causal words, no dose advice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.domain.timekeeping import check_date, parse_night
from bedside.web.forms import FormValues, errors_of
from bedside.web.pages.common import page_scope
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
FIELDS = ("outcome", "from", "to")


@router.get("/insights", name="insights_page")
def insights_page(request: Request) -> Response:
    """The Insights screen for ``outcome`` over ``from``-``to`` (default: all history)."""
    from bedside.analysis.outcomes import OUTCOMES
    from bedside.services.insights import (
        DEFAULT_OUTCOME,
        check_request,
        insights,
        insights_frame,
    )
    from bedside.web.charts import insights_charts

    params = request.query_params
    values = FormValues((k, params[k]) for k in FIELDS if params.get(k))
    errors: dict[str, str] = {}
    result: dict[str, Any] | None = None
    charts: list[Any] = []
    outcome = values.get("outcome").strip() or DEFAULT_OUTCOME
    with page_scope(request) as scope:
        try:
            check_request(outcome)
            start = _night(values.get("from"), "from")
            end = _night(values.get("to"), "to")
            check_request(outcome, start, end)
            # One night frame per request, shared by the analysis and the charts.
            frame = insights_frame(scope, start, end)
            result = insights(scope, outcome, start, end, frame=frame)
            if result["status"] != "no_data":
                charts = insights_charts(frame, outcome, result["outcome_label"])
        except BedsideError as exc:
            errors = errors_of(exc)
    return render(
        request,
        "insights.html",
        {
            "section": "insights",
            "title": "Insights",
            "v": values if errors else FormValues([("outcome", outcome), *_range(result)]),
            "errors": errors,
            "outcomes": [(name, spec.label.capitalize()) for name, spec in OUTCOMES.items()],
            "r": result,
            "view": view(result) if result else None,
            "charts": charts,
        },
        422 if errors else 200,
    )


def _night(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    night = parse_night(text, field)
    check_date(night, field)
    return night


def _range(result: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not result:
        return []
    return [(k, result[k]) for k in ("from", "to") if result.get(k)]


def view(result: dict[str, Any]) -> dict[str, Any]:
    """The figures the template shows, picked out of the service's JSON-ready result."""
    from bedside.analysis.outcomes import OUTCOMES

    counts = result["counts"]
    full = result.get("result") or {}
    primary = full.get("primary") or {}
    adjusted = primary.get("adjusted")
    spec = OUTCOMES[result["outcome"]]
    out: dict[str, Any] = {
        "unknown": counts["nights_in_range"] - counts["exposure_known"],
        "missing": (primary.get("eligibility") or {}).get("missing") or [],
        "logging_warning": (primary.get("logging") or {}).get("warning"),
        "unit": spec.unit,
        "direction": "higher" if spec.higher_is_better else "lower",
        "difference": None,
        "dose_parts": [full.get("dose"), full.get("timing")],
    }
    if adjusted:
        ratio = primary.get("ratio")
        out["difference"] = {
            "estimate": adjusted["estimate"],
            "ci90": adjusted["ci90"],
            "ratio": ratio,
        }
    return out
