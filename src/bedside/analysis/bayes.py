"""Bayesian summaries: the chance of any benefit and of a worth-it benefit (§4.1, §4.6).

Benefit is the treatment - control difference times the outcome's benefit sign (+1 when
higher is better, -1 when lower is better), so P(benefit > 0) always means "better".

Two situations:

- *Pair differences* (the period-level analysis): ``d_k ~ Normal(delta, sigma^2)``.
  Prior ``delta ~ Normal(0, s0^2)`` with ``s0 = 2 x MID`` (sceptical, centred on no
  effect); ``sigma^2 ~ Inverse-Gamma(1, s_a^2)`` (a weak prior anchored on ``s_a``, the
  expected SD of pair differences from the run-in) or, without a run-in, the reference
  prior ``p(sigma) ~ 1/sigma``. Integrating sigma out analytically leaves a 1-D posterior
  for delta that is evaluated on a grid (no MCMC). The flat-prior comparison is a
  Student t in closed form.
- *An estimate with a standard error* (AR(1) night model, observational model): the
  normal-normal conjugate update.

Without a MID there is no scale for the sceptical prior; only the flat-prior summary is
given (and callers say so).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy import stats

from bedside.analysis.outcomes import FloatArray

#: §4.1: sceptical prior SD = 2 x MID.
PRIOR_SD_PER_MID: Final = 2.0
#: A sceptical and a flat answer further apart than this mean "the data are still thin".
PRIOR_SENSITIVITY: Final = 0.10
_GRID_POINTS: Final = 4001


@dataclass(frozen=True)
class BenefitProbabilities:
    """Posterior summary under one prior (difference scale: treatment - control)."""

    prior: str
    posterior_mean: float
    interval95: tuple[float, float]
    p_benefit: float
    p_benefit_over_mid: float | None


@dataclass(frozen=True)
class BayesSummary:
    """Sceptical-prior answer (shown to users) and the flat-prior comparison."""

    sceptical: BenefitProbabilities | None
    flat: BenefitProbabilities
    prior_sd: float | None
    prior_sensitive: bool

    @property
    def shown(self) -> BenefitProbabilities:
        """The summary shown to users: sceptical when a MID exists, else flat."""
        return self.sceptical if self.sceptical is not None else self.flat


def sceptical_prior_sd(mid: float | None) -> float | None:
    """s0 = 2 x MID, or None without a MID."""
    return None if mid is None or not mid > 0 else PRIOR_SD_PER_MID * mid


def normal_summary(
    estimate: float, se: float, mid: float | None, benefit_sign: float
) -> BayesSummary:
    """Conjugate normal summaries for an estimate with a known standard error."""
    prior_sd = sceptical_prior_sd(mid)
    flat = _from_normal("flat", estimate, se, mid, benefit_sign)
    sceptical = None
    if prior_sd is not None:
        precision = 1 / se**2 + 1 / prior_sd**2
        mean = estimate / se**2 / precision
        sceptical = _from_normal(
            f"sceptical normal(0, {prior_sd:g}^2)",
            mean,
            math.sqrt(1 / precision),
            mid,
            benefit_sign,
        )
    return BayesSummary(sceptical, flat, prior_sd, _sensitive(sceptical, flat))


def pair_summary(
    differences: Sequence[float] | FloatArray,
    mid: float | None,
    benefit_sign: float,
    sigma_anchor: float | None = None,
) -> BayesSummary | None:
    """Period-level Bayesian summary of pair differences; None with fewer than 2 pairs."""
    d = np.asarray(differences, dtype=float)
    k = len(d)
    if k < 2:
        return None
    mean = float(d.mean())
    ss = float(np.sum((d - mean) ** 2))
    a, b = (1.0, sigma_anchor**2) if sigma_anchor else (0.0, 0.0)
    if ss + 2 * b <= 0:  # identical differences and no anchor: keep the posterior proper
        b = (1e-6 * max(1.0, abs(mean))) ** 2
    nu = 2 * a + k - 1
    scale = math.sqrt((2 * b + ss) / (nu * k))
    flat_dist = stats.t(nu, loc=mean, scale=scale)
    flat = _from_dist("flat", flat_dist, mid, benefit_sign)
    prior_sd = sceptical_prior_sd(mid)
    sceptical = None
    if prior_sd is not None:
        grid = np.union1d(
            np.linspace(-12 * prior_sd, 12 * prior_sd, _GRID_POINTS),
            np.linspace(mean - 40 * scale, mean + 40 * scale, _GRID_POINTS),
        )
        log_post = -0.5 * (grid / prior_sd) ** 2 - (a + k / 2) * np.log(
            b + 0.5 * (ss + k * (mean - grid) ** 2)
        )
        sceptical = _from_grid(
            f"sceptical normal(0, {prior_sd:g}^2)", grid, log_post, mid, benefit_sign
        )
    return BayesSummary(sceptical, flat, prior_sd, _sensitive(sceptical, flat))


def _sensitive(sceptical: BenefitProbabilities | None, flat: BenefitProbabilities) -> bool:
    if sceptical is None:
        return False
    gaps = [abs(sceptical.p_benefit - flat.p_benefit)]
    if sceptical.p_benefit_over_mid is not None and flat.p_benefit_over_mid is not None:
        gaps.append(abs(sceptical.p_benefit_over_mid - flat.p_benefit_over_mid))
    return max(gaps) > PRIOR_SENSITIVITY


def _from_normal(
    prior: str, mean: float, sd: float, mid: float | None, benefit_sign: float
) -> BenefitProbabilities:
    return _from_dist(prior, stats.norm(loc=mean, scale=sd), mid, benefit_sign)


def _from_dist(
    prior: str, dist: stats.rv_continuous, mid: float | None, benefit_sign: float
) -> BenefitProbabilities:
    def p_beyond(threshold: float) -> float:
        # P(benefit_sign * delta > threshold)
        if benefit_sign > 0:
            return float(dist.sf(threshold))
        return float(dist.cdf(-threshold))

    return BenefitProbabilities(
        prior=prior,
        posterior_mean=float(dist.mean()) if math.isfinite(dist.mean()) else float(dist.median()),
        interval95=(float(dist.ppf(0.025)), float(dist.ppf(0.975))),
        p_benefit=p_beyond(0.0),
        p_benefit_over_mid=p_beyond(mid) if mid is not None else None,
    )


def _from_grid(
    prior: str, grid: FloatArray, log_post: FloatArray, mid: float | None, benefit_sign: float
) -> BenefitProbabilities:
    density = np.exp(log_post - log_post.max())
    steps = np.diff(grid) * (density[1:] + density[:-1]) / 2
    cdf = np.concatenate(([0.0], np.cumsum(steps)))
    total = cdf[-1]
    cdf /= total
    mean = float(
        np.sum(np.diff(grid) * (grid[1:] * density[1:] + grid[:-1] * density[:-1]) / 2) / total
    )

    def cdf_at(x: float) -> float:
        return float(np.interp(x, grid, cdf))

    def p_beyond(threshold: float) -> float:
        return 1.0 - cdf_at(threshold) if benefit_sign > 0 else cdf_at(-threshold)

    lo = float(np.interp(0.025, cdf, grid))
    hi = float(np.interp(0.975, cdf, grid))
    return BenefitProbabilities(
        prior=prior,
        posterior_mean=mean,
        interval95=(lo, hi),
        p_benefit=p_beyond(0.0),
        p_benefit_over_mid=p_beyond(mid) if mid is not None else None,
    )
