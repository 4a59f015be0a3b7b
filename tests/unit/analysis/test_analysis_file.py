"""analyze_file: designs it understands and the mistakes it explains."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bedside.analysis.file_analysis import AnalysisInputError, analyze_file


def _design(pairs: int = 4, effect: float = 1.0) -> pd.DataFrame:
    """Randomised-looking pairs of 4-night periods with explicit pair/period columns."""
    rows = []
    day = 0
    for k in range(pairs):
        order = ["on", "off"] if k % 2 else ["off", "on"]
        for p, condition in enumerate(order):
            for i in range(4):
                value = 5 + (effect if condition == "on" else 0) + (i % 2) * 0.5 + k * 0.1
                rows.append(
                    {"pair": k + 1, "period": p + 1, "cond": condition, "day": day, "y": value}
                )
                day += 1
    return pd.DataFrame(rows)


def test_pair_and_period_columns_give_the_period_analysis() -> None:
    result = analyze_file(_design(), "y", "cond", "on", pair="pair", period="period", day="day")
    assert result["n_pairs"] == 4
    assert result["pairs"] == pytest.approx([1.0] * 4)
    assert result["period_estimate"] == pytest.approx(1.0)
    assert result["randomisation_p"] == pytest.approx(2 / 16)
    assert result["randomisation_min_p"] == pytest.approx(2 / 16)
    assert result["status"] == "ok"
    assert result["nap"] == 1.0
    assert result["ar1"]["estimate"] == pytest.approx(1.0, abs=1e-6)
    json.dumps(result, allow_nan=False)


def test_pair_column_alone_and_no_day() -> None:
    result = analyze_file(_design(), "y", "cond", "on", pair="pair")
    assert result["pairs"] == pytest.approx([1.0] * 4)
    assert result["ar1"] is None
    assert any("day column" in w for w in result["warnings"])


def _growing(pairs: int = 12) -> pd.DataFrame:
    """Pairs whose difference grows with the pair number (1, 2, ... 12), every pair 'off'
    first: the order of ``pairs`` and the order warning are then easy to check."""
    rows = []
    for k in range(1, pairs + 1):
        for p, condition in enumerate(["off", "on"]):
            for _ in range(3):
                value = 5.0 + (k if condition == "on" else 0.0)
                rows.append({"pair": k, "period": 2 * k - 1 + p, "cond": condition, "y": value})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("period", [None, "period"])
def test_pairs_come_out_in_numeric_order_without_a_day_column(period: str | None) -> None:
    result = analyze_file(_growing(), "y", "cond", "on", pair="pair", period=period)
    assert result["pairs"] == pytest.approx([float(k) for k in range(1, 13)])
    assert [d["block"] for d in result["pair_details"]] == [str(k) for k in range(1, 13)]


def test_order_inside_pairs_is_only_judged_when_the_file_tells_it() -> None:
    # periods 9 and 10 (pair 5) must sort by number, else pair 5 would seem to start 'on'
    started = "Every pair started with 'off'"
    with_periods = analyze_file(_growing(), "y", "cond", "on", pair="pair", period="period")
    assert any(started in w for w in with_periods["warnings"])
    pair_only = analyze_file(_growing(), "y", "cond", "on", pair="pair")
    assert not any("Every pair started" in w for w in pair_only["warnings"])


def test_period_column_alone_pairs_kth_with_kth() -> None:
    frame = _design().assign(period=lambda f: (f["pair"] - 1) * 2 + f["period"])
    result = analyze_file(frame.drop(columns=["pair"]), "y", "cond", "on", period="period")
    assert result["n_pairs"] == 4
    assert result["period_estimate"] == pytest.approx(1.0)


def test_no_design_columns_gives_night_level_only() -> None:
    result = analyze_file(_design(), "y", "cond", "on")
    assert result["status"] == "night_level_only"
    assert result["pairs"] is None and result["period_estimate"] is None
    assert result["mean_difference"] == pytest.approx(1.0)


def test_lower_is_better_flips_nap_and_benefit() -> None:
    up = analyze_file(_design(), "y", "cond", "on", pair="pair", day="day", threshold=0.5)
    down = analyze_file(
        _design(), "y", "cond", "on", pair="pair", day="day", threshold=0.5, lower_is_better=True
    )
    assert up["nap"] == 1.0 and down["nap"] == 0.0
    assert up["p_benefit"] > 0.9 > 0.1 > down["p_benefit"]
    assert up["mean_difference"] == down["mean_difference"]


def test_missing_outcomes_are_dropped_and_counted() -> None:
    frame = _design()
    frame.loc[[0, 5], "y"] = None
    result = analyze_file(frame, "y", "cond", "on", pair="pair", day="day")
    assert result["n_dropped_missing_outcome"] == 2
    assert result["n_rows"] == 32
    assert result["n_treatment"] + result["n_control"] == 30
    assert any("2 rows without an outcome" in w for w in result["warnings"])


def test_numeric_conditions_and_dates() -> None:
    frame = _design()
    frame["cond"] = (frame["cond"] == "on").astype(int)
    frame["day"] = pd.Timestamp("2024-02-01") + pd.to_timedelta(frame["day"], unit="D")
    frame["day"] = frame["day"].dt.strftime("%Y-%m-%d")
    result = analyze_file(frame, "y", "cond", "1", day="day")
    assert result["treatment"] == "1" and result["control"] == "0"
    # runs in day order: off | on on | off off | on on | off -> 5 periods, 2 pairs
    assert [p["condition"] for p in result["periods"]] == ["0", "1", "0", "1"]
    assert result["n_pairs"] == 2
    assert result["period_estimate"] == pytest.approx(1.0, abs=0.2)
    assert any("without a partner" in w for w in result["warnings"])


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (None, {"outcome": "nope"}, "--outcome 'nope': no such column. The file has: pair"),
        (None, {"treatment": "maybe"}, "its values are: off, on"),
        ("only_on", {}, "no control rows"),
        ("text", {}, "must hold numbers; found 'good'"),
        ("three", {}, "holds 3 conditions"),
        ("repeat_day", {"day": "day"}, "repeats a day"),
        (None, {"threshold": -1.0}, "positive"),
    ],
)
def test_user_mistakes_get_actionable_messages(
    change: str | None, kwargs: dict[str, object], message: str
) -> None:
    frame = _design()
    if change == "only_on":
        frame = frame[frame["cond"] == "on"]
    elif change == "text":
        frame["y"] = frame["y"].astype(object)
        frame.loc[3, "y"] = "good"
    elif change == "three":
        frame.loc[0, "cond"] = "half"
    elif change == "repeat_day":
        frame.loc[1, "day"] = 0
    args: dict[str, object] = {"outcome": "y", "condition": "cond", "treatment": "on", **kwargs}
    with pytest.raises(AnalysisInputError, match=message.replace("(", r"\(").replace("+", r"\+")):
        analyze_file(frame, **args)  # type: ignore[arg-type]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(AnalysisInputError, match="cannot find"):
        analyze_file(tmp_path / "missing.csv", "y", "c", "t")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(AnalysisInputError, match="cannot read"):
        analyze_file(empty, "y", "c", "t")


def test_summary_and_does_not_show_are_present() -> None:
    result = analyze_file(_design(), "y", "cond", "on", pair="pair", day="day", threshold=0.5)
    assert result["summary"].startswith("16 on rows and 16 off rows")
    assert "association" not in result["summary"] or "not proof" in result["summary"]
    assert any("not blinded" in s for s in result["does_not_show"])
    assert "improves" not in result["summary"]  # not randomised: no causal verbs
    randomised = analyze_file(
        _design(), "y", "cond", "on", pair="pair", day="day", threshold=0.5, randomised=True
    )
    assert "improves" in randomised["summary"]
    assert randomised["warnings"] == []


def test_rows_without_a_condition_are_left_out_with_a_warning() -> None:
    frame = _design()
    frame["cond"] = frame["cond"].astype(object)
    frame.loc[2, "cond"] = None
    result = analyze_file(frame, "y", "cond", "on", pair="pair", day="day")
    assert result["n_rows"] == 32
    assert result["n_treatment"] + result["n_control"] == 31
    assert any("without a condition" in w for w in result["warnings"])


def test_identical_pairs_give_null_t_results_with_a_note() -> None:
    # _design() gives the same difference (1.0) in every pair: no t interval, no t p-value.
    result = analyze_file(_design(), "y", "cond", "on", pair="pair", day="day", threshold=0.5)
    assert result["pairs"] == pytest.approx([1.0] * 4)
    assert result["period_estimate"] == pytest.approx(1.0)
    for key in ("period_se", "period_ci95", "period_ci90", "paired_t_p"):
        assert result[key] is None, key
    assert "same difference" in result["period_note"]
    assert result["randomisation_p"] == pytest.approx(2 / 16)
    assert result["randomisation_min_p"] == pytest.approx(2 / 16)
    assert "within your periods" in result["bayes"]["note"]
    assert result["p_benefit"] is not None
    text = result["summary"]
    assert "range of plausible values" not in text.replace("no range of plausible values", "")
    assert "1 to 1" not in text and "1.0 to 1.0" not in text
    assert "by the same amount in every pair" in text and "agreed exactly" in text
    assert "12% of the possible orders" in text  # 2/16, the rarest result 4 pairs can give
    json.dumps(result, allow_nan=False)


def test_identical_pairs_without_any_scale_give_no_chances() -> None:
    frame = _design()
    frame["y"] = 5.0 + (frame["cond"] == "on") * 1.0  # flat inside every period too
    result = analyze_file(frame, "y", "cond", "on", pair="pair", day="day")
    assert result["period_ci95"] is None and result["paired_t_p"] is None
    assert result["bayes"] is None and result["p_benefit"] is None
    assert result["p_benefit_over_threshold"] is None
    assert "No chances can be given" in result["summary"]
    assert "over 99%" not in result["summary"]
    json.dumps(result, allow_nan=False)
