"""AR(1) errors on the calendar-day scale (bedside.analysis.ar1, regression)."""

from __future__ import annotations

import numpy as np
import pytest

from bedside.analysis.ar1 import fit_ar1
from bedside.analysis.regression import Design


def _simulate(n_days: int, phi: float, effect: float, seed: int, keep: float = 0.8):
    rng = np.random.default_rng(seed)
    e = np.empty(n_days)
    e[0] = rng.normal()
    for t in range(1, n_days):
        e[t] = phi * e[t - 1] + rng.normal() * np.sqrt(1 - phi**2)
    x = (rng.random(n_days) < 0.5).astype(float)
    y = 5 + effect * x + e
    days = np.flatnonzero(rng.random(n_days) < keep)  # missed nights are gaps
    return y[days], x[days], days


def test_recovers_phi_and_effect_with_gaps() -> None:
    y, x, days = _simulate(1500, phi=0.6, effect=0.5, seed=3)
    fit = fit_ar1(y, np.column_stack((np.ones(len(y)), x)), days, ["a", "x"], focal=["x"])
    assert fit.phi == pytest.approx(0.6, abs=0.05)
    lo, hi = fit.interval("x")
    assert lo < 0.5 < hi
    assert fit.sigma == pytest.approx(1.0, abs=0.1)
    assert not fit.phi_at_bound


def test_ignoring_gaps_would_bias_phi_downward_but_we_do_not() -> None:
    y, _, days = _simulate(2000, phi=0.7, effect=0.0, seed=5, keep=0.5)
    with_gaps = fit_ar1(y, np.ones((len(y), 1)), days, ["a"])
    as_if_consecutive = fit_ar1(y, np.ones((len(y), 1)), np.arange(len(y)), ["a"])
    assert with_gaps.phi == pytest.approx(0.7, abs=0.06)
    assert as_if_consecutive.phi < 0.55


def test_row_order_does_not_matter() -> None:
    y, x, days = _simulate(60, phi=0.3, effect=1.0, seed=11)
    design = np.column_stack((np.ones(len(y)), x))
    first = fit_ar1(y, design, days, ["a", "x"], focal=["x"])
    order = np.random.default_rng(0).permutation(len(y))
    second = fit_ar1(y[order], design[order], days[order], ["a", "x"], focal=["x"])
    assert second.estimate("x") == pytest.approx(first.estimate("x"), abs=1e-10)
    assert second.std_error("x") == pytest.approx(first.std_error("x"), abs=1e-8)
    assert second.phi == pytest.approx(first.phi, abs=1e-10)


def test_focal_se_includes_phi_uncertainty_and_is_close_to_conditional() -> None:
    y, x, days = _simulate(40, phi=0.4, effect=1.0, seed=2)
    design = np.column_stack((np.ones(len(y)), x))
    conditional = fit_ar1(y, design, days, ["a", "x"])
    joint = fit_ar1(y, design, days, ["a", "x"], focal=["x"])
    assert joint.estimate("x") == conditional.estimate("x")
    assert joint.std_error("x") == pytest.approx(conditional.std_error("x"), rel=0.25)


@pytest.mark.parametrize(
    ("days", "message"),
    [([0, 1, 1, 2, 3, 4, 5], "repeated day"), ([0, 1, 2], "at least")],
)
def test_refuses_bad_input(days: list[int], message: str) -> None:
    y = np.arange(len(days), dtype=float)
    with pytest.raises(ValueError, match=message):
        fit_ar1(y, np.column_stack((np.ones(len(y)), y % 2)), days, ["a", "x"])


def test_design_drops_collinear_and_constant_columns_but_not_focal() -> None:
    n = 30
    design = Design(n)
    x = np.arange(n) % 2.0
    design.add("x", x)
    design.add("constant", np.full(n, 3.0))
    design.add("copy", 2 * x)
    _, names, dropped = design.matrix(protected=["x"])
    assert names == ["intercept", "x"]
    assert dropped == ["constant", "copy"]
    clash = Design(n)
    clash.add("copy", 2 * x)
    clash.add("x", x)
    with pytest.raises(ValueError, match="cannot be separated"):
        clash.matrix(protected=["x"])


def test_piecewise_trend_has_four_weekly_knots_after_twelve_weeks() -> None:
    short, long = Design(50), Design(200)
    short.add_trend(np.arange(50))
    long.add_trend(np.arange(200))
    assert short.matrix()[1] == ["intercept", "trend"]
    knots = [n for n in long.matrix()[1] if n.startswith("trend_after")]
    assert knots == [f"trend_after_{28 * k}" for k in range(1, 8)]
