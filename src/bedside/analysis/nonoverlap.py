"""Non-overlap of all pairs (NAP; Parker & Vannest 2009, Parker, Vannest & Davis 2011).

NAP is the chance that a randomly chosen treatment night beats a randomly chosen control
night, ties counting half. "Beats" follows the outcome's direction. It is descriptive:
its usual p-values assume independent nights, so none is given here (§1, method 5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bedside.analysis.distributions import rankdata
from bedside.analysis.outcomes import FloatArray


@dataclass(frozen=True)
class NonOverlap:
    """NAP and the counts behind it (comparisons = n_treatment x n_control)."""

    nap: float
    wins: float
    comparisons: int


def nap(
    treatment: Sequence[float] | FloatArray,
    control: Sequence[float] | FloatArray,
    lower_is_better: bool = False,
) -> NonOverlap:
    """NAP from two samples (NaN values are ignored)."""
    t = np.asarray(treatment, dtype=float)
    c = np.asarray(control, dtype=float)
    t, c = t[~np.isnan(t)], c[~np.isnan(c)]
    comparisons = len(t) * len(c)
    if comparisons == 0:
        return NonOverlap(math.nan, 0.0, 0)
    ranks = rankdata(np.concatenate((t, c)))  # mid-ranks: ties count half
    u_higher = float(ranks[: len(t)].sum() - len(t) * (len(t) + 1) / 2)
    wins = comparisons - u_higher if lower_is_better else u_higher
    return NonOverlap(wins / comparisons, wins, comparisons)
