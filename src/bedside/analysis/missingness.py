"""Missing nights (§4.5): logging rates per condition and a pattern-mixture sensitivity.

The analysis uses observed nights (missing at random assumed). Two checks say how much
that assumption matters:

- *selective logging*: the share of kratom nights with the outcome logged vs the share of
  non-kratom nights; a gap over 15 percentage points raises a warning;
- *pattern-mixture shift*: suppose every kratom night whose outcome is missing was one
  threshold (MID) worse than the logged kratom nights. With ``m`` such nights out of
  ``N`` kratom nights the average kratom effect shifts by ``MID x m / N`` towards harm
  (a delta adjustment, not a refit); the result says whether the conclusion survives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from bedside.analysis.nights import NightColumns

SELECTIVE_GAP_POINTS: Final = 15.0
Direction = Literal["better", "worse", "unclear"]


@dataclass(frozen=True)
class LoggingRates:
    """How often the outcome was logged on nights with and without the exposure."""

    took_nights: int
    took_logged: int
    not_took_nights: int
    not_took_logged: int
    unknown_exposure_nights: int
    gap_points: float
    warning: str | None

    @property
    def rate_took(self) -> float:
        """Share of exposure nights with the outcome logged."""
        return self.took_logged / self.took_nights if self.took_nights else math.nan

    @property
    def rate_not_took(self) -> float:
        """Share of non-exposure nights with the outcome logged."""
        return self.not_took_logged / self.not_took_nights if self.not_took_nights else math.nan


@dataclass(frozen=True)
class PatternMixture:
    """The estimate if missing exposure nights were one MID worse."""

    missing_took_nights: int
    shifted_estimate: float
    shifted_ci90: tuple[float, float]
    direction: Direction
    shifted_direction: Direction

    @property
    def conclusion_holds(self) -> bool:
        """True when the verbal direction does not change."""
        return self.direction == self.shifted_direction


def logging_rates(nights: pd.DataFrame, outcome: str, exposure: str = "kratom") -> LoggingRates:
    """Logging rates on a prepared night frame (see :func:`nights.prepare_nights`).

    Calendar nights missing from the frame count as nights of unknown exposure.
    """
    c = NightColumns
    took = nights[c.TOOK]
    logged = nights[outcome].notna()
    span = int(nights[c.DAY].max()) + 1 if len(nights) else 0
    t_n, n_n = int((took == 1).sum()), int((took == 0).sum())
    t_l, n_l = int(((took == 1) & logged).sum()), int(((took == 0) & logged).sum())
    rates = LoggingRates(t_n, t_l, n_n, n_l, span - t_n - n_n, math.nan, None)
    gap = 100.0 * (rates.rate_took - rates.rate_not_took)
    warning = None
    if abs(gap) > SELECTIVE_GAP_POINTS:
        warning = (
            f"You logged this outcome on {rates.rate_took:.0%} of {exposure} nights but "
            f"{rates.rate_not_took:.0%} of other nights. If the nights you skipped were "
            "different, the comparison is biased."
        )
    return LoggingRates(t_n, t_l, n_n, n_l, rates.unknown_exposure_nights, gap, warning)


def direction(ci: tuple[float, float], benefit_sign: float) -> Direction:
    """'better' / 'worse' when the interval excludes 0, else 'unclear'."""
    lo, hi = sorted(benefit_sign * v for v in ci)
    if lo > 0:
        return "better"
    if hi < 0:
        return "worse"
    return "unclear"


def pattern_mixture(
    estimate: float,
    ci90: tuple[float, float],
    rates: LoggingRates,
    mid: float,
    benefit_sign: float,
) -> PatternMixture:
    """Delta-adjusted estimate assuming missing exposure nights were one MID worse."""
    missing = rates.took_nights - rates.took_logged
    shift = -benefit_sign * mid * missing / rates.took_nights if rates.took_nights else 0.0
    shifted = (ci90[0] + shift, ci90[1] + shift)
    return PatternMixture(
        missing_took_nights=missing,
        shifted_estimate=estimate + shift,
        shifted_ci90=shifted,
        direction=direction(ci90, benefit_sign),
        shifted_direction=direction(shifted, benefit_sign),
    )
