"""Pooled summary across a study's participants: synthetic people with a known effect."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from bedside.analysis.periods import PeriodColumns, pair_runs, period_means, runs_as_periods
from bedside.analysis.pooled import REFERENCE, TREATMENT, PeriodRow, pooled_summary

TRUE_EFFECT = 0.8


def _participants(
    n: int, blocks: int = 6, effect: float = TRUE_EFFECT, tau: float = 0.3, seed: int = 7
) -> list[PeriodRow]:
    """Period means of ``n`` people: their own effect ~ N(effect, tau), period noise 0.4."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(n):
        own = effect + rng.normal(0, tau)
        base = rng.normal(3.0, 0.5)
        for block in range(1, blocks + 1):
            for condition, shift in ((REFERENCE, 0.0), (TREATMENT, own)):
                mean = base + shift + rng.normal(0, 0.4)
                rows.append(
                    PeriodRow(f"P{person:06d}", 1, "quality", False, block, condition, mean)
                )
    return rows


def test_the_pooled_estimate_finds_the_true_effect_with_an_honest_interval() -> None:
    summary = pooled_summary(_participants(12))
    (pooled,) = summary.pooled
    assert pooled.status == "pooled" and pooled.participants == 12
    assert pooled.estimate == pytest.approx(TRUE_EFFECT, abs=0.25)
    assert pooled.ci95 is not None and pooled.ci95[0] < TRUE_EFFECT < pooled.ci95[1]
    assert pooled.prediction95 is not None
    assert pooled.prediction95[1] - pooled.prediction95[0] > pooled.ci95[1] - pooled.ci95[0]
    assert pooled.between_person_sd is not None and 0 <= pooled.between_person_sd < 0.8
    assert pooled.two_stage_estimate == pytest.approx(pooled.estimate, abs=0.05)
    assert len(summary.participants) == 12
    assert all(p.completed and p.ci95 is not None for p in summary.participants)
    assert "across 12 participants" in summary.sentences[0]
    assert any("nobody was blinded" in s for s in summary.sentences)


def test_no_effect_gives_an_interval_around_zero() -> None:
    (pooled,) = pooled_summary(_participants(10, effect=0.0, seed=3)).pooled
    assert pooled.ci95 is not None and pooled.ci95[0] < 0 < pooled.ci95[1]


def test_fewer_than_three_completed_participants_get_no_pooled_figure() -> None:
    summary = pooled_summary(_participants(2) + _two_blocks_only())
    (pooled,) = summary.pooled
    assert pooled.status == "too_few" and pooled.estimate is None
    assert pooled.participants == 2
    assert "at least 3 are needed" in summary.sentences[0]
    assert [p.completed for p in summary.participants] == [True, True, False]


def _two_blocks_only() -> list[PeriodRow]:
    return [
        PeriodRow("Q000001", 1, "quality", False, r.block, r.condition, r.mean)
        for r in _participants(1, seed=11)
        if r.block <= 2
    ]


def test_row_order_does_not_change_the_result() -> None:
    rows = _participants(5)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    assert pooled_summary(shuffled) == pooled_summary(rows)


def test_periods_that_did_not_count_and_multi_arm_experiments_are_left_out() -> None:
    rows = _participants(3)
    missing = [
        PeriodRow(r.participant, r.experiment, r.outcome, False, r.block, r.condition, None)
        if r.block == 1 and r.condition == TREATMENT
        else r
        for r in rows
    ]
    multi = [
        PeriodRow("M000001", 1, "quality", False, 1, c, 3.0)
        for c in (REFERENCE, TREATMENT, "level_2")
    ]
    summary = pooled_summary(missing + multi)
    assert {p.participant for p in summary.participants} == {"P000000", "P000001", "P000002"}
    assert all(p.complete_blocks == 5 for p in summary.participants)


def test_the_reference_case_gives_the_published_period_differences(milk: pd.DataFrame) -> None:
    """milk_P1's phases as period rows: the per-person estimate is the mean of -1.083, -1.857."""
    c = PeriodColumns
    labels = list(milk["condition"])
    periods = runs_as_periods(list(milk["study_day"]), labels)
    frame = pd.DataFrame(
        {
            c.Y: milk["sleep_quality_0_10"],
            c.CONDITION: labels,
            c.PERIOD: periods,
            c.BLOCK: pair_runs(periods, labels, "Warm milk", "Cold milk"),
            c.DAY: milk["study_day"],
        }
    )
    coded = {"Warm milk": TREATMENT, "Cold milk": REFERENCE}
    rows = [
        PeriodRow("milk_P1", 1, "quality", False, int(s.block), coded[s.condition], s.mean)
        for s in period_means(frame)
    ]
    summary = pooled_summary(rows)
    (person,) = summary.participants
    assert person.estimate == pytest.approx((-1.083 - 1.857) / 2, abs=5e-4)
    assert person.complete_blocks == 2 and not person.completed
    assert summary.pooled[0].status == "too_few"


def test_identical_differences_everywhere_still_give_an_answer() -> None:
    rows = [
        PeriodRow(f"P{p}", 1, "quality", False, b, c, 3.0 + (1.0 if c == TREATMENT else 0.0))
        for p in range(3)
        for b in (1, 2, 3)
        for c in (REFERENCE, TREATMENT)
    ]
    summary = pooled_summary(rows)
    (pooled,) = summary.pooled
    assert pooled.status == "pooled" and pooled.estimate == pytest.approx(1.0)
    assert pooled.ci95 is None and "no interval" in summary.sentences[0]
