"""API: insights (association, not proof) and randomised self-experiments.

The analysis services return typed results with exact, unrounded numbers; these routes
pass them through. Mistakes are problem details naming the field (``outcome``,
``from``, ``pairs`` ...); a missing experiment is a 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from bedside.services.experiments.schemas import (
    AssignmentOut,
    ExperimentAnalysisOut,
    ExperimentIn,
    ExperimentOut,
)
from bedside.services.insights_schemas import InsightsOut
from bedside.web.api.common import From, Id, To, api_scope

router = APIRouter()
Outcome = Annotated[
    str,
    Query(max_length=64, description="Primary outcome, e.g. `quality`, `pain_next_morning`."),
]


@router.get("/insights", name="get_insights", tags=["analysis"])
def get_insights(
    request: Request, outcome: Outcome = "quality", start: From = None, end: To = None
) -> InsightsOut:
    """Nights with and without kratom compared (association, not proof), exact numbers."""
    from bedside.services.insights_view import insights_result

    with api_scope(request) as scope:
        return insights_result(scope, outcome, start, end)


@router.get("/experiments", name="list_experiments", tags=["experiments"])
def list_experiments(request: Request) -> list[ExperimentOut]:
    """Every experiment, newest first."""
    from bedside.services.experiments.plan import list_experiments as listed

    with api_scope(request) as scope:
        return listed(scope)


@router.post("/experiments", name="create_experiment", status_code=201, tags=["experiments"])
def create_experiment(request: Request, body: ExperimentIn) -> ExperimentOut:
    """Plan an experiment (409 while another is planned or running), with its precision."""
    from bedside.services.experiments.analysis import plan_with_precision

    with api_scope(request) as scope:
        return plan_with_precision(scope, body)


@router.get("/experiments/tonight", name="get_experiment_tonight", tags=["experiments"])
def get_experiment_tonight(request: Request) -> AssignmentOut | None:
    """Tonight's assignment of the planned or running experiment (null when there is none)."""
    from bedside.services.experiments.assignment import assignment_for

    with api_scope(request) as scope:
        return assignment_for(scope)


@router.get("/experiments/{experiment_id}", name="get_experiment", tags=["experiments"])
def get_experiment(request: Request, experiment_id: Id) -> ExperimentOut:
    """The plan, the blocks drawn, the schedule with adherence, and the expected precision."""
    from bedside.services.experiments.analysis import show_experiment

    with api_scope(request) as scope:
        return show_experiment(scope, experiment_id)


@router.get(
    "/experiments/{experiment_id}/analysis", name="get_experiment_analysis", tags=["experiments"]
)
def get_experiment_analysis(request: Request, experiment_id: Id) -> ExperimentAnalysisOut:
    """The analysis so far: status, lay sentences, exact numbers, what it does not show."""
    from bedside.services.experiments.page import experiment_analysis

    with api_scope(request) as scope:
        return experiment_analysis(scope, experiment_id)


@router.post("/experiments/{experiment_id}/stop", name="stop_experiment", tags=["experiments"])
def stop_experiment(request: Request, experiment_id: Id) -> ExperimentOut:
    """Stop the experiment now (409 when it is already stopped or complete)."""
    from bedside.services.experiments.plan import stop_experiment as stop

    with api_scope(request) as scope:
        return stop(scope, experiment_id)
