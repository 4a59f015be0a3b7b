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
    anchored = pair_summary([0.8, 0.8, 0.8], 0.5, 1.0, sigma_anchor=1.0)
    assert anchored is not None and 0.5 < anchored.flat.p_benefit < 1.0
    assert anchored.note is not None and "earlier nights" in anchored.note


def test_identical_differences_never_give_certainty() -> None:
    # Three equal differences used to give P(benefit > 0) = 1.0: a stand-in spread of
    # 1e-6 made the posterior a spike. Now sigma keeps its weak prior, anchored on the MID.
    same = pair_summary([0.8, 0.8, 0.8], 0.5, 1.0)
    assert same is not None and same.sceptical is not None
    assert same.note is not None and "threshold" in same.note
    # Only the mean updates: flat answer = Student t(2) around 0.8, scale MID / sqrt(3).
    t2 = stats.t(2, loc=0.8, scale=0.5 / np.sqrt(3))
    assert same.flat.p_benefit == pytest.approx(t2.sf(0))
    assert same.flat.interval95 == pytest.approx(t2.interval(0.95))
    for shown in (same.flat, same.sceptical):
        assert 0.5 < shown.p_benefit < 0.99
        assert shown.interval95[1] - shown.interval95[0] > 0.5


def test_identical_differences_prefer_the_spread_inside_periods_then_give_up() -> None:
    hinted = pair_summary([-2.3] * 4, 0.5, 1.0, spread_hint=0.6)
    assert hinted is not None and hinted.note is not None and "within your periods" in hinted.note
    t2 = stats.t(2, loc=-2.3, scale=0.6 / 2)
    assert hinted.flat.p_benefit == pytest.approx(t2.sf(0))
    # Rounding noise in the last bits still counts as identical.
    noisy = pair_summary([-2.3, -2.3000000000000003, -2.2999999999999998], None, 1.0)
    assert noisy is None  # no run-in, no spread inside periods, no threshold: no scale at all


def test_normal_summary_needs_a_positive_standard_error() -> None:
    assert normal_summary(0.4, 0.0, 0.5, 1.0) is None
    assert normal_summary(0.4, float("nan"), 0.5, 1.0) is None


def test_no_threshold_means_flat_only() -> None:
    summary = normal_summary(1.0, 0.5, None, 1.0)
    assert summary.sceptical is None
    assert summary.shown.prior == "flat"
    assert summary.flat.p_benefit_over_mid is None
    assert not summary.prior_sensitive


def test_prior_sensitivity_flags_thin_data() -> None:
    assert normal_summary(1.5, 1.5, 0.2, 1.0).prior_sensitive
    assert not normal_summary(1.5, 0.05, 0.5, 1.0).prior_sensitive
