"""Design matrices for night-level models, and the summary of one fitted term.

:class:`Design` collects named columns (intercept, indicators, block dummies, a linear or
piecewise-linear time trend), drops columns that are constant or collinear with earlier
ones (protected columns such as the exposure are never dropped; if one is collinear the
model cannot be fitted and ``ValueError`` is raised), and fits the AR(1) model of
:mod:`bedside.analysis.ar1`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from bedside.analysis.ar1 import Ar1Fit, fit_ar1
from bedside.analysis.outcomes import FloatArray

INTERCEPT: Final = "intercept"
#: §4.2: piecewise-linear trend with knots every ~4 weeks once there are 12+ weeks.
KNOT_EVERY_DAYS: Final = 28
PIECEWISE_FROM_DAYS: Final = 12 * 7
_COLLINEAR_TOL: Final = 1e-8


@dataclass(frozen=True)
class TermEstimate:
    """One coefficient of a night-level AR(1) model, ready to show."""

    term: str
    estimate: float
    se: float
    ci95: tuple[float, float]
    ci90: tuple[float, float]
    p_value: float
    phi: float
    n_nights: int
    phi_at_bound: bool


def term_estimate(fit: Ar1Fit, term: str) -> TermEstimate:
    """Pull one term out of a fit."""
    return TermEstimate(
        term=term,
        estimate=fit.estimate(term),
        se=fit.std_error(term),
        ci95=fit.interval(term, 0.95),
        ci90=fit.interval(term, 0.90),
        p_value=fit.p_value(term),
        phi=fit.phi,
        n_nights=fit.n,
        phi_at_bound=fit.phi_at_bound,
    )


class Design:
    """Named columns of a design matrix for ``n`` nights (intercept included)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._columns: list[tuple[str, FloatArray]] = [(INTERCEPT, np.ones(n))]
        self._cache: dict[tuple[str, ...], tuple[FloatArray, list[str], list[str]]] = {}

    def add(self, name: str, values: Sequence[float] | FloatArray) -> None:
        """Add one numeric column (no NaN allowed)."""
        arr = np.asarray(values, dtype=float)
        if arr.shape != (self.n,) or np.isnan(arr).any():
            raise ValueError(f"column {name!r} must have {self.n} values and no gaps")
        self._columns.append((name, arr))
        self._cache.clear()

    def add_dummies(self, prefix: str, labels: Sequence[Hashable]) -> None:
        """Indicator columns for every label but the first (in order of appearance)."""
        levels = list(dict.fromkeys(labels))
        for level in levels[1:]:
            self.add(f"{prefix}[{level}]", [1.0 if v == level else 0.0 for v in labels])

    def add_trend(self, days: Sequence[int] | FloatArray) -> None:
        """Linear time trend (per 4 weeks), piecewise with 4-weekly knots over 12+ weeks."""
        d = np.asarray(days, dtype=float)
        span = float(d.max() - d.min()) if len(d) else 0.0
        start = float(d.min()) if len(d) else 0.0
        self.add("trend", (d - start) / KNOT_EVERY_DAYS)
        if span >= PIECEWISE_FROM_DAYS:
            for knot in np.arange(start + KNOT_EVERY_DAYS, start + span, KNOT_EVERY_DAYS):
                self.add(
                    f"trend_after_{int(knot - start)}", np.maximum(0.0, d - knot) / KNOT_EVERY_DAYS
                )

    def matrix(self, protected: Sequence[str] = ()) -> tuple[FloatArray, list[str], list[str]]:
        """(X, kept names, dropped names); constant or collinear columns are dropped.

        Columns are judged in the order they were added: a column is dropped when the
        earlier kept columns explain it (a tiny diagonal of R in the QR decomposition).
        """
        key = tuple(protected)
        if key not in self._cache:
            self._cache[key] = self._independent(protected)
        return self._cache[key]

    def _independent(self, protected: Sequence[str]) -> tuple[FloatArray, list[str], list[str]]:
        names = [name for name, _ in self._columns]
        x = np.column_stack([v for _, v in self._columns])
        keep = list(range(len(names)))
        while True:
            r = np.linalg.qr(x[:, keep], mode="r")
            norms = np.linalg.norm(x[:, keep], axis=0)
            weak = np.abs(np.diag(r)) <= _COLLINEAR_TOL * np.maximum(1.0, norms)
            if not weak.any():
                break
            first = keep[int(np.argmax(weak))]
            if names[first] in protected:
                raise ValueError(f"{names[first]!r} cannot be separated from the other model terms")
            keep.remove(first)
        dropped = [names[j] for j in range(len(names)) if j not in keep]
        return x[:, keep], [names[j] for j in keep], dropped

    def fit(
        self,
        y: Sequence[float] | FloatArray,
        days: Sequence[int] | FloatArray,
        focal: Sequence[str],
    ) -> tuple[Ar1Fit, list[str]]:
        """Fit the AR(1) model; returns the fit and the names of dropped columns."""
        x, names, dropped = self.matrix(protected=focal)
        return fit_ar1(y, x, days, names, focal=focal), dropped
