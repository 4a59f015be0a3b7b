"""Randomised self-experiments: plan, show, tonight's assignment, stop (§4.1).

The plan is stored whole before the first night. Each block's order is drawn with the
stored seed (:func:`bedside.analysis.allocation.block_order`) and recorded with the
moment it was drawn when the block's first night arrives, or earlier when the person asks
for a night of it (``assign``, ``plan tonight``), never after outcomes of the block exist
unless the person stayed away (the record then shows it was drawn late).

This module stays light (no NumPy or pandas at import): ``plan tonight`` calls
:func:`assignment_for`.
Precision, adherence and the analysis live in :mod:`bedside.services.experiment_analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bedside.analysis.allocation import block_order, new_seed
from bedside.domain import experiments as xp
from bedside.domain.errors import BedsideError, ConflictError, InputError
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import local_iso, parse_clock
from bedside.services.experiment_schemas import (
    AssignmentOut,
    AssignmentStatus,
    BlockDrawOut,
    ExperimentIn,
    ExperimentOut,
    ScheduledNightOut,
)
from bedside.services.records import owned
from bedside.services.scope import Scope, validated
from bedside.storage.experiments import Experiment, ExperimentBlock

if TYPE_CHECKING:
    from bedside.analysis.outcomes import OutcomeSpec

ACTIVE = ("planned", "running")
MAX_PAIRS, MAX_NIGHTS, MAX_WASHOUT, MAX_RUN_IN = 30, 28, 7, 28
#: A plan may start at most this many days ahead (later dates are typos).
MAX_LEAD_DAYS = 366
MIN_ANALYSABLE = 3
#: Seeds keep 53 bits so that JSON readers with double-precision numbers see them exactly.
JSON_SAFE_SHIFT = 10


def _outcomes() -> dict[str, OutcomeSpec]:
    """The known outcomes (imported on use: the module pulls in NumPy)."""
    from bedside.analysis.outcomes import OUTCOMES

    return OUTCOMES


def outcome_choices() -> list[tuple[str, str]]:
    """The outcomes a person can choose, as (name, label) pairs in the declared order."""
    return [(name, spec.label.capitalize()) for name, spec in _outcomes().items()]


class NoExperimentError(BedsideError):
    """There is no experiment to act on yet."""

    def __init__(self) -> None:
        super().__init__(
            "no experiment yet: plan one with `bedside experiment plan --question TEXT "
            "--outcome quality --threshold 0.5`"
        )


def plan_experiment(scope: Scope, data: ExperimentIn | Mapping[str, object]) -> ExperimentOut:
    """Store a new experiment after checking every choice; returns it with its warnings."""
    values = validated(ExperimentIn, data)
    tonight = scope.tonight()
    _check_plan(values, tonight)
    busy = scope.session.scalars(
        select(Experiment).where(Experiment.user_id == scope.user.id, Experiment.status.in_(ACTIVE))
    ).first()
    if busy is not None and _refresh(scope, busy) in ACTIVE:
        raise ConflictError(
            "start", f"experiment {busy.id} is still {busy.status}; stop it first (one at a time)"
        )
    levels = [level.strip() for level in values.levels]
    spec = _outcomes()[values.outcome]
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
    _refresh(scope, exp)
    return experiment_out(scope, exp)


def _check_plan(values: ExperimentIn, tonight: date) -> None:
    """Every choice, with a message a person can act on."""
    known = _outcomes()
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
        raise InputError(
            "nights", "nights per period must be more than the washout nights (--washout)"
        )
    if values.nights - values.washout < MIN_ANALYSABLE:
        raise InputError(
            "nights",
            f"each period needs at least {MIN_ANALYSABLE} nights after the washout: "
            f"use --nights {values.washout + MIN_ANALYSABLE} or more",
        )


def _reference(values: ExperimentIn, levels: list[str]) -> str:
    if values.reference is not None:
        return values.reference.strip()
    no_dose = [level for level in levels if not xp.takes_kratom(level)]
    return no_dose[0] if len(no_dose) == 1 else levels[0]


def spec_of(exp: Experiment) -> xp.ScheduleSpec:
    """The calendar of a stored experiment."""
    return xp.ScheduleSpec(
        start=exp.start_night,
        blocks=exp.blocks,
        nights_per_period=exp.nights_per_period,
        washout_nights=exp.washout_nights,
        run_in_nights=exp.run_in_nights,
        levels=tuple(str(level) for level in exp.levels),
    )


def orders_of(exp: Experiment) -> dict[int, list[str]]:
    """Recorded orders, by block (from 1)."""
    return {draw.block_index + 1: [str(c) for c in draw.conditions] for draw in exp.draws}


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
    _refresh(scope, exp)
    return exp


def _refresh(scope: Scope, exp: Experiment) -> str:
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


def draw_due_blocks(scope: Scope, exp: Experiment, upto: date) -> None:
    """Draw and record the order of every block whose first night is ``upto`` or earlier."""
    if exp.status == "stopped" and exp.stopped_night is not None:
        upto = min(upto, exp.stopped_night)
    spec = spec_of(exp)
    drawn = {draw.block_index for draw in exp.draws}
    for block in range(1, exp.blocks + 1):
        if spec.block_start(block) > upto or block - 1 in drawn:
            continue
        order = block_order(exp.seed, block - 1, spec.levels)
        exp.draws.append(
            ExperimentBlock(
                user_id=exp.user_id,
                block_index=block - 1,
                conditions=list(order),
                randomised_at=scope.now,
            )
        )
    scope.session.flush()


def assignment_for(scope: Scope, night: date | None = None) -> AssignmentOut | None:
    """The current experiment's assignment for ``night`` (default tonight), or None.

    Blocks due by tonight are drawn first; a future night of an undrawn block says so.
    Returns None when there is no planned or running experiment.
    """
    exp = scope.session.scalars(
        select(Experiment)
        .where(Experiment.user_id == scope.user.id, Experiment.status.in_(ACTIVE))
        .order_by(Experiment.id.desc())
    ).first()
    if exp is None or _refresh(scope, exp) not in ACTIVE:
        return None
    return assignment(scope, exp, night)


def assignment(scope: Scope, exp: Experiment, night: date | None = None) -> AssignmentOut:
    """What ``exp`` asks for on ``night`` (default tonight), drawing due blocks first."""
    tonight = scope.tonight()
    night = night or tonight
    draw_due_blocks(scope, exp, min(night, tonight))
    spec = spec_of(exp)
    slot = xp.slot_of(spec, night, orders_of(exp))
    status = _assignment_status(exp, spec, night, slot)
    text = xp.instruction(slot, spec)
    if status == "not_started":
        text = f"The experiment starts on the night of {spec.start}."
    elif status in ("finished", "stopped"):
        text = f"The experiment is {exp.status}: no condition on this night."
    return AssignmentOut(
        experiment_id=exp.id,
        question=exp.question,
        night=night,
        status=status,
        condition=slot.condition if slot else None,
        block=slot.block if slot else None,
        period=slot.period if slot else None,
        night_in_period=slot.night_in_period if slot else None,
        washout=bool(slot and slot.washout),
        run_in=bool(slot and slot.run_in),
        instruction=text,
    )


def _assignment_status(
    exp: Experiment, spec: xp.ScheduleSpec, night: date, slot: xp.Slot | None
) -> AssignmentStatus:
    if exp.status == "stopped" and (exp.stopped_night is None or night > exp.stopped_night):
        return "stopped"
    if slot is None:
        return "not_started" if night < spec.start else "finished"
    if slot.run_in:
        return "run_in"
    return "assigned" if slot.condition is not None else "not_drawn"


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
        _refresh(scope, exp)
    return [experiment_out(scope, exp) for exp in rows]


def schedule_out(exp: Experiment, upto: date | None = None) -> list[ScheduledNightOut]:
    """The schedule (conditions of drawn blocks only), up to ``upto`` when given."""
    return [
        ScheduledNightOut(
            night=slot.night,
            block=slot.block,
            period=slot.period,
            condition=slot.condition,
            washout=slot.washout,
            run_in=slot.run_in,
        )
        for slot in xp.all_slots(spec_of(exp), orders_of(exp))
        if upto is None or slot.night <= upto
    ]


def experiment_out(scope: Scope, exp: Experiment) -> ExperimentOut:
    """The output shape of an experiment (without schedule, precision or adherence)."""
    spec = spec_of(exp)
    tz = scope.tz
    known = _outcomes()
    label = known[exp.outcome].label if exp.outcome in known else exp.outcome
    return ExperimentOut(
        id=exp.id,
        question=exp.question,
        outcome=exp.outcome,
        outcome_label=label,
        lower_is_better=exp.lower_is_better,
        threshold=exp.mid,
        levels=list(spec.levels),
        reference=exp.reference,
        pairs=exp.blocks,
        nights_per_period=exp.nights_per_period,
        washout_nights=exp.washout_nights,
        run_in_nights=exp.run_in_nights,
        start=exp.start_night,
        end=spec.end,
        seed=exp.seed,
        early_stopping=exp.early_stopping,
        status=exp.status,
        created_at=local_iso(exp.created_at, tz),
        stopped_at=local_iso(exp.stopped_at, tz) if exp.stopped_at else None,
        stopped_night=exp.stopped_night,
        smallest_possible_p=xp.smallest_p(len(spec.levels), exp.blocks),
        warnings=plan_warnings(exp),
        draws=[
            BlockDrawOut(
                block=draw.block_index + 1,
                first_night=spec.block_start(draw.block_index + 1),
                order=[str(c) for c in draw.conditions],
                randomised_at=local_iso(draw.randomised_at, tz),
                drawn_before_start=draw.randomised_at
                <= _first_bedtime(scope, spec.block_start(draw.block_index + 1)),
            )
            for draw in exp.draws
        ],
    )


def _first_bedtime(scope: Scope, night: date) -> datetime:
    """Target bedtime of ``night``: a block drawn by then was fixed before its first sleep."""
    return bedtime_on(night, parse_clock(scope.require_profile().bedtime), scope.tz)


def plan_warnings(exp: Experiment) -> list[str]:
    """What the person should know about the design they chose (§1, §4.1)."""
    levels = len(exp.levels)
    p = xp.smallest_p(levels, exp.blocks)
    unit = "pairs" if levels == 2 else "blocks"
    out = [
        f"With {exp.blocks} {unit} the randomisation test can never show a p-value below "
        f"{p:.3g}; 3 {unit} is a floor, 6 or more is better, and a small effect on a noisy "
        "scale often needs 10 or more."
    ]
    if exp.washout_nights == 0:
        out.append(
            "No washout: the first night after a switch may still feel the previous condition."
        )
    if any(xp.takes_kratom(level) for level in exp.levels) and any(
        not xp.takes_kratom(level) for level in exp.levels
    ):
        out.append(
            "If you take kratom most nights, nights without it may bring withdrawal that "
            "worsens sleep and pain; that would make kratom look more helpful than it is."
        )
    return out
