"""Experiment plan, schedule and expected precision."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from bedside.analysis.design import ExperimentPlan, build_schedule, expected_precision


def _plan(**changes: object) -> ExperimentPlan:
    base: dict[str, object] = {
        "question": "Does kratom help my sleep?",
        "outcome": "quality",
        "mid": 0.5,
        "start": date(2024, 3, 1),
        "seed": 99,
        "blocks": 4,
        "nights_per_period": 5,
        "washout_nights": 1,
        "run_in_nights": 7,
    }
    base.update(changes)
    return ExperimentPlan(**base)  # type: ignore[arg-type]


def test_schedule_lists_every_night_once_with_pair_period_and_washout() -> None:
    plan = _plan()
    nights = build_schedule(plan)
    assert len(nights) == 7 + 4 * 2 * 5
    assert [n.night for n in nights] == [plan.start + timedelta(days=i) for i in range(len(nights))]
    assert nights[-1].night == plan.end
    run_in = [n for n in nights if n.run_in]
    assert len(run_in) == 7 and all(n.condition is None and n.block is None for n in run_in)
    for block in range(4):
        rows = [n for n in nights if n.block == block]
        assert sorted({n.condition for n in rows}) == ["kratom", "no kratom"]  # type: ignore[type-var]
        for period in (0, 1):
            period_rows = [n for n in rows if n.period == period]
            assert [n.washout for n in period_rows] == [True, False, False, False, False]


def test_schedule_is_reproducible_from_the_seed() -> None:
    assert build_schedule(_plan()) == build_schedule(_plan())
    orders = {tuple(n.condition for n in build_schedule(_plan(seed=s))) for s in range(8)}
    assert len(orders) > 1


def test_multi_level_blocks_hold_every_level_once() -> None:
    plan = _plan(levels=("none", "low", "usual"), reference="none", run_in_nights=0)
    nights = build_schedule(plan)
    assert plan.compared == ("low", "usual")
    for block in range(plan.blocks):
        conditions = [n.condition for n in nights if n.block == block and not n.washout]
        assert sorted(set(conditions)) == ["low", "none", "usual"]  # type: ignore[type-var]
        assert len(conditions) == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"blocks": 2}, "at least 3"),
        ({"nights_per_period": 3, "washout_nights": 1}, "after the washout"),
        ({"reference": "placebo"}, "not one of the levels"),
        ({"mid": 0}, "positive"),
        ({"levels": ("kratom", "kratom")}, "distinct"),
    ],
)
def test_plan_refuses_designs_that_cannot_answer(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _plan(**changes)


def test_precision_follows_the_planner_formula_without_autocorrelation() -> None:
    plan = _plan(blocks=6, nights_per_period=7, washout_nights=2)
    result = expected_precision(plan, sd_night=1.0, phi=0.0)
    sd_pair = math.sqrt(2 / 5)
    assert result.sd_pair == pytest.approx(sd_pair)
    assert result.pairs_needed == math.ceil((2.8 * sd_pair / 0.5) ** 2 + 2)
    assert result.min_randomisation_p == pytest.approx(2 / 2**6)
    assert result.source == "assumed"


def test_precision_from_a_run_in_accounts_for_autocorrelation() -> None:
    rng = np.random.default_rng(4)
    values = 3 + np.cumsum(rng.normal(size=14)) * 0.3 + rng.normal(size=14)
    plan = _plan(blocks=3)
    result = expected_precision(plan, values)
    assert result.source == "run-in"
    assert result.expected_half_width95 > 0
    assert result.pairs_needed >= 3
    assert any("pairs" in note for note in result.notes) == (result.pairs_needed > 3)
    with pytest.raises(ValueError, match="7\\+"):
        expected_precision(plan, values[:5])
