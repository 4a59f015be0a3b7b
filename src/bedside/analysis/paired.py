"""Paired t analysis of pair (block) differences of period means (§4.1 primary analysis).

Estimate = mean(d_k), SE = sd(d_k) / sqrt(K), interval from t(K - 1). Valid under the
block-pair design even with autocorrelation inside periods, because the period mean is
the unit (Chen & Chen 2014; Senn 2024).

When every pair difference is the same, sd(d_k) = 0: the t statistic is undefined (0/0 or
x/0), and an interval of zero width would claim a certainty that a handful of pairs cannot
give. The SE, both intervals and the p-value are then None with a ``note`` saying why; the
randomisation test (:mod:`bedside.analysis.randomisation`) still applies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from bedside.analysis.distributions import t_ppf, t_sf
from bedside.analysis.outcomes import FloatArray

NAN_PAIR = (math.nan, math.nan)
#: Differences whose range is below this fraction of their size count as identical (means
#: of the same nights computed in another order can differ in the last bits).
IDENTICAL_RTOL: Final = 1e-9
NO_SPREAD: Final = (
    "Every pair gave the same difference, so the spread between pairs is zero and the t "
    "interval and t-test p-value cannot be computed (a zero-width range would claim a "
    "certainty that so few pairs cannot give); the randomisation test still applies."
)


@dataclass(frozen=True)
class PairedEstimate:
    """Mean pair difference with its t-based intervals and two-sided p-value.

    ``se``, ``ci95``, ``ci90`` and ``p_value`` are None, with the reason in ``note``, when
    they cannot be computed (every pair difference the same); NaN with fewer than 2 pairs.
    """

    k: int
    estimate: float
    se: float | None
    df: int
    ci95: tuple[float, float] | None
    ci90: tuple[float, float] | None
    p_value: float | None
    note: str | None = None


def identical_differences(differences: Sequence[float] | FloatArray) -> bool:
    """True for 2 or more differences that are all the same (up to rounding)."""
    d = np.asarray(differences, dtype=float)
    if len(d) < 2 or not np.isfinite(d).all():
        return False
    return float(np.ptp(d)) <= IDENTICAL_RTOL * max(1.0, float(np.abs(d).max()))


def paired_t(differences: Sequence[float] | FloatArray) -> PairedEstimate:
    """Paired t on the pair differences; NaN SE/interval/p with fewer than 2 pairs.

    Identical differences (zero spread) give None SE, intervals and p-value, with a note.
    """
    d = np.asarray(differences, dtype=float)
    k = len(d)
    estimate = float(d.mean()) if k else math.nan
    if k < 2:
        return PairedEstimate(k, estimate, math.nan, max(k - 1, 0), NAN_PAIR, NAN_PAIR, math.nan)
    df = k - 1
    se = float(d.std(ddof=1) / math.sqrt(k))
    if identical_differences(d) or se == 0:
        return PairedEstimate(k, estimate, None, df, None, None, None, NO_SPREAD)
    p = float(2 * t_sf(abs(estimate) / se, df))
    return PairedEstimate(
        k, estimate, se, df, _interval(estimate, se, df, 0.95), _interval(estimate, se, df, 0.90), p
    )


def _interval(estimate: float, se: float, df: int, level: float) -> tuple[float, float]:
    q = float(t_ppf(0.5 + level / 2, df))
    return (estimate - q * se, estimate + q * se)
