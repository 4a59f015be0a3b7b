"""The few distribution functions the analysis needs, straight from ``scipy.special``.

Importing ``scipy.stats`` costs about 0.7 s of CPU before any number is computed (it builds
every distribution SciPy ships), which is most of ``bedside analyze`` on a fresh process.
The analysis only needs the normal and Student t distributions and mid-ranks, so these call
the same special functions ``scipy.stats`` calls internally (``ndtr``, ``ndtri``, ``stdtr``,
``stdtrit``) in the same order of operations: results are identical to the last bit
(``tests/unit/test_distributions.py`` compares them with ``scipy.stats``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special


def norm_ppf(q: float) -> float:
    """Quantile of the standard normal distribution (``scipy.stats.norm.ppf``)."""
    return float(special.ndtri(q))


def t_ppf(q: float, df: float) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom (``scipy.stats.t.ppf``)."""
    return float(special.stdtrit(df, q))


def t_sf(x: float, df: float) -> float:
    """Upper tail P(T > x) of Student's t (``scipy.stats.t.sf``)."""
    return float(special.stdtr(df, -x))


def rankdata(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Ranks from 1 with ties given their mean rank (``scipy.stats.rankdata``, "average")."""
    a = np.asarray(values, dtype=float).ravel()
    order = np.argsort(a, kind="mergesort")
    ordered = a[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]]
    dense = np.cumsum(new)
    bounds = np.r_[np.flatnonzero(new), len(new)]
    mean_rank = 0.5 * (bounds[1:] + bounds[:-1] + 1)
    ranks = np.empty(len(a), dtype=float)
    ranks[order] = mean_rank[dense - 1]
    return ranks


@dataclass(frozen=True)
class Normal:
    """A normal distribution with ``loc`` and ``scale`` (a frozen ``scipy.stats.norm``)."""

    loc: float
    scale: float

    def cdf(self, x: float) -> float:
        """P(X <= x)."""
        return float(special.ndtr((x - self.loc) / self.scale))

    def sf(self, x: float) -> float:
        """P(X > x)."""
        return float(special.ndtr(-((x - self.loc) / self.scale)))

    def ppf(self, q: float) -> float:
        """The ``q`` quantile."""
        return float(special.ndtri(q) * self.scale + self.loc)

    def mean(self) -> float:
        """The mean."""
        return float(0.0 * self.scale + self.loc)

    def median(self) -> float:
        """The median."""
        return self.ppf(0.5)


@dataclass(frozen=True)
class StudentT:
    """Student's t with ``df``, ``loc`` and ``scale`` (a frozen ``scipy.stats.t``)."""

    df: float
    loc: float
    scale: float

    def cdf(self, x: float) -> float:
        """P(X <= x)."""
        return float(special.stdtr(self.df, (x - self.loc) / self.scale))

    def sf(self, x: float) -> float:
        """P(X > x)."""
        return float(special.stdtr(self.df, -((x - self.loc) / self.scale)))

    def ppf(self, q: float) -> float:
        """The ``q`` quantile."""
        return float(special.stdtrit(self.df, q) * self.scale + self.loc)

    def mean(self) -> float:
        """The mean (infinite for one degree of freedom or fewer, as SciPy reports it)."""
        centre = 0.0 if self.df > 1 else math.inf
        return float(centre * self.scale + self.loc)

    def median(self) -> float:
        """The median."""
        return self.ppf(0.5)


Distribution = Normal | StudentT
