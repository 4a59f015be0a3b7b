"""Experiments with numbers: expected precision, adherence, the schedule so far, analysis.

Heavy (pandas, SciPy): imported only by commands and pages that analyse. The night frame
(:func:`bedside.services.analysis_rows.person_night_frame`) supplies the primary outcome per
night and whether kratom was taken; the analysis is
:func:`bedside.analysis.experiment.analyse_experiment` by assignment (intention to treat),
with adherence shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Final

import pandas as pd

from bedside.analysis.design import ExperimentPlan, ScheduledNight
from bedside.analysis.experiment import analyse_experiment
from bedside.analysis.jsonable import to_jsonable
from bedside.analysis.nights import NightColumns
from bedside.analysis.summary import does_not_show, experiment_sentences
from bedside.domain import experiments as xp
from bedside.services.analysis_rows import person_night_frame
from bedside.services.experiments.assignment import draw_due_blocks
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.services.experiments.precision import HISTORY_NIGHTS
from bedside.services.experiments.precision import precision as frozen_precision
from bedside.services.experiments.schemas import (
    ExperimentAnalysisOut,
    ExperimentIn,
    ExperimentOut,
    ExperimentResultOut,
    PrecisionAvailableOut,
    PrecisionUnavailableOut,
)
from bedside.services.experiments.views import experiment_out, orders_of, schedule_out, spec_of
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment

RANDOMISED: Final = "randomised self-experiment"


def plan_with_precision(scope: Scope, data: ExperimentIn | Mapping[str, object]) -> ExperimentOut:
    """Store a new experiment and report the precision to expect from the person's nights."""
    out = plan_experiment(scope, data)
    exp = get_experiment(scope, out.id)
    out.precision = precision(scope, exp, saving=True)
    return out


def plan_of(exp: Experiment) -> ExperimentPlan:
    """The analysis plan of a stored experiment."""
    return ExperimentPlan(
        question=exp.question,
        outcome=exp.outcome,
        mid=exp.mid,
        start=exp.start_night,
        seed=exp.seed,
        blocks=exp.blocks,
        nights_per_period=exp.nights_per_period,
        washout_nights=exp.washout_nights,
        run_in_nights=exp.run_in_nights,
        levels=tuple(str(level) for level in exp.levels),
        reference=exp.reference,
        early_stopping=exp.early_stopping,
    )


def as_of(scope: Scope, exp: Experiment) -> date:
    """The last night the analysis may use: tonight, the end, or the night it was stopped."""
    last = min(scope.tonight(), spec_of(exp).end)
    if exp.status == "stopped" and exp.stopped_night is not None:
        last = min(last, exp.stopped_night)
    return last


def shown_until(scope: Scope, exp: Experiment) -> date:
    """The last night the experiment's chart shows: tonight or the end (even after a stop)."""
    return min(scope.tonight(), spec_of(exp).end)


def experiment_frame(scope: Scope, exp: Experiment) -> pd.DataFrame:
    """Night frame (indexed by night) for everything a page shows about ``exp``.

    From the history window before the start up to :func:`shown_until`, so one frame serves
    :func:`show_experiment`, :func:`analyze_experiment` and the charts of one request.
    """
    return _window_frame(scope, exp, shown_until(scope, exp))


def _frame(scope: Scope, exp: Experiment, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Night frame from the history window before the start up to the analysis date.

    A ``frame`` from :func:`experiment_frame` is cut at the analysis date; it may reach
    further only for a stopped experiment, and the columns read here (the outcome and
    ``took``) depend on each night's own entries alone, so the cut frame gives the same
    numbers as one built up to the analysis date.
    """
    last = as_of(scope, exp)
    if frame is not None:
        return frame.loc[: pd.Timestamp(max(last, _history_start(exp)))]
    return _window_frame(scope, exp, last)


def _history_start(exp: Experiment) -> date:
    return exp.start_night - timedelta(days=HISTORY_NIGHTS)


def _window_frame(scope: Scope, exp: Experiment, last: date) -> pd.DataFrame:
    """Night frame (indexed by night) from the history window before the start to ``last``."""
    first = _history_start(exp)
    return person_night_frame(scope, first, max(last, first)).set_index(NightColumns.NIGHT)


def precision(
    scope: Scope, exp: Experiment, frame: pd.DataFrame | None = None, *, saving: bool = False
) -> PrecisionAvailableOut | PrecisionUnavailableOut:
    """Expected precision from the planning inputs frozen in the plan (see
    :mod:`bedside.services.experiments.precision`): the run-in once it has ended with 7+
    logged nights, else the nights before the start as logged when the plan was saved."""
    frame = _frame(scope, exp) if frame is None else frame
    return frozen_precision(scope, exp, plan_of(exp), frame, saving=saving)


def adherence_map(frame: pd.DataFrame, nights: Sequence[ScheduledNight]) -> dict[date, bool | None]:
    """Followed / not followed / unknown for each assigned night (doses vs assignment)."""
    took = frame[NightColumns.TOOK] if NightColumns.TOOK in frame else pd.Series(dtype=float)
    out: dict[date, bool | None] = {}
    for n in nights:
        if n.run_in or n.condition is None:
            continue
        value = took.get(pd.Timestamp(n.night))
        known = value is not None and not math.isnan(float(value))
        out[n.night] = xp.followed(n.condition, bool(value) if known else None)
    return out


def scheduled_nights(exp: Experiment, last: date) -> list[ScheduledNight]:
    """The drawn schedule up to ``last`` in the analysis's shape (blocks from 1)."""
    return [
        ScheduledNight(s.night, s.block, s.period, s.condition, s.washout, s.run_in)
        for s in xp.all_slots(spec_of(exp), orders_of(exp))
        if s.night <= last and (s.run_in or s.condition is not None)
    ]


def show_experiment(
    scope: Scope, experiment_id: int | None = None, *, frame: pd.DataFrame | None = None
) -> ExperimentOut:
    """The plan, the draws, the schedule so far with adherence, and the expected precision.

    ``frame``: :func:`experiment_frame` of this experiment when the caller built it already.
    """
    exp = get_experiment(scope, experiment_id)
    last = as_of(scope, exp)
    draw_due_blocks(scope, exp, last)
    frame = _frame(scope, exp, frame)
    out = experiment_out(scope, exp)
    followed = adherence_map(frame, scheduled_nights(exp, last))
    out.schedule = schedule_out(exp)
    for night in out.schedule:
        night.followed = followed.get(night.night)
    out.adherence = _adherence_counts(followed)
    out.precision = precision(scope, exp, frame)
    return out


def _adherence_counts(followed: Mapping[date, bool | None]) -> dict[str, int]:
    flags = list(followed.values())
    return {
        "assigned_nights": len(flags),
        "followed": sum(1 for f in flags if f is True),
        "not_followed": sum(1 for f in flags if f is False),
        "unknown": sum(1 for f in flags if f is None),
    }


def analyze_experiment(
    scope: Scope, experiment_id: int | None = None, *, frame: pd.DataFrame | None = None
) -> ExperimentAnalysisOut:
    """The §4.1 analysis so far: exact numbers, lay sentences and what it cannot show.

    Fields: ``experiment`` (the plan), ``status`` (``in_progress`` before 3 complete blocks,
    ``interim``, ``complete``), ``as_of``, ``label``, ``summary`` (sentences),
    ``does_not_show``, ``result`` (everything :class:`ExperimentResult` holds; blocks and
    periods count from 1) and ``precision``. ``frame``: as for :func:`show_experiment`.
    """
    exp = get_experiment(scope, experiment_id)
    last = as_of(scope, exp)
    draw_due_blocks(scope, exp, last)
    frame = _frame(scope, exp, frame)
    nights = scheduled_nights(exp, last)
    values = frame[exp.outcome] if exp.outcome in frame else pd.Series(dtype=float)
    outcomes = {n.night: _number(values.get(pd.Timestamp(n.night))) for n in nights if not n.run_in}
    plan = plan_of(exp)
    planned = precision(scope, exp, frame)
    anchor = planned.sd_pair if isinstance(planned, PrecisionAvailableOut) else None
    result = analyse_experiment(
        plan,
        nights,
        outcomes,
        followed=adherence_map(frame, nights),
        sigma_anchor=float(anchor) if isinstance(anchor, int | float) else None,
        as_of=last,
    )
    summary = experiment_sentences(result, plan)
    if exp.status == "stopped":
        summary.insert(
            0,
            f"You stopped this experiment on the night of {exp.stopped_night}, after "
            f"{result.complete_blocks} of {exp.blocks} planned blocks.",
        )
    return ExperimentAnalysisOut(
        experiment=experiment_out(scope, exp),
        status=result.status,
        as_of=last,
        label=RANDOMISED,
        summary=summary,
        does_not_show=does_not_show("experiment"),
        result=ExperimentResultOut.model_validate(to_jsonable(result)),
        precision=planned,
    )


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
