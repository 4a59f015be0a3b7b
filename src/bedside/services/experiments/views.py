"""What a stored experiment looks like to the person: its calendar, draws and warnings.

Conversions of stored rows into output shapes; no queries of their own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bedside.domain import experiments as xp
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import local_iso, parse_clock
from bedside.services.experiments.schemas import BlockDrawOut, ExperimentOut, ScheduledNightOut
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment

if TYPE_CHECKING:
    from bedside.analysis.outcomes import OutcomeSpec


def known_outcomes() -> dict[str, OutcomeSpec]:
    """The known outcomes (imported on use: the module pulls in NumPy)."""
    from bedside.analysis.outcomes import OUTCOMES

    return OUTCOMES


def outcome_choices() -> list[tuple[str, str]]:
    """The outcomes a person can choose, as (name, label) pairs in the declared order."""
    return [(name, spec.label.capitalize()) for name, spec in known_outcomes().items()]


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
    known = known_outcomes()
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
