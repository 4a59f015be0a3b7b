"""Tonight's condition: each block's order is drawn when its first night arrives.

The order is drawn with the stored seed (:func:`bedside.analysis.allocation.block_order`)
and recorded with the moment it was drawn, or earlier when the person asks for a night of
it (``assign``, ``plan tonight``), never after outcomes of the block exist unless the person
stayed away (the record then shows it was drawn late). Light: ``plan tonight`` calls
:func:`assignment_for`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bedside.analysis.allocation import block_order
from bedside.domain import experiments as xp
from bedside.services.experiments.plan import ACTIVE, refresh
from bedside.services.experiments.schemas import AssignmentOut, AssignmentStatus
from bedside.services.experiments.views import orders_of, spec_of
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment, ExperimentBlock


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
    if exp is None or refresh(scope, exp) not in ACTIVE:
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
