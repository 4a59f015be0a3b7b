"""Paired t analysis of pair (block) differences of period means (§4.1 primary analysis).

Estimate = mean(d_k), SE = sd(d_k) / sqrt(K), interval from t(K - 1). Valid under the
block-pair design even with autocorrelation inside periods, because the period mean is
the unit (Chen & Chen 2014; Senn 2024).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from bedside.analysis.outcomes import FloatArray

NAN_PAIR = (math.nan, math.nan)


@dataclass(frozen=True)
class PairedEstimate:
    """Mean pair difference with its t-based intervals and two-sided p-value."""

    k: int
    estimate: float
    se: float
    df: int
    ci95: tuple[float, float]
    ci90: tuple[float, float]
    p_value: float


def paired_t(differences: Sequence[float] | FloatArray) -> PairedEstimate:
    """Paired t on the pair differences; NaN SE/interval/p with fewer than 2 pairs."""
    d = np.asarray(differences, dtype=float)
    k = len(d)
    estimate = float(d.mean()) if k else math.nan
    if k < 2:
        return PairedEstimate(k, estimate, math.nan, max(k - 1, 0), NAN_PAIR, NAN_PAIR, math.nan)
    se = float(d.std(ddof=1) / math.sqrt(k))
    df = k - 1
    if se == 0:
        p = 1.0 if estimate == 0 else 0.0
        point = (estimate, estimate)
        return PairedEstimate(k, estimate, se, df, point, point, p)
    p = float(2 * stats.t.sf(abs(estimate) / se, df))
    return PairedEstimate(
        k, estimate, se, df, _interval(estimate, se, df, 0.95), _interval(estimate, se, df, 0.90), p
    )


def _interval(estimate: float, se: float, df: int, level: float) -> tuple[float, float]:
    q = float(stats.t.ppf(0.5 + level / 2, df))
    return (estimate - q * se, estimate + q * se)
