"""Periods, pairs, paired t, NAP and the carry-over check."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from bedside.analysis.carryover import carry_over_check
from bedside.analysis.nonoverlap import nap
from bedside.analysis.paired import paired_t
from bedside.analysis.periods import (
    PeriodColumns,
    block_differences,
    pair_runs,
    period_means,
    runs_as_periods,
)

C = PeriodColumns


def test_runs_ignore_missing_days_and_follow_day_order() -> None:
    days = [10, 1, 2, 5, 6, 12]  # 3-4 and 7-9 missing, rows out of order
    conditions = ["B", "A", "A", "A", "B", "B"]
    assert runs_as_periods(days, conditions) == [1, 0, 0, 0, 1, 1]


def test_pairs_kth_treatment_with_kth_control_and_leaves_the_unmatched() -> None:
    periods = [0, 1, 2, 3, 4]
    conditions = ["A", "B", "A", "B", "A"]
    assert pair_runs(periods, conditions, "B", "A") == [0, 0, 1, 1, None]


def _frame(rows: list[tuple[int, int, str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[C.BLOCK, C.PERIOD, C.CONDITION, C.Y, C.WASHOUT]).assign(
        **{C.DAY: range(len(rows))}
    )


def test_period_counts_only_with_three_analysable_nights() -> None:
    rows = [(0, 0, "A", 1.0, True), (0, 0, "A", 2.0, False), (0, 0, "A", None, False)]
    rows += [(0, 0, "A", 3.0, False), (0, 1, "B", 5.0, False), (0, 1, "B", 6.0, False)]
    summaries = period_means(_frame(rows))
    assert summaries[0].n_nights == 2  # washout and the missing night are not analysable
    assert summaries[0].mean == 2.5
    assert not summaries[0].counts
    assert block_differences(summaries, "B", "A") == []


def test_period_mixing_conditions_is_refused() -> None:
    rows = [(0, 0, "A", 1.0, False), (0, 0, "B", 2.0, False)]
    with pytest.raises(ValueError, match="mixes conditions"):
        period_means(_frame(rows))


def test_paired_t_matches_scipy() -> None:
    d = [0.4, 1.1, -0.2, 0.9, 0.5]
    result = paired_t(d)
    assert result.p_value == pytest.approx(stats.ttest_1samp(d, 0).pvalue)
    half = stats.t.ppf(0.975, 4) * stats.sem(d)
    assert result.ci95 == pytest.approx((0.54 - half, 0.54 + half))
    assert result.ci90[1] < result.ci95[1]
    assert math.isnan(paired_t([1.0]).se)


@pytest.mark.parametrize(
    "d",
    [[-2.3] * 5, [-2.3, -2.3000000000000003, -2.2999999999999998], [0.0, 0.0, 0.0]],
)
def test_paired_t_with_identical_differences_has_no_interval(d: list[float]) -> None:
    # Zero spread used to give a zero-width interval (-2.3 to -2.3) and p = 0.
    result = paired_t(d)
    assert result.k == len(d) and result.estimate == pytest.approx(d[0])
    assert result.se is None and result.p_value is None
    assert result.ci95 is None and result.ci90 is None
    assert result.note is not None and "same difference" in result.note
    assert "randomisation test still applies" in result.note


def test_nap_counts_ties_half_and_follows_direction() -> None:
    assert nap([3, 4], [1, 2]).nap == 1.0
    assert nap([2], [2]).nap == 0.5
    assert nap([3, 1], [2]).nap == 0.5
    assert nap([3, 4], [1, 2], lower_is_better=True).nap == 0.0
    assert nap([5, 5, 1], [5, 2]).nap == pytest.approx((1.5 + 1.5 + 0) / 6)
    assert math.isnan(nap([], [1.0]).nap)


def test_carry_over_flags_a_first_night_unlike_the_rest() -> None:
    rows = []
    for block in range(3):
        for period, condition in enumerate(["A", "B"]):
            first = 9.0 if condition == "B" else 5.0  # B's first night looks like A-with-carry
            values = [first] + [7.0] * 4 if condition == "B" else [5.0] * 5
            rows += [(block, period, condition, v, False) for v in values]
    check = carry_over_check(_frame(rows), mid=1.0)
    assert check.gap_by_condition["B"] == pytest.approx(2.0)
    assert check.flagged
    assert check.advice is not None and "washout" in check.advice
    assert not carry_over_check(_frame(rows), mid=3.0).flagged
