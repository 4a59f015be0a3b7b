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

Zero observed spread (every pair difference the same): with the reference prior the
posterior for delta is proportional to |mean - delta|^-K, which cannot be normalised; the data
alone cannot say how uncertain the mean is, and any tiny stand-in spread would turn K equal
numbers into near-certainty. :func:`pair_summary` then always uses the weak inverse-gamma
prior, does not read the zero as evidence of a tiny sigma (only the mean of the differences
updates the answer), and anchors sigma on the run-in SD when there is one, else on the
spread that the night-to-night variation inside the periods implies for a pair difference
(``spread_hint``), else on the MID (the only scale the person gave); with none of these
there is no honest answer and it returns None. Each case says which scale it used in
``note``. Likewise :func:`normal_summary` needs a positive, finite standard error and
returns None otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from bedside.analysis.distributions import Distribution, Normal, StudentT
from bedside.analysis.outcomes import FloatArray
from bedside.analysis.paired import identical_differences

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
    #: Set when the pair differences had no spread: which scale the chances lean on.
    note: str | None = None

    @property
    def shown(self) -> BenefitProbabilities:
        """The summary shown to users: sceptical when a MID exists, else flat."""
        return self.sceptical if self.sceptical is not None else self.flat


def sceptical_prior_sd(mid: float | None) -> float | None:
    """s0 = 2 x MID, or None without a MID."""
    return None if mid is None or not mid > 0 else PRIOR_SD_PER_MID * mid


def normal_summary(
    estimate: float, se: float, mid: float | None, benefit_sign: float
) -> BayesSummary | None:
    """Conjugate normal summaries for an estimate with a known standard error.

    None unless ``se`` is positive and finite: a zero standard error (a model that fits
    every night exactly) carries no usable uncertainty, and the update divides by it.
    """
    if not (math.isfinite(se) and se > 0 and math.isfinite(estimate)):
        return None
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
    *,
    spread_hint: float | None = None,
) -> BayesSummary | None:
    """Period-level Bayesian summary of pair differences.

    ``sigma_anchor``: the run-in's expected SD of pair differences (weak inverse-gamma
    prior); ``spread_hint``: the SD of a pair difference implied by the variation of nights
    inside the periods, used only when the differences have no spread (module docstring).
    None with fewer than 2 pairs, or with identical differences and no scale at all.
    """
    d = np.asarray(differences, dtype=float)
    k = len(d)
    if k < 2:
        return None
    mean = float(d.mean())
    ss = float(np.sum((d - mean) ** 2))
    note = None
    spread_df = k - 1  # what the spread of the K differences tells about sigma
    if identical_differences(d):
        # Zero observed spread: never the reference prior (improper posterior, and any
        # stand-in spread would mean certainty). The zero is not taken as evidence that
        # sigma is tiny either (equal differences usually come from rounded ratings): sigma
        # keeps its weak inverse-gamma prior and only the mean of the differences updates
        # delta, so the flat answer is a Student t with 2 degrees of freedom around the mean
        # with scale anchor / sqrt(K). Heavy tails: honest about how little K equal numbers say.
        ss, spread_df = 0.0, 0
        sigma_anchor, note = _zero_spread_anchor(sigma_anchor, spread_hint, mid)
        if sigma_anchor is None:
            return None
    a, b = (1.0, sigma_anchor**2) if sigma_anchor else (0.0, 0.0)
    nu = 2 * a + spread_df
    scale = math.sqrt((2 * b + ss) / (nu * k))
    flat_dist = StudentT(nu, mean, scale)
    flat = _from_dist("flat", flat_dist, mid, benefit_sign)
    prior_sd = sceptical_prior_sd(mid)
    sceptical = None
    if prior_sd is not None:
        grid = np.union1d(
            np.linspace(-12 * prior_sd, 12 * prior_sd, _GRID_POINTS),
            np.linspace(mean - 40 * scale, mean + 40 * scale, _GRID_POINTS),
        )
        log_post = -0.5 * (grid / prior_sd) ** 2 - (nu + 1) / 2 * np.log(
            b + 0.5 * (ss + k * (mean - grid) ** 2)
        )
        sceptical = _from_grid(
            f"sceptical normal(0, {prior_sd:g}^2)", grid, log_post, mid, benefit_sign
        )
    return BayesSummary(sceptical, flat, prior_sd, _sensitive(sceptical, flat), note)


def _zero_spread_anchor(
    run_in: float | None, spread_hint: float | None, mid: float | None
) -> tuple[float | None, str | None]:
    """The scale the chances lean on when every pair gave the same difference, and why."""
    same = "Every pair gave the same difference, so these chances rely on"
    if _positive(run_in):
        return run_in, f"{same} the spread your earlier nights suggest (about {run_in:.2g})."
    if _positive(spread_hint):
        return spread_hint, (
            f"{same} how much pairs would differ from the night-to-night ups and downs "
            f"within your periods alone (about {spread_hint:.2g})."
        )
    if _positive(mid):
        return mid, f"{same} pairs differing by about your threshold ({mid:.2g})."
    return None, None


def _positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


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
    return _from_dist(prior, Normal(mean, sd), mid, benefit_sign)


def _from_dist(
    prior: str, dist: Distribution, mid: float | None, benefit_sign: float
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
