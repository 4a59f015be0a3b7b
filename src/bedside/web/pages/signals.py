"""Signals: how often and how much, streaks, drift, check-ins and what they may mean.

The figures come from :func:`bedside.services.signals.signals_view`; days with nothing logged
stay unknown. The optional daily check-in (six questions, 0-10, all optional) posts here and
redirects back; a mistake is shown beside its question (422).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError, InputError
from bedside.services.checkins import add_checkin, checkin_questions
from bedside.services.signals import signals_view
from bedside.web.forms import FORM_LEVEL, FormValues, errors_of, submitted_form
from bedside.web.pages.common import page_scope, see_other
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
SCORE_MESSAGE = "give a whole number from 0 (not at all) to 10 (extremely), or leave it blank"


@router.get("/signals", name="signals_page")
def signals(request: Request, saved: str | None = None) -> Response:
    """The signals report and the check-in form."""
    return signals_page(request, FormValues(), {}, saved=saved == "checkin")


def signals_page(
    request: Request,
    values: FormValues,
    errors: dict[str, str],
    *,
    saved: bool = False,
    status: int = 200,
) -> Response:
    """Render the signals with the check-in form (its values and errors kept)."""
    with page_scope(request) as scope:
        report = signals_view(scope)
    context: dict[str, Any] = {
        "section": "signals",
        "title": "Signals",
        "report": report,
        "findings": [f.model_dump(mode="json") for f in report.findings],
        "windows": list(reversed(report.windows)),
        "questions": checkin_questions(),
        "v": values,
        "errors": errors,
        "saved": saved,
    }
    return render(request, "signals.html", context, status)


def checkin_scores(values: FormValues) -> dict[str, int]:
    """The answered questions as scores (InputError naming the question for a bad one)."""
    scores: dict[str, int] = {}
    for question in checkin_questions():
        text = values.get(question["id"]).strip()
        if not text:
            continue
        if not text.isdigit() or not 0 <= int(text) <= 10:
            raise InputError(question["id"], SCORE_MESSAGE)
        scores[question["id"]] = int(text)
    if not scores:
        raise InputError(FORM_LEVEL, "answer at least one question (all are optional)")
    return scores


@router.post("/signals/checkin", name="checkin_submit")
def checkin_submit(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Save today's check-in, or show the form again with the problem beside its question."""
    try:
        scores = checkin_scores(values)
        with page_scope(request) as scope:
            add_checkin(scope, scores)
    except BedsideError as exc:
        return signals_page(request, values, errors_of(exc), status=422)
    return see_other("/signals?saved=checkin#checkin-title")
