"""Property tests: results do not depend on row order, direction or the outcome's origin."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedside.analysis.file_analysis import analyze_file

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def experiments(draw: st.DrawFn) -> pd.DataFrame:
    """K pairs of periods (random order inside each pair), integer outcomes, missed days."""
    pairs = draw(st.integers(min_value=3, max_value=5))
    length = draw(st.integers(min_value=3, max_value=5))
    rows, day = [], 0
    for k in range(pairs):
        order = ["A", "B"] if draw(st.booleans()) else ["B", "A"]
        for p, condition in enumerate(order):
            for _ in range(length):
                day += draw(st.sampled_from([1, 1, 1, 2]))
                value = draw(st.integers(min_value=0, max_value=10))
                rows.append({"pair": k, "period": p, "cond": condition, "day": day, "y": value})
    frame = pd.DataFrame(rows)
    frame["y"] = frame["y"].astype(float)
    return frame


def _run(frame: pd.DataFrame, **kwargs: Any) -> dict[str, Any]:
    args = {"pair": "pair", "period": "period", "day": "day", "threshold": 1.0, **kwargs}
    return analyze_file(frame, "y", "cond", "B", **args)


INFERENCE = ("paired_t_p", "randomisation_p", "randomisation_min_p", "period_se")
DIFFERENCES = ("mean_difference", "period_estimate")


def _same_ar1(a: dict[str, Any] | None, b: dict[str, Any] | None, sign: float = 1.0) -> bool:
    """Same AR(1) result (None when the outcome has no variation beyond the model)."""
    if a is None or b is None:
        return a is b
    return (
        _same(a["estimate"], sign * b["estimate"], 1e-3)
        and _same(a["se"], b["se"], 1e-3)
        and _same(a["phi"], b["phi"], 1e-3)
    )


def _same(a: Any, b: Any, tol: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y, tol) for x, y in zip(a, b, strict=True))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


@SETTINGS
@given(experiments(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_results(frame: pd.DataFrame, rnd: Any) -> None:
    shuffled = frame.sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    a, b = _run(frame), _run(shuffled)
    for key in (*INFERENCE, *DIFFERENCES, "nap", "p_benefit", "p_benefit_over_threshold", "pairs"):
        assert _same(a[key], b[key]), key
    assert _same_ar1(a["ar1"], b["ar1"])


@SETTINGS
@given(experiments())
def test_flipping_the_direction_flips_probabilities(frame: pd.DataFrame) -> None:
    up, down = _run(frame), _run(frame, lower_is_better=True)
    assert down["nap"] == pytest.approx(1 - up["nap"])
    assert down["p_benefit"] == pytest.approx(1 - up["p_benefit"], abs=1e-6)
    for key in (*INFERENCE, *DIFFERENCES):
        assert _same(up[key], down[key]), key


@SETTINGS
@given(experiments())
def test_mirrored_outcome_flips_signs_and_keeps_probabilities(frame: pd.DataFrame) -> None:
    up = _run(frame)
    mirrored = _run(frame.assign(y=-frame["y"]), lower_is_better=True)
    for key in DIFFERENCES:
        assert _same(mirrored[key], -up[key]), key
    assert _same(mirrored["pairs"], [-d for d in up["pairs"]])
    assert _same_ar1(mirrored["ar1"], up["ar1"], sign=-1.0)
    for key in ("nap", "p_benefit", "p_benefit_over_threshold", *INFERENCE):
        assert _same(mirrored[key], up[key], 1e-5), key


@SETTINGS
@given(experiments(), st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_adding_a_constant_changes_no_inference(frame: pd.DataFrame, shift: float) -> None:
    base, moved = _run(frame), _run(frame.assign(y=frame["y"] + shift))
    for key in ("nap", "p_benefit", "p_benefit_over_threshold", *INFERENCE, *DIFFERENCES):
        assert _same(base[key], moved[key], 1e-6), key
    assert moved["treatment_mean"] == pytest.approx(base["treatment_mean"] + shift)
    assert _same_ar1(base["ar1"], moved["ar1"])
