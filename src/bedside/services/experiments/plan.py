"""Randomised self-experiments: plan one, find the current one, stop it, list them (§4.1).

The plan is stored whole before the first night, with the seed its blocks' orders are drawn
from (:mod:`bedside.services.experiments.assignment`). Light: no NumPy or pandas at import.
Precision, adherence and the analysis live in :mod:`bedside.services.experiments.analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bedside.analysis.allocation import new_seed
from bedside.domain import experiments as xp
from bedside.domain.errors import BedsideError, ConflictError, InputError
from bedside.services.experiments.schemas import ExperimentIn, ExperimentOut
from bedside.services.experiments.views import experiment_out, known_outcomes, spec_of
from bedside.services.records import owned
from bedside.services.scope import Scope, validated
from bedside.storage.experiments import Experiment

if TYPE_CHECKING:
    pass

ACTIVE = ("planned", "running")
MAX_PAIRS, MAX_NIGHTS, MAX_WASHOUT, MAX_RUN_IN = 30, 28, 7, 28
#: A plan may start at most this many days ahead (later dates are typos).
MAX_LEAD_DAYS = 366
MIN_ANALYSABLE = 3
#: Seeds keep 53 bits so that JSON readers with double-precision numbers see them exactly.
JSON_SAFE_SHIFT = 10


class NoExperimentError(BedsideError):
    """There is no experiment to act on yet."""

    def __init__(self) -> None:
        super().__init__("no experiment yet: plan one first", next_step="plan_experiment")


def plan_experiment(scope: Scope, data: ExperimentIn | Mapping[str, object]) -> ExperimentOut:
    """Store a new experiment after checking every choice; returns it with its warnings."""
    values = validated(ExperimentIn, data)
    tonight = scope.tonight()
    _check_plan(values, tonight)
    busy = scope.session.scalars(
        select(Experiment).where(Experiment.user_id == scope.user.id, Experiment.status.in_(ACTIVE))
    ).first()
    if busy is not None and refresh(scope, busy) in ACTIVE:
        raise ConflictError(
            "start", f"experiment {busy.id} is still {busy.status}; stop it first (one at a time)"
        )
    levels = [level.strip() for level in values.levels]
    spec = known_outcomes()[values.outcome]
    exp = Experiment(
        user_id=scope.user.id,
        question=values.question,
        outcome=values.outcome,
        lower_is_better=not spec.higher_is_better,
        mid=values.threshold if values.threshold is not None else spec.default_mid,
        levels=levels,
        reference=_reference(values, levels),
        blocks=values.pairs,
        nights_per_period=values.nights,
        washout_nights=values.washout,
        run_in_nights=values.run_in,
        start_night=values.start or tonight + timedelta(days=1),
        seed=new_seed() >> JSON_SAFE_SHIFT,
        early_stopping=values.early_stopping,
        status="planned",
        created_at=scope.now,
    )
    scope.session.add(exp)
    scope.session.flush()
    refresh(scope, exp)
    return experiment_out(scope, exp)


def _check_plan(values: ExperimentIn, tonight: date) -> None:
    """Every choice, with a message a person can act on."""
    known = known_outcomes()
    if values.outcome not in known:
        raise InputError(
            "outcome", f"unknown outcome {values.outcome!r}; choose one of: {', '.join(known)}"
        )
    if values.threshold is not None and not 0 < values.threshold < math.inf:
        raise InputError("threshold", "the worth-it threshold must be a positive number")
    distinct = len({level.strip().casefold() for level in values.levels})
    if distinct != len(values.levels):
        raise InputError("levels", "the conditions must all be different")
    if values.pairs < 3:
        raise InputError(
            "pairs",
            f"plan at least 3 pairs: with {values.pairs} the randomisation test can never go "
            f"below p = {xp.smallest_p(distinct, max(values.pairs, 1)):.2f} (3 pairs: 0.25, "
            "6 pairs: 0.031); 6 or more is better",
        )
    if values.pairs > MAX_PAIRS:
        raise InputError("pairs", f"plan at most {MAX_PAIRS} pairs")
    _check_nights(values)
    if values.start is not None and values.start < tonight:
        raise InputError(
            "start", f"the start night {values.start} is in the past; start tonight or later"
        )
    if values.start is not None and values.start > tonight + timedelta(days=MAX_LEAD_DAYS):
        raise InputError("start", f"start within {MAX_LEAD_DAYS} days of tonight")
    if values.reference is not None and values.reference.strip() not in values.levels:
        raise InputError(
            "reference",
            f"{values.reference!r} is not one of the conditions ({', '.join(values.levels)})",
        )


def _check_nights(values: ExperimentIn) -> None:
    if not 0 <= values.washout <= MAX_WASHOUT:
        raise InputError("washout", f"washout nights must be between 0 and {MAX_WASHOUT}")
    if not 0 <= values.run_in <= MAX_RUN_IN:
        raise InputError("run_in", f"run-in nights must be between 0 and {MAX_RUN_IN}")
    if values.nights > MAX_NIGHTS:
        raise InputError("nights", f"periods of at most {MAX_NIGHTS} nights")
    if values.nights <= values.washout:
        raise InputError("nights", "nights per period must be more than the washout nights")
    if values.nights - values.washout < MIN_ANALYSABLE:
        raise InputError(
            "nights",
            f"each period needs at least {MIN_ANALYSABLE} nights after the washout: "
            f"use {values.washout + MIN_ANALYSABLE} nights per period or more",
        )


def _reference(values: ExperimentIn, levels: list[str]) -> str:
    if values.reference is not None:
        return values.reference.strip()
    no_dose = [level for level in levels if not xp.takes_kratom(level)]
    return no_dose[0] if len(no_dose) == 1 else levels[0]


def get_experiment(scope: Scope, experiment_id: int | None = None) -> Experiment:
    """Experiment ``experiment_id``, else the current one (planned/running), else the latest."""
    if experiment_id is not None:
        exp = owned(scope, Experiment, experiment_id, "experiment")
    else:
        mine = select(Experiment).where(Experiment.user_id == scope.user.id)
        found = (
            scope.session.scalars(
                mine.where(Experiment.status.in_(ACTIVE)).order_by(Experiment.id.desc())
            ).first()
            or scope.session.scalars(mine.order_by(Experiment.id.desc())).first()
        )
        if found is None:
            raise NoExperimentError()
        exp = found
    refresh(scope, exp)
    return exp


def refresh(scope: Scope, exp: Experiment) -> str:
    """Bring the stored status up to date with the calendar; returns it."""
    if exp.status in ("stopped", "complete"):
        return exp.status
    tonight = scope.tonight()
    spec = spec_of(exp)
    status = "planned" if tonight < spec.start else "complete" if tonight > spec.end else "running"
    if status != exp.status:
        exp.status = status
        scope.session.flush()
    return status


def stop_experiment(scope: Scope, experiment_id: int | None = None) -> ExperimentOut:
    """End an experiment early; nights after tonight are not analysed."""
    exp = get_experiment(scope, experiment_id)
    if exp.status in ("stopped", "complete"):
        raise ConflictError("experiment_id", f"experiment {exp.id} is already {exp.status}")
    exp.status = "stopped"
    exp.stopped_at = scope.now
    exp.stopped_night = scope.tonight()
    scope.session.flush()
    return experiment_out(scope, exp)


def list_experiments(scope: Scope) -> list[ExperimentOut]:
    """Every experiment of the person, newest first."""
    query = select(Experiment).where(Experiment.user_id == scope.user.id)
    rows = list(scope.session.scalars(query.order_by(Experiment.id.desc())))
    for exp in rows:
        refresh(scope, exp)
    return [experiment_out(scope, exp) for exp in rows]
