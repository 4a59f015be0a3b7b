"""Experiments: plan a randomised self-experiment, follow its schedule, see what it shows.

``/experiments`` shows the current (else latest) experiment, or the plan form when there is
none. Planning, stopping (with a confirmation box) and the calendar file are plain forms and
links: POST then 303, no JavaScript needed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services.experiments.plan import NoExperimentError
from bedside.services.scope import Scope
from bedside.web.api.common import MAX_ID
from bedside.web.forms import FORM_LEVEL, FormValues, submitted_form
from bedside.web.pages.common import page_scope, see_other
from bedside.web.pages.experiment_view import (
    HINTS,
    blocks,
    form_field,
    levels_of,
    plan_data,
    plan_defaults,
)
from bedside.web.problems import classify, error_field
from bedside.web.rendering import render

router = APIRouter(include_in_schema=False)
ExperimentId = Path(ge=1, le=MAX_ID)
SAVED = {
    "planned": "Experiment planned. Its schedule is below.",
    "stopped": "Experiment stopped: nights after tonight are not analysed.",
}
CONFIRM = "confirm"


@router.get("/experiments", name="experiments_page")
def experiments_page(request: Request, saved: str | None = None) -> Response:
    """The current or latest experiment, or the plan form when there is none."""
    with page_scope(request) as scope:
        try:
            context = _experiment_context(scope, None)
        except NoExperimentError:
            context = _plan_context(plan_defaults(), {})
    return _render(request, context, saved)


@router.get("/experiments/{experiment_id}", name="experiment_page")
def experiment_page(
    request: Request, experiment_id: int = ExperimentId, saved: str | None = None
) -> Response:
    """One experiment by id (404 when it is not yours)."""
    with page_scope(request) as scope:
        context = _experiment_context(scope, experiment_id)
    return _render(request, context, saved)


@router.post("/experiments", name="plan_experiment_form")
async def plan_experiment_form(request: Request) -> Response:
    """Store the plan and show it with its expected precision; mistakes next to the field."""
    from bedside.services.experiments.analysis import plan_with_precision

    values = await submitted_form(request)
    try:
        with page_scope(request) as scope:
            out = plan_with_precision(scope, plan_data(values))
    except BedsideError as exc:
        field = form_field(error_field(exc)) or FORM_LEVEL
        with page_scope(request) as scope:
            context = _plan_context(values, {field: exc.message})
            context.update(_maybe_experiment(scope))
        return _render(request, context, None, classify(exc)[0])
    return see_other(f"/experiments/{out.id}?saved=planned")


@router.post("/experiments/{experiment_id}/stop", name="stop_experiment_form")
async def stop_experiment_form(request: Request, experiment_id: int = ExperimentId) -> Response:
    """Stop the experiment once the person ticked the confirmation box."""
    from bedside.services.experiments.plan import stop_experiment

    values = await submitted_form(request)
    with page_scope(request) as scope:
        if CONFIRM not in values:
            context = _experiment_context(scope, experiment_id)
            context["errors"] = {CONFIRM: "Tick the box to confirm you want to stop."}
            return _render(request, context, None, 422)
        stop_experiment(scope, experiment_id)
    return see_other(f"/experiments/{experiment_id}?saved=stopped")


@router.get("/experiments/{experiment_id}/calendar.ics", name="experiment_calendar")
def experiment_calendar(request: Request, experiment_id: int = ExperimentId) -> Response:
    """The schedule as an iCalendar file (one evening event per night)."""
    from bedside.services.experiments.calendar import experiment_ics

    with page_scope(request) as scope:
        data = experiment_ics(scope, experiment_id)
    return Response(
        data,
        media_type="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="bedside-experiment-{experiment_id}.ics"'
        },
    )


def _render(
    request: Request, context: dict[str, Any], saved: str | None, status: int = 200
) -> Response:
    from bedside.services.experiments.views import outcome_choices

    full = {
        "section": "experiments",
        "title": "Experiments",
        "saved": SAVED.get(saved or ""),
        "outcomes": outcome_choices(),
        "hints": HINTS,
        "errors": {},
        "v": plan_defaults(),
        "levels": levels_of(plan_defaults()),
        "exp": None,
        **context,
    }
    return render(request, "experiments.html", full, status)


def _plan_context(values: FormValues, errors: dict[str, str]) -> dict[str, Any]:
    return {"v": values, "errors": errors, "levels": levels_of(values), "show_plan": True}


def _maybe_experiment(scope: Scope) -> dict[str, Any]:
    """The latest experiment's page parts, if there is one (beside a re-shown plan form)."""
    try:
        return {k: v for k, v in _experiment_context(scope, None).items() if k != "show_plan"}
    except NoExperimentError:
        return {}


def _experiment_context(scope: Scope, experiment_id: int | None) -> dict[str, Any]:
    """The template's parts of the page service's one result."""
    from bedside.services.experiments.page import experiment_page

    page = experiment_page(scope, experiment_id)
    return {
        "exp": page.experiment,
        "analysis": page.analysis,
        "view": page.figures,
        "blocks": blocks(page.experiment.schedule, page.tonight),
        "tonight": page.tonight,
        "assignment": page.assignment,
        "active": page.active,
        "show_plan": not page.active,
        "charts": page.charts,
    }
