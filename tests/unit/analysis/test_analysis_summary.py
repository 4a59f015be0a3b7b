"""Words (§4.6-4.7): bands, no causal words for observational results, no dose advice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from bedside.analysis.insights import observational_insights
from bedside.analysis.jsonable import to_jsonable
from bedside.analysis.summary import does_not_show, number, percent, verbal_band, within_threshold

CAUSAL = re.compile(
    r"\b(improv\w*|caus\w*|leads? to|because of|helps?|makes?|reduc\w*|boost\w*|effect of)\b",
    re.IGNORECASE,
)
DOSE_ADVICE = re.compile(r"\b(take more|increase|higher dose|larger dose|try \d)", re.IGNORECASE)


@pytest.mark.parametrize(
    ("p", "band"),
    [
        (0.97, "very likely worth it"),
        (0.95, "probably worth it"),
        (0.80, "probably worth it"),
        (0.5, "uncertain, more periods would help"),
        (0.20, "uncertain, more periods would help"),
        (0.1, "unlikely to be worth it"),
    ],
)
def test_verbal_bands(p: float, band: str) -> None:
    assert verbal_band(p) == band


def test_no_difference_only_when_the_whole_interval_is_inside_the_threshold() -> None:
    assert within_threshold((-0.3, 0.4), 0.5)
    assert not within_threshold((-0.3, 0.6), 0.5)
    assert not within_threshold((-0.3, 0.4), None)


def test_numbers_and_percentages_read_well() -> None:
    assert number(0.6349) == "0.63"
    assert number(-1.4702) == "-1.5"
    assert number(23.4) == "23"
    assert number(-0.001) == "0"
    assert percent(0.9) == "90%"
    assert percent(0.999) == "over 99%"
    assert percent(0.0001) == "under 1%"


def _frame(n: int = 240, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    took = rng.random(n) < 0.5
    return pd.DataFrame(
        {
            "night": [date(2023, 1, 1) + timedelta(days=i) for i in range(n)],
            "took": took,
            "dose_g": np.where(took, rng.choice([1.0, 2.0, 3.0], n), np.nan),
            "minutes_dose_to_bed": np.where(took, rng.choice([40.0, 100.0, 200.0], n), np.nan),
            "quality": 3 + 0.4 * took + rng.normal(0, 0.6, n),
            "pain_next_morning": 5 - 1.2 * took + rng.normal(0, 1, n),
            "sleep_onset_latency_min": np.exp(rng.normal(3, 0.3, n)) * np.where(took, 0.7, 1.0),
        }
    )


@pytest.mark.parametrize("outcome", ["quality", "pain_next_morning", "sleep_onset_latency_min"])
def test_observational_words_are_associations_and_never_dose_advice(outcome: str) -> None:
    insights = observational_insights(_frame(), outcome, ["quality", "pain_next_morning"])
    text = " ".join(insights.summary + insights.dose_summary)
    assert "association, not proof" in text
    assert "randomised self-experiment" in text
    without_invitation = text.replace("whether kratom helps you", "")
    assert not CAUSAL.search(without_invitation), CAUSAL.search(without_invitation)
    assert not DOSE_ADVICE.search(text)
    assert "significant" not in text.lower()
    assert "p-value" not in text.lower() and "p =" not in text


def test_ratio_wording_for_time_to_fall_asleep() -> None:
    insights = observational_insights(_frame(), "sleep_onset_latency_min")
    assert "shorter (ratio of medians" in insights.summary[0]


def test_what_the_result_does_not_show() -> None:
    observational = does_not_show("observational")
    assert observational[0].startswith("That kratom caused any difference")
    assert any("withdrawal" in s for s in observational)
    assert any("long-term" in s for s in observational)
    assert any("polysomnography" in s for s in observational)
    assert not any("caused" in s for s in does_not_show("experiment"))


def test_insights_are_json_ready() -> None:
    import json

    insights = observational_insights(_frame(), "quality", ["pain_next_morning"])
    json.dumps(to_jsonable(insights), allow_nan=False)
