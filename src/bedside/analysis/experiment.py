"""Analysis of a planned, randomised self-experiment (§4.1).

Primary: period-level. Each period's mean uses its analysable nights (logged, not
washout; at least 3), each block gives one difference per level (level - reference),
and the estimate is the mean difference with a t interval, the exact randomisation test
over the block orders and the Bayesian summary with a sceptical prior. Also reported:
NAP over analysable nights, the carry-over check, adherence, and, as a secondary analysis,
the night-level model with AR(1) errors in calendar time and block effects.

Intention to treat: nights are analysed by assignment, whatever was taken.
Before :data:`MIN_COMPLETE_BLOCKS` complete blocks only the periods are returned, with the
status ``in_progress`` ("experiment in progress, no conclusion yet").

Deviation from §4.0, stated: experiment outcomes stay on their own scale (no log for
sleep-onset latency) because period means already average out the skew and the
worth-it threshold is set in the outcome's own units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import numpy as np
import pandas as pd

from bedside.analysis.bayes import BayesSummary, pair_summary
from bedside.analysis.carryover import CarryOverCheck, carry_over_check
from bedside.analysis.design import ExperimentPlan, ScheduledNight
from bedside.analysis.nonoverlap import NonOverlap, nap
from bedside.analysis.outcomes import FloatArray, outcome_spec
from bedside.analysis.paired import PairedEstimate, paired_t
from bedside.analysis.periods import (
    PairDifference,
    PeriodColumns,
    PeriodSummary,
    block_differences,
    period_means,
)
from bedside.analysis.randomisation import (
    RandomisationTest,
    sign_flip_test,
    within_block_permutation_test,
)
from bedside.analysis.regression import Design, TermEstimate, term_estimate

#: §4.1: "Minimum before any result: 3 complete pairs".
MIN_COMPLETE_BLOCKS: Final = 3
IN_PROGRESS: Final = "Experiment in progress, no conclusion yet."
EARLY_STOP_MIN_BLOCKS: Final = 4
EARLY_STOP_CHANCE: Final = 0.95
STOP_EARLY: Final = (
    "The stopping rule you chose before the start is met: the experiment can end here."
)
Status = Literal["in_progress", "interim", "complete"]


@dataclass(frozen=True)
class LevelComparison:
    """One level against the reference, at period level (primary) and night level."""

    level: str
    reference: str
    pairs: tuple[PairDifference, ...]
    paired: PairedEstimate
    randomisation: RandomisationTest
    bayes: BayesSummary | None
    nonoverlap: NonOverlap
    night_model: TermEstimate | None
    night_model_note: str | None


@dataclass(frozen=True)
class Adherence:
    """How many assigned nights followed their assignment (shown beside, not mixed in)."""

    assigned_nights: int
    followed: int
    not_followed: int
    unknown: int


@dataclass(frozen=True)
class ExperimentResult:
    """Everything the experiment screen and report show."""

    status: Status
    complete_blocks: int
    planned_blocks: int
    periods: tuple[PeriodSummary, ...]
    comparisons: tuple[LevelComparison, ...]
    omnibus: RandomisationTest | None
    carry_over: CarryOverCheck | None
    adherence: Adherence | None
    messages: tuple[str, ...]
    stop_early: bool = False


def experiment_table(
    schedule: Sequence[ScheduledNight], outcomes: Mapping[date, float | None]
) -> pd.DataFrame:
    """Night table (:class:`PeriodColumns`) of the scheduled, non-run-in nights."""
    c = PeriodColumns
    rows = [n for n in schedule if not n.run_in]
    start = min((n.night for n in schedule), default=date.today())
    values = [outcomes.get(n.night) for n in rows]
    return pd.DataFrame(
        {
            c.Y: pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float),
            c.CONDITION: [n.condition for n in rows],
            c.BLOCK: [n.block for n in rows],
            c.PERIOD: [n.period for n in rows],
            c.DAY: [(n.night - start).days for n in rows],
            c.WASHOUT: [n.washout for n in rows],
        }
    )


def analyse_experiment(
    plan: ExperimentPlan,
    schedule: Sequence[ScheduledNight],
    outcomes: Mapping[date, float | None],
    *,
    followed: Mapping[date, bool | None] | None = None,
    sigma_anchor: float | None = None,
    as_of: date | None = None,
) -> ExperimentResult:
    """Analyse the experiment so far (nights after ``as_of`` are ignored).

    ``outcomes`` maps nights to the primary outcome; ``followed`` maps nights to whether
    the assignment was followed (for adherence); ``sigma_anchor`` is the run-in's
    expected SD of pair differences (:class:`~bedside.analysis.design.PlanPrecision`).
    """
    nights = [n for n in schedule if as_of is None or n.night <= as_of]
    table = experiment_table(nights, outcomes)
    periods = tuple(period_means(table)) if len(table) else ()
    complete = _complete_blocks(periods, plan.levels)
    adherence = _adherence(nights, followed) if followed is not None else None
    if complete < MIN_COMPLETE_BLOCKS:
        missing = MIN_COMPLETE_BLOCKS - complete
        note = (
            f"{complete} of {plan.blocks} planned blocks complete; a first result comes after "
            f"{MIN_COMPLETE_BLOCKS} ({missing} to go)."
        )
        return ExperimentResult(
            "in_progress", complete, plan.blocks, periods, (), None, None, adherence,
            (IN_PROGRESS, note),
        )  # fmt: skip
    spec = outcome_spec(plan.outcome)
    comparisons = tuple(
        compare_levels(
            table, periods, level, plan.reference,
            mid=plan.mid, benefit_sign=spec.benefit_sign, sigma_anchor=sigma_anchor,
        )
        for level in plan.compared
    )  # fmt: skip
    omnibus = None
    if len(plan.levels) > 2:
        omnibus = within_block_permutation_test(_block_matrix(periods, plan.levels))
    status: Status = "complete" if complete >= plan.blocks else "interim"
    messages: tuple[str, ...] = ()
    stop = status == "interim" and _stopping_rule_met(plan, complete, comparisons)
    if stop:
        messages = (STOP_EARLY,)
    elif status == "interim":
        messages = ("Interim result: the experiment is not finished.",)
    return ExperimentResult(
        status, complete, plan.blocks, periods, comparisons, omnibus,
        carry_over_check(table, plan.mid), adherence, messages, stop,
    )  # fmt: skip


def _stopping_rule_met(
    plan: ExperimentPlan, complete: int, comparisons: Sequence[LevelComparison]
) -> bool:
    """§4.1 pre-set rule: P(benefit > MID) above 0.95 or below 0.05 after 4+ blocks."""
    if not plan.early_stopping or complete < EARLY_STOP_MIN_BLOCKS:
        return False
    chances = [c.bayes.shown.p_benefit_over_mid for c in comparisons if c.bayes is not None]
    return bool(chances) and all(
        p is not None and (p > EARLY_STOP_CHANCE or p < 1 - EARLY_STOP_CHANCE) for p in chances
    )


def compare_levels(
    table: pd.DataFrame,
    periods: Sequence[PeriodSummary],
    level: str,
    reference: str,
    *,
    mid: float | None,
    benefit_sign: float,
    sigma_anchor: float | None = None,
) -> LevelComparison:
    """Period-level and night-level comparison of ``level`` with ``reference``."""
    pairs = tuple(block_differences(periods, level, reference))
    d = np.array([p.difference for p in pairs])
    c = PeriodColumns
    usable = table[table[c.Y].notna()]
    if c.WASHOUT in usable:
        usable = usable[~usable[c.WASHOUT].astype(bool)]
    nights_of = {
        k: usable.loc[usable[c.CONDITION] == k, c.Y].to_numpy(float) for k in (level, reference)
    }
    model, note = _night_model(usable, pairs, level, reference)
    hint = within_period_spread(periods, pairs, level, reference)
    return LevelComparison(
        level=level,
        reference=reference,
        pairs=pairs,
        paired=paired_t(d),
        randomisation=sign_flip_test(d),
        bayes=pair_summary(d, mid, benefit_sign, sigma_anchor, spread_hint=hint),
        nonoverlap=nap(nights_of[level], nights_of[reference], lower_is_better=benefit_sign < 0),
        night_model=model,
        night_model_note=note,
    )


def within_period_spread(
    periods: Sequence[PeriodSummary],
    pairs: Sequence[PairDifference],
    level: str,
    reference: str,
) -> float | None:
    """SD of a pair difference implied by the nights' variation inside the periods alone.

    Per block, Var(d) = sum of SD^2 / n over its level periods / m^2, plus the same for its
    reference periods (m periods of a condition averaged); the result is the root of the
    mean over blocks. It leaves out variation between periods, so it understates the real
    spread: only a weak prior's anchor when the pairs themselves show none (see
    :func:`~bedside.analysis.bayes.pair_summary`). None when no block has the SDs it needs.
    """
    blocks = {p.block for p in pairs}
    parts: dict[object, dict[str, list[float]]] = {}
    for s in periods:
        if s.counts and s.block in blocks and s.condition in (level, reference):
            ok = s.n_nights > 1 and np.isfinite(s.sd)
            parts.setdefault(s.block, {}).setdefault(s.condition, []).append(
                s.sd**2 / s.n_nights if ok else np.nan
            )
    variances = [
        sum(float(np.sum(v)) / len(v) ** 2 for v in by.values())
        for by in parts.values()
        if len(by) == 2 and all(np.isfinite(v).all() for v in by.values())
    ]
    if not variances:
        return None
    spread = float(np.sqrt(np.mean(variances)))
    return spread if spread > 0 else None


def _night_model(
    usable: pd.DataFrame, pairs: Sequence[PairDifference], level: str, reference: str
) -> tuple[TermEstimate | None, str | None]:
    """y = a + b [level] + block effects + AR(1) errors, on nights of complete blocks."""
    c = PeriodColumns
    blocks = {p.block for p in pairs}
    rows = usable[usable[c.CONDITION].isin([level, reference]) & usable[c.BLOCK].isin(blocks)]
    if c.DAY not in rows or rows[c.DAY].isna().any():
        return None, "No night dates, so the night-level model was not fitted."
    rows = rows.sort_values(c.DAY)
    design = Design(len(rows))
    term = f"condition[{level}]"
    design.add(term, (rows[c.CONDITION] == level).astype(float).to_numpy())
    design.add_dummies("block", list(rows[c.BLOCK]))
    try:
        fit, _ = design.fit(rows[c.Y].to_numpy(float), rows[c.DAY].to_numpy(), [term])
    except ValueError as err:
        return None, f"The night-level model could not be fitted: {err}."
    return term_estimate(fit, term), None


def _complete_blocks(periods: Sequence[PeriodSummary], levels: Sequence[str]) -> int:
    have: dict[object, set[str]] = {}
    for s in periods:
        if s.counts:
            have.setdefault(s.block, set()).add(s.condition)
    return sum(1 for conditions in have.values() if set(levels) <= conditions)


def _block_matrix(periods: Sequence[PeriodSummary], levels: Sequence[str]) -> FloatArray:
    means: dict[object, dict[str, list[float]]] = {}
    for s in periods:
        if s.counts:
            means.setdefault(s.block, {}).setdefault(s.condition, []).append(s.mean)
    rows = [
        [float(np.mean(by[level])) for level in levels]
        for by in means.values()
        if all(level in by for level in levels)
    ]
    return np.array(rows, dtype=float)


def _adherence(nights: Sequence[ScheduledNight], followed: Mapping[date, bool | None]) -> Adherence:
    assigned = [n for n in nights if not n.run_in]
    flags = [followed.get(n.night) for n in assigned]
    yes = sum(1 for f in flags if f is True)
    no = sum(1 for f in flags if f is False)
    return Adherence(len(assigned), yes, no, len(assigned) - yes - no)


__all__ = [
    "IN_PROGRESS",
    "MIN_COMPLETE_BLOCKS",
    "Adherence",
    "ExperimentResult",
    "LevelComparison",
    "analyse_experiment",
    "compare_levels",
    "experiment_table",
]
