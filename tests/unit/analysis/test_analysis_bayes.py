"""Bayesian summaries: sceptical prior, flat comparison, direction."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from bedside.analysis.bayes import normal_summary, pair_summary


def test_flat_pair_summary_is_the_t_posterior() -> None:
    d = np.array([0.6, 1.1, 0.2, 0.9, 0.4, 0.7])
    summary = pair_summary(d, mid=0.5, benefit_sign=1.0)
    assert summary is not None
    t = stats.t(5, loc=d.mean(), scale=d.std(ddof=1) / np.sqrt(6))
    assert summary.flat.p_benefit == pytest.approx(t.sf(0))
    assert summary.flat.p_benefit_over_mid == pytest.approx(t.sf(0.5))
    assert summary.flat.interval95 == pytest.approx(t.interval(0.95))


def test_sceptical_prior_pulls_towards_zero() -> None:
    d = [0.6, 1.1, 0.2, 0.9, 0.4, 0.7]
    summary = pair_summary(d, mid=0.25, benefit_sign=1.0)
    assert summary is not None and summary.sceptical is not None
    assert 0 < summary.sceptical.posterior_mean < summary.flat.posterior_mean
    assert summary.sceptical.p_benefit < summary.flat.p_benefit
    assert summary.prior_sd == 0.5
    assert summary.shown is summary.sceptical


def test_sceptical_grid_matches_direct_integration() -> None:
    from scipy import integrate

    d = np.array([0.3, -0.4, 1.2])
    k, mean, ss, s0 = 3, d.mean(), float(np.sum((d - d.mean()) ** 2)), 1.0

    def density(delta: float) -> float:
        return float(
            np.exp(-0.5 * (delta / s0) ** 2) * (0.5 * (ss + k * (mean - delta) ** 2)) ** (-k / 2)
        )

    total = integrate.quad(density, -40, 40, points=[mean])[0]
    above = integrate.quad(density, 0.5, 40)[0] / total
    summary = pair_summary(d, mid=0.5, benefit_sign=1.0)
    assert summary is not None and summary.sceptical is not None
    assert summary.sceptical.p_benefit_over_mid == pytest.approx(above, abs=1e-3)


def test_lower_is_better_flips_the_probabilities() -> None:
    d = [0.6, 1.1, 0.2, 0.9]
    up = pair_summary(d, 0.5, 1.0)
    down = pair_summary(d, 0.5, -1.0)
    assert up is not None and down is not None and up.sceptical and down.sceptical
    assert down.sceptical.p_benefit == pytest.approx(1 - up.sceptical.p_benefit, abs=1e-6)
    mirrored = pair_summary([-v for v in d], 0.5, -1.0)
    assert mirrored is not None and mirrored.sceptical
    assert mirrored.sceptical.p_benefit_over_mid == pytest.approx(up.sceptical.p_benefit_over_mid)


def test_run_in_anchor_and_degenerate_cases() -> None:
    assert pair_summary([1.0], 0.5, 1.0) is None
    same = pair_summary([0.8, 0.8, 0.8], 0.5, 1.0)
    assert same is not None and same.flat.p_benefit == pytest.approx(1.0)
    anchored = pair_summary([0.8, 0.8, 0.8], 0.5, 1.0, sigma_anchor=1.0)
    assert anchored is not None and 0.5 < anchored.flat.p_benefit < 1.0


def test_no_threshold_means_flat_only() -> None:
    summary = normal_summary(1.0, 0.5, None, 1.0)
    assert summary.sceptical is None
    assert summary.shown.prior == "flat"
    assert summary.flat.p_benefit_over_mid is None
    assert not summary.prior_sensitive


def test_prior_sensitivity_flags_thin_data() -> None:
    assert normal_summary(1.5, 1.5, 0.2, 1.0).prior_sensitive
    assert not normal_summary(1.5, 0.05, 0.5, 1.0).prior_sensitive
