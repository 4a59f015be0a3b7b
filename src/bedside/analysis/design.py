"""Planning a randomised self-experiment (§4.1): the plan, its schedule, its precision.

A plan is fixed before the first night: the question, one primary outcome and its
worth-it threshold (MID), K blocks (pairs, for two conditions) of periods of L nights,
the first w nights of each period as washout, an optional run-in, and the seed that
decides the order inside every block (see :mod:`bedside.analysis.allocation`).

The expected precision uses the run-in: night-to-night SD and AR(1) autocorrelation give
the SD of a pair difference of period means; then (§1)
``K = ((1.96 + 0.84) x SD_pair / MID)^2 + 2`` pairs for 80% power, and the expected 95%
interval half-width with the planned K is ``t(K-1) x SD_pair / sqrt(K)``. The formula
ignores slow drift between periods, so it is optimistic; the planner says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np

from bedside.analysis.allocation import block_order
from bedside.analysis.ar1 import fit_ar1
from bedside.analysis.distributions import t_ppf

MIN_BLOCKS: Final = 3
RECOMMENDED_BLOCKS: Final = 6
MIN_ANALYSABLE_NIGHTS: Final = 3
MIN_RUN_IN_NIGHTS: Final = 7
_Z_ALPHA: Final = 1.96
_Z_POWER: Final = 0.84


@dataclass(frozen=True)
class ExperimentPlan:
    """Everything fixed before an experiment starts. ``levels[0]`` need not be the reference."""

    question: str
    outcome: str
    mid: float
    start: date
    seed: int
    blocks: int = RECOMMENDED_BLOCKS
    nights_per_period: int = 7
    washout_nights: int = 1
    run_in_nights: int = 0
    levels: tuple[str, ...] = ("kratom", "no kratom")
    reference: str = "no kratom"
    #: Pre-set early stopping (§4.1): stop when P(benefit > MID) > 0.95 or < 0.05 after
    #: at least 4 complete blocks. Off unless chosen before the start.
    early_stopping: bool = False

    def __post_init__(self) -> None:
        if self.blocks < MIN_BLOCKS:
            raise ValueError(f"plan at least {MIN_BLOCKS} blocks (pairs); 6 or more is better")
        if self.nights_per_period - self.washout_nights < MIN_ANALYSABLE_NIGHTS:
            raise ValueError(
                f"each period needs at least {MIN_ANALYSABLE_NIGHTS} nights after the washout"
            )
        if self.washout_nights < 0 or self.run_in_nights < 0:
            raise ValueError("washout and run-in nights cannot be negative")
        if len(set(self.levels)) != len(self.levels) or len(self.levels) < 2:
            raise ValueError("an experiment compares at least two distinct conditions")
        if self.reference not in self.levels:
            raise ValueError(f"the reference {self.reference!r} is not one of the levels")
        if not self.mid > 0:
            raise ValueError("the worth-it threshold must be a positive number")

    @property
    def compared(self) -> tuple[str, ...]:
        """Levels compared with the reference, in declared order."""
        return tuple(level for level in self.levels if level != self.reference)

    @property
    def nights_per_block(self) -> int:
        """Nights in one block (every level once)."""
        return self.nights_per_period * len(self.levels)

    @property
    def end(self) -> date:
        """The last night of the experiment."""
        total = self.run_in_nights + self.blocks * self.nights_per_block
        return self.start + timedelta(days=total - 1)


@dataclass(frozen=True)
class ScheduledNight:
    """One night of the schedule. Run-in nights have no block, period or condition."""

    night: date
    block: int | None
    period: int | None
    condition: str | None
    washout: bool
    run_in: bool


def build_schedule(plan: ExperimentPlan) -> tuple[ScheduledNight, ...]:
    """Every night of the plan, in date order (run-in first)."""
    nights: list[ScheduledNight] = []
    day = plan.start
    for _ in range(plan.run_in_nights):
        nights.append(ScheduledNight(day, None, None, None, washout=False, run_in=True))
        day += timedelta(days=1)
    for block in range(plan.blocks):
        for period, condition in enumerate(block_order(plan.seed, block, plan.levels)):
            for i in range(plan.nights_per_period):
                washout = i < plan.washout_nights
                nights.append(ScheduledNight(day, block, period, condition, washout, False))
                day += timedelta(days=1)
    return tuple(nights)


@dataclass(frozen=True)
class PlanPrecision:
    """What a plan can be expected to show, from the run-in (or assumed) variability."""

    sd_night: float
    phi: float
    sd_pair: float
    analysable_nights: int
    pairs_needed: int
    planned_pairs: int
    expected_half_width95: float
    min_randomisation_p: float
    source: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class NightVariability:
    """The planning inputs measured on logged nights: night-to-night SD and AR(1) phi.

    ``sd_night`` and ``phi`` are None when fewer than 7 nights were logged. A saved plan
    keeps these numbers, so later nights never change what the plan expects.
    """

    n_nights: int
    sd_night: float | None
    phi: float | None


def night_variability(
    values: Sequence[float], days: Sequence[int] | None = None
) -> NightVariability:
    """SD and AR(1) autocorrelation of logged nights (gaps kept on the calendar-day scale)."""
    array = np.asarray(values, dtype=float)
    on = np.arange(len(array)) if days is None else np.asarray(days)
    keep = ~np.isnan(array)
    array, on = array[keep], on[keep]
    if len(array) < MIN_RUN_IN_NIGHTS:
        return NightVariability(len(array), None, None)
    fit = fit_ar1(array, np.ones((len(array), 1)), on, ["mean"])
    return NightVariability(len(array), fit.sigma, max(fit.phi, 0.0))


def expected_precision(
    plan: ExperimentPlan,
    run_in_values: Sequence[float] = (),
    run_in_days: Sequence[int] | None = None,
    *,
    sd_night: float | None = None,
    phi: float = 0.0,
) -> PlanPrecision:
    """Expected precision of ``plan``; uses the run-in when it has 7+ logged nights.

    Otherwise ``sd_night`` (and ``phi``) must be given, e.g. from the person's history.
    """
    measured = night_variability(run_in_values, run_in_days)
    if measured.sd_night is not None and measured.phi is not None:
        return precision_from(plan, measured.sd_night, measured.phi, "run-in")
    if sd_night is not None and sd_night > 0:
        note = f"The run-in has {measured.n_nights} logged nights; at least 7 are needed."
        return precision_from(plan, sd_night, phi, "assumed", (note,))
    raise ValueError("a precision estimate needs 7+ logged run-in nights or an SD")


def precision_from(
    plan: ExperimentPlan, sd: float, rho: float, source: str, extra: Sequence[str] = ()
) -> PlanPrecision:
    """Expected precision of ``plan`` for a night-to-night SD and AR(1) phi (§1 formula)."""
    notes = [
        "Assumes no slow drift between periods; real precision is usually a bit worse.",
        *extra,
    ]
    m = plan.nights_per_period - plan.washout_nights
    sd_pair = math.sqrt(2 * _period_mean_variance(sd, rho, m))
    k_needed = max(MIN_BLOCKS, math.ceil(((_Z_ALPHA + _Z_POWER) * sd_pair / plan.mid) ** 2 + 2))
    k = plan.blocks
    half_width = float(t_ppf(0.975, k - 1)) * sd_pair / math.sqrt(k)
    if k_needed > k:
        notes.append(
            f"To detect a difference of {plan.mid:g} reliably you would need about "
            f"{k_needed} pairs; {k} are planned."
        )
    return PlanPrecision(
        sd_night=sd,
        phi=rho,
        sd_pair=sd_pair,
        analysable_nights=m,
        pairs_needed=k_needed,
        planned_pairs=k,
        expected_half_width95=half_width,
        min_randomisation_p=1.0 / math.factorial(len(plan.levels)) ** (k - 1),
        source=source,
        notes=tuple(notes),
    )


def _period_mean_variance(sd: float, phi: float, m: int) -> float:
    """Variance of the mean of m consecutive nights with AR(1) correlation phi."""
    lags = np.arange(1, m)
    total = m + 2 * float(np.sum((m - lags) * phi**lags))
    return sd**2 * total / m**2
