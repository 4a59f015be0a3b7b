"""Linear model with AR(1) errors in calendar time, fitted by exact maximum likelihood.

Model: ``y_t = X_t b + e_t`` where ``corr(e_s, e_t) = phi ** |s - t|`` for nights ``s``
and ``t`` on the calendar-day scale (``nof1-methods.md`` §1 and §4.1-4.2), so a missed
night is a gap of two days, not a neighbour.

Why this and not statsmodels: the AR(1) process observed at irregular integer days is
Markov, so the exact Gaussian likelihood factorises through a generalised Prais-Winsten
transform (``z_1 = e_1``, ``z_i = (e_i - phi^g e_{i-1}) / sqrt(1 - phi^(2g))`` with ``g``
the gap in days). For a fixed ``phi`` the model is then ordinary least squares, so ``b``
and the error variance are profiled out in closed form and only ``phi`` is searched
(a coarse grid, then a bounded scalar search). After one O(n p^2) pass, each evaluation
costs O(distinct gaps x p^2): five years of nights fit in milliseconds, deterministically,
with no convergence failures and gaps handled exactly. ``SARIMAX`` with missing values gives the
same estimates through a Kalman filter but needs a multi-parameter optimiser and a
numerical Hessian per fit; ``GLSAR(...).fit()`` ignores gaps and never estimates ``rho``
(§4.1 forbids it); ``GLS`` with a full n x n covariance is O(n^3).

Standard errors: for *focal* coefficients (the ones reported, e.g. the treatment
effect) the SE comes from the observed information of the joint likelihood, obtained as a
2 x 2 numerical Hessian of the profile log-likelihood in (coefficient, phi); it therefore
includes the uncertainty in ``phi``. (For milk_P1 this gives SE 0.62, as the reference
README reports; conditional on phi-hat it would be 0.61.) Other coefficients carry the
GLS standard error given phi-hat. Intervals and p-values use a t distribution with
``n - p - 1`` degrees of freedom, a small-sample caution over the plain normal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bedside.analysis.distributions import t_ppf, t_sf
from bedside.analysis.outcomes import FloatArray

#: Largest |phi| searched; a fit ending here is flagged (the error model is doubtful).
PHI_BOUND = 0.98
_GRID = np.linspace(-0.9, 0.95, 16)


@dataclass(frozen=True)
class Ar1Fit:
    """Result of :func:`fit_ar1`. ``params``/``se`` follow ``names``."""

    names: tuple[str, ...]
    params: tuple[float, ...]
    se: tuple[float, ...]
    phi: float
    sigma: float
    loglik: float
    n: int
    df_resid: int
    phi_at_bound: bool

    def estimate(self, name: str) -> float:
        """Coefficient of column ``name``."""
        return self.params[self.names.index(name)]

    def std_error(self, name: str) -> float:
        """Standard error of the coefficient of column ``name``."""
        return self.se[self.names.index(name)]

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Two-sided ``level`` interval for the coefficient of ``name``."""
        q = float(t_ppf(0.5 + level / 2, self.df_resid))
        est, se = self.estimate(name), self.std_error(name)
        return (est - q * se, est + q * se)

    def p_value(self, name: str) -> float:
        """Two-sided p-value for coefficient ``name`` = 0 (used only for BH panels)."""
        se = self.std_error(name)
        if not se > 0:
            return math.nan
        return float(2 * t_sf(abs(self.estimate(name)) / se, self.df_resid))


class _Profile:
    """Profile likelihood of phi for fixed data (rows sorted by day).

    The whitened cross-product matrix of ``Z = [X | y]`` is
    ``z_1 z_1' + sum_i (z_i - r_i z_(i-1))(z_i - r_i z_(i-1))' / s_i^2``; ``r_i`` and
    ``s_i`` depend only on the gap, so the sums are precomputed per distinct gap and each
    evaluation costs O(gaps x p^2) instead of O(n x p^2).
    """

    def __init__(self, y: FloatArray, x: FloatArray, days: FloatArray) -> None:
        z = np.column_stack((x, y))
        gaps = np.diff(days)
        self.p = x.shape[1]
        self.first = np.outer(z[0], z[0])
        self.gap_values, inverse, self.gap_counts = np.unique(
            gaps, return_inverse=True, return_counts=True
        )
        q = z.shape[1]
        g = len(self.gap_values)
        self.same = np.zeros((g, q, q))
        self.cross = np.zeros((g, q, q))
        self.lagged = np.zeros((g, q, q))
        for k in range(g):
            rows = np.flatnonzero(inverse == k)
            now, before = z[rows + 1], z[rows]
            self.same[k] = now.T @ now
            cross = now.T @ before
            self.cross[k] = cross + cross.T
            self.lagged[k] = before.T @ before

    def moments(self, phi: float) -> tuple[FloatArray, float]:
        """Whitened cross-products of [X | y] and sum(log s_i)."""
        r = np.power(phi, self.gap_values)
        s2 = 1.0 - r * r
        w = 1.0 / s2
        m = (
            self.first
            + np.tensordot(w, self.same, axes=1)
            - np.tensordot(w * r, self.cross, axes=1)
            + np.tensordot(w * r * r, self.lagged, axes=1)
        )
        return m, float(0.5 * np.sum(self.gap_counts * np.log(s2)))

    def loglik(self, phi: float, fixed: tuple[int, float] | None = None) -> float:
        """Log-likelihood maximised over b (optionally with one b fixed) and sigma."""
        m, log_s = self.moments(phi)
        p = self.p
        xx, xy, yy = m[:p, :p], m[:p, p], float(m[p, p])
        if fixed is not None:
            j, b = fixed
            yy = yy - 2 * b * float(xy[j]) + b * b * float(xx[j, j])
            xy = np.delete(xy - b * xx[:, j], j)
            xx = np.delete(np.delete(xx, j, axis=0), j, axis=1)
        rss = yy - float(xy @ np.linalg.solve(xx, xy)) if len(xy) else yy
        n = self.n
        return -0.5 * n * (math.log(2 * math.pi * max(rss, 1e-300) / n) + 1.0) - log_s

    @property
    def n(self) -> int:
        """Number of nights."""
        return int(self.gap_counts.sum()) + 1


def fit_ar1(
    y: Sequence[float] | FloatArray,
    x: FloatArray,
    days: Sequence[int] | FloatArray,
    names: Sequence[str],
    focal: Sequence[str] = (),
) -> Ar1Fit:
    """Fit ``y = X b + AR(1) errors`` on the calendar-day scale by maximum likelihood.

    ``x`` must include the intercept column and have full column rank; ``days`` are
    integer day numbers (unique). Rows are sorted by day here, so row order never
    matters. Raises ``ValueError`` for too few rows, repeated days or collinear columns.
    """
    y_arr = np.asarray(y, dtype=float)
    x_arr = np.asarray(x, dtype=float).reshape(len(y_arr), -1)
    d_arr = np.asarray(days, dtype=float)
    n, p = x_arr.shape
    if n < p + 3:
        raise ValueError(f"an AR(1) model with {p} terms needs at least {p + 3} nights, got {n}")
    order = np.argsort(d_arr, kind="stable")
    y_arr, x_arr, d_arr = y_arr[order], x_arr[order], d_arr[order]
    if np.any(np.diff(d_arr) <= 0):
        raise ValueError("each night must appear once (repeated day)")
    coef_ols, _, rank, _ = np.linalg.lstsq(x_arr, y_arr, rcond=None)
    if rank < p:
        raise ValueError("model columns are collinear")
    resid_ols = y_arr - x_arr @ coef_ols
    centred = y_arr - y_arr.mean()
    if float(resid_ols @ resid_ols) <= 1e-12 * max(1.0, float(centred @ centred)):
        raise ValueError("the outcome does not vary beyond the model terms")
    profile = _Profile(y_arr, x_arr, d_arr)
    phi = _maximise_phi(profile)
    m, log_s = profile.moments(phi)
    xx_inv = np.linalg.inv(m[:p, :p])
    coef = xx_inv @ m[:p, p]
    rss = float(m[p, p] - m[:p, p] @ coef)
    sigma2 = max(rss, 0.0) / n
    cov = xx_inv * sigma2
    se = np.sqrt(np.diag(cov))
    at_bound = abs(phi) > PHI_BOUND - 1e-3
    name_list = list(names)
    if not at_bound:
        for name in focal:
            j = name_list.index(name)
            se[j] = _profile_se(profile, j, float(coef[j]), phi, float(se[j]))
    loglik = -0.5 * n * (math.log(2 * math.pi * sigma2) + 1.0) - log_s
    return Ar1Fit(
        names=tuple(name_list),
        params=tuple(float(v) for v in coef),
        se=tuple(float(v) for v in se),
        phi=phi,
        sigma=math.sqrt(sigma2),
        loglik=loglik,
        n=n,
        df_resid=n - p - 1,
        phi_at_bound=at_bound,
    )


def _maximise_phi(profile: _Profile) -> float:
    values = [profile.loglik(float(phi)) for phi in _GRID]
    best = int(np.argmax(values))
    step = float(_GRID[1] - _GRID[0])
    lo = max(-PHI_BOUND, float(_GRID[best]) - step)
    hi = min(PHI_BOUND, float(_GRID[best]) + step)
    if best == len(_GRID) - 1:
        hi = PHI_BOUND
    if best == 0:
        lo = -PHI_BOUND
    # Imported here, not with the module: SciPy's optimiser package costs about 0.2 s of CPU
    # to load, which commands that only import the analysis (experiment plans) need not pay.
    from scipy import optimize

    found = optimize.minimize_scalar(
        lambda phi: -profile.loglik(float(phi)),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-5, "maxiter": 80},
    )
    return float(found.x)


def _profile_se(profile: _Profile, j: int, b: float, phi: float, conditional_se: float) -> float:
    """SE of coefficient j from the (b_j, phi) block of the observed information."""
    h = max(conditional_se, 1e-8) * 0.1
    k = min(1e-3, (PHI_BOUND - abs(phi)) / 2)

    def f(db: float, dphi: float) -> float:
        return profile.loglik(phi + dphi, fixed=(j, b + db))

    f0 = f(0.0, 0.0)
    h_bb = (f(h, 0.0) - 2 * f0 + f(-h, 0.0)) / h**2
    h_pp = (f(0.0, k) - 2 * f0 + f(0.0, -k)) / k**2
    h_bp = (f(h, k) - f(h, -k) - f(-h, k) + f(-h, -k)) / (4 * h * k)
    info = -np.array([[h_bb, h_bp], [h_bp, h_pp]])
    if not (info[0, 0] > 0 and np.linalg.det(info) > 0):
        return conditional_se
    return float(math.sqrt(np.linalg.inv(info)[0, 0]))
