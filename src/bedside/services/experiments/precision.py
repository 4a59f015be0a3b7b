"""Expected precision of a saved experiment, from planning inputs frozen in the plan (§1, §4.1).

A plan is fixed before its first night, and so is what it expects: the night-to-night SD
and autocorrelation of the primary outcome are measured on the nights logged in the
:data:`HISTORY_NIGHTS` nights before the start when the plan is saved, and on the run-in
nights when the run-in ends. Both are stored in ``experiments.planning`` with the number of
nights they came from, so a night logged later never changes the pairs a plan says it needs
or the precision it promises. Plans saved before Bedside kept these inputs freeze them the
first time they are shown, and say so.

Heavy (pandas, SciPy): imported only by commands and pages that analyse.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

import pandas as pd

from bedside.analysis.design import (
    ExperimentPlan,
    NightVariability,
    night_variability,
    precision_from,
)
from bedside.analysis.jsonable import to_jsonable
from bedside.analysis.outcomes import OUTCOMES
from bedside.services.experiments.schemas import PrecisionAvailableOut, PrecisionUnavailableOut
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment

#: Nights before the start used for precision when there is no run-in (§4.1 planner).
HISTORY_NIGHTS: Final = 60
MIN_NIGHTS_FOR_PRECISION: Final = 7
HISTORY: Final = "history"
RUN_IN: Final = "run_in"


def precision(
    scope: Scope,
    exp: Experiment,
    plan: ExperimentPlan,
    frame: pd.DataFrame,
    *,
    saving: bool = False,
) -> PrecisionAvailableOut | PrecisionUnavailableOut:
    """Expected precision from the frozen planning inputs (frozen now if not yet kept).

    ``frame``: the night frame indexed by night, reaching back :data:`HISTORY_NIGHTS`
    nights before the start. ``saving``: the plan is being saved now (else inputs frozen
    here are for a plan saved before Bedside kept them). The run-in's inputs replace the
    history's once the run-in has ended with 7+ logged nights.
    """
    planning = dict(exp.planning or {})
    if HISTORY not in planning:
        when = "saved" if saving else "first shown"
        planning[HISTORY] = _frozen(_history(exp, frame), scope.tonight(), when)
    run_in_end = exp.start_night + timedelta(days=exp.run_in_nights)
    if exp.run_in_nights and RUN_IN not in planning and scope.tonight() >= run_in_end:
        planning[RUN_IN] = _frozen(_run_in(exp, frame, run_in_end), scope.tonight(), "run-in ended")
    if planning != exp.planning:
        exp.planning = planning
        scope.session.flush()
    run_in = planning.get(RUN_IN)
    if run_in is not None and run_in["sd_night"] is not None:
        return _available(plan, run_in, RUN_IN, _run_in_words(exp, run_in))
    history = planning[HISTORY]
    if history["sd_night"] is not None:
        notes = []
        if exp.run_in_nights >= MIN_NIGHTS_FOR_PRECISION and run_in is None:
            notes.append("When the run-in ends, its nights replace these figures.")
        return _available(plan, history, HISTORY, _history_words(exp, history), notes)
    return _unavailable(exp, history, run_in)


def _values(exp: Experiment, frame: pd.DataFrame) -> pd.Series:
    values = frame[exp.outcome] if exp.outcome in frame else pd.Series(dtype=float)
    return values.set_axis(pd.to_datetime(values.index))


def _measure(values: pd.Series) -> NightVariability:
    logged = values.dropna()
    if logged.empty:
        return NightVariability(0, None, None)
    stamps = pd.DatetimeIndex(logged.index)
    days = (stamps - stamps.min()).days
    return night_variability(logged.to_numpy(float), list(days))


def _history(exp: Experiment, frame: pd.DataFrame) -> NightVariability:
    values = _values(exp, frame)
    first = pd.Timestamp(exp.start_night - timedelta(days=HISTORY_NIGHTS))
    start = pd.Timestamp(exp.start_night)
    return _measure(values[(values.index >= first) & (values.index < start)])


def _run_in(exp: Experiment, frame: pd.DataFrame, run_in_end: date) -> NightVariability:
    values = _values(exp, frame)
    start, end = pd.Timestamp(exp.start_night), pd.Timestamp(run_in_end)
    return _measure(values[(values.index >= start) & (values.index < end)])


def _frozen(measured: NightVariability, on: date, when: str) -> dict[str, Any]:
    return {
        "nights_logged": measured.n_nights,
        "sd_night": measured.sd_night,
        "phi": measured.phi,
        "fixed_on": on.isoformat(),
        "fixed_when": when,
    }


def _label(outcome: str) -> str:
    spec = OUTCOMES.get(outcome)
    return spec.label if spec else outcome.replace("_", " ")


def _nights(n: int) -> str:
    return f"{n} night" if n == 1 else f"{n} nights"


def _history_words(exp: Experiment, inputs: dict[str, Any]) -> str:
    when = "when the plan was saved" if inputs["fixed_when"] == "saved" else "when first shown"
    return (
        f"the {_nights(inputs['nights_logged'])} of {_label(exp.outcome)} you logged in the "
        f"{HISTORY_NIGHTS} nights before the start, fixed on {inputs['fixed_on']} {when}"
    )


def _run_in_words(exp: Experiment, inputs: dict[str, Any]) -> str:
    return (
        f"the {inputs['nights_logged']} of {exp.run_in_nights} run-in nights with "
        f"{_label(exp.outcome)} logged, fixed on {inputs['fixed_on']} when the run-in ended"
    )


def _available(
    plan: ExperimentPlan,
    inputs: dict[str, Any],
    source: str,
    based_on: str,
    notes: list[str] | None = None,
) -> PrecisionAvailableOut:
    result = precision_from(
        plan, float(inputs["sd_night"]), float(inputs["phi"]), source.replace("_", "-"), notes or ()
    )
    return PrecisionAvailableOut.model_validate(
        {
            "available": True,
            "based_on": based_on,
            "nights_logged": inputs["nights_logged"],
            "window_nights": HISTORY_NIGHTS if source == HISTORY else plan.run_in_nights,
            "fixed_on": inputs["fixed_on"],
            **to_jsonable(result),
        }
    )


def _unavailable(
    exp: Experiment, history: dict[str, Any], run_in: dict[str, Any] | None
) -> PrecisionUnavailableOut:
    label = _label(exp.outcome)
    message = (
        f"When the plan was fixed ({history['fixed_on']}), {_nights(history['nights_logged'])} "
        f"of {label} had been logged in the {HISTORY_NIGHTS} nights before the start; "
        f"at least {MIN_NIGHTS_FOR_PRECISION} are needed to see how precise the answer can be."
    )
    if run_in is not None:
        message += f" The run-in ended with {_nights(run_in['nights_logged'])} of {label} logged."
    elif exp.run_in_nights >= MIN_NIGHTS_FOR_PRECISION:
        message += " Log every run-in night: the run-in gives the estimate when it ends."
    else:
        message += (
            f" Log at least {MIN_NIGHTS_FOR_PRECISION} nights of {label} (a run-in) before "
            "planning your next experiment."
        )
    return PrecisionUnavailableOut(
        available=False,
        nights_logged=history["nights_logged"],
        fixed_on=history["fixed_on"],
        message=message,
    )
