"""Randomisation tests for block designs (Edgington & Onghena; ``nof1-methods.md`` §4.1).

- Two conditions: the order inside each pair was a coin flip, so under "no effect" each
  pair difference is equally likely to have either sign. The exact test enumerates all
  2^K sign flips of the pair differences; the statistic is |mean difference|.
- More levels: the order inside each block was a random permutation, so the omnibus test
  permutes the period means within blocks (statistic: spread of the level means).

Every result carries the smallest p-value the design could ever give (2 / 2^K for K pairs
with non-zero differences): with 2 pairs it is 0.50, whatever the data.
Enumeration is exact up to :data:`EXACT_LIMIT` assignments; beyond that a Monte Carlo
sample with a fixed seed keeps results reproducible (``exact`` is then False).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from bedside.analysis.outcomes import FloatArray

EXACT_LIMIT: Final = 1 << 20
MONTE_CARLO_DRAWS: Final = 100_000
_MC_SEED: Final = 20_150_514  # fixed so that repeated analyses agree
_REL_TOL: Final = 1e-9


@dataclass(frozen=True)
class RandomisationTest:
    """A randomisation test: p-value, the smallest achievable p and how it was computed."""

    p_value: float
    min_p: float
    n_assignments: int
    exact: bool


def sign_flip_test(differences: Sequence[float] | FloatArray) -> RandomisationTest:
    """Exact two-sided sign-flip test of the mean pair difference."""
    d = np.asarray(differences, dtype=float)
    k = len(d)
    if k == 0:
        return RandomisationTest(math.nan, math.nan, 0, True)
    observed = abs(d.sum())
    tol = _REL_TOL * max(1.0, float(np.abs(d).sum()))
    zeros = int(np.sum(np.abs(d) <= tol))
    min_p = min(1.0, 2.0 ** (1 + zeros - k)) if zeros < k else 1.0
    total = 1 << k
    if total <= EXACT_LIMIT:
        hits = 0
        chunk = 1 << 16
        bits = np.arange(k)
        for start in range(0, total, chunk):
            codes = np.arange(start, min(total, start + chunk))[:, None]
            signs = 1.0 - 2.0 * ((codes >> bits) & 1)
            hits += int(np.sum(np.abs(signs @ d) >= observed - tol))
        return RandomisationTest(hits / total, min_p, total, True)
    rng = np.random.default_rng(_MC_SEED)
    signs = rng.choice(np.array([-1.0, 1.0]), size=(MONTE_CARLO_DRAWS, k))
    hits = int(np.sum(np.abs(signs @ d) >= observed - tol))
    return RandomisationTest((hits + 1) / (MONTE_CARLO_DRAWS + 1), min_p, total, False)


def within_block_permutation_test(block_means: FloatArray) -> RandomisationTest:
    """Omnibus test for a B x m matrix of period means (rows: blocks, columns: levels).

    Statistic: sum over levels of (level mean - grand mean)^2, with the level orders
    permuted independently inside each block.
    """
    m_arr = np.asarray(block_means, dtype=float)
    b, m = m_arr.shape
    centred = m_arr - m_arr.mean(axis=1, keepdims=True)
    perms = np.array(list(itertools.permutations(range(m))))
    total = math.factorial(m) ** b

    def statistic(column_sums: FloatArray) -> FloatArray:
        return np.asarray(np.sum((column_sums / b) ** 2, axis=-1), dtype=float)

    observed = float(statistic(centred.sum(axis=0)))
    tol = _REL_TOL * max(1.0, float(np.abs(centred).sum()) ** 2)
    if total <= EXACT_LIMIT:
        sums = np.zeros((1, m))
        for row in centred:
            options = row[perms]  # (m!, m)
            sums = (sums[:, None, :] + options[None, :, :]).reshape(-1, m)
        stats_all = statistic(sums)
        p = float(np.mean(stats_all >= observed - tol))
        min_p = float(np.mean(stats_all >= stats_all.max() - tol))
        return RandomisationTest(p, min_p, total, True)
    rng = np.random.default_rng(_MC_SEED)
    picks = rng.integers(0, len(perms), size=(MONTE_CARLO_DRAWS, b))
    sums = np.zeros((MONTE_CARLO_DRAWS, m))
    for i, row in enumerate(centred):
        sums += row[perms[picks[:, i]]]
    hits = int(np.sum(statistic(sums) >= observed - tol))
    min_p = float(math.factorial(m)) / total
    return RandomisationTest((hits + 1) / (MONTE_CARLO_DRAWS + 1), min_p, total, False)
