"""Experiment services: plan checks, precision from the person's nights, multi-arm plans."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from bedside.analysis.design import build_schedule
from bedside.domain import experiments as xp
from bedside.domain.errors import ConflictError, InputError
from bedside.services.experiments.analysis import (
    analyze_experiment,
    plan_of,
    plan_with_precision,
    show_experiment,
)
from bedside.services.experiments.assignment import assignment
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.services.experiments.views import spec_of
from tests.conftest import Cli
from tests.integration.analysis.conftest import START, Sim, at_local, log_history, log_night

PLAN = {"question": "Does kratom help me sleep?", "outcome": "quality", "threshold": 0.5}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"outcome": "sleep"}, "outcome", "choose one of: quality, rested, total_sleep_time_min"),
        ({"pairs": 2}, "pairs", "never go below p = 0.50"),
        ({"nights": 2, "washout": 2}, "nights", "more than the washout"),
        ({"nights": 3, "washout": 1}, "nights", "at least 3 nights after the washout"),
        ({"threshold": 0}, "threshold", "positive number"),
        ({"start": date(2025, 1, 1)}, "start", "is in the past"),
        ({"levels": ["kratom", "Kratom"]}, "levels", "must all be different"),
        ({"levels": ["kratom"]}, "levels", "at least 2"),
        ({"reference": "placebo"}, "reference", "is not one of the conditions"),
        ({"run_in": -1}, "run_in", "between 0 and 28"),
    ],
)
def test_plan_mistakes_name_the_field(
    sim: Sim, change: dict[str, object], field: str, words: str
) -> None:
    with sim.app.scope() as scope, pytest.raises(InputError) as caught:
        plan_experiment(scope, {**PLAN, **change})
    assert caught.value.field == field
    assert words in caught.value.message
    # the service speaks of the thing at fault; each front end names its own options
    assert "--" not in caught.value.message and "`" not in caught.value.message


def test_the_cli_names_its_own_option_for_a_plan_mistake(profiled_cli: Cli) -> None:
    done = profiled_cli(
        "experiment", "plan", "--question", "Q", "--outcome", "quality", "--threshold", "0.5",
        "--nights", "3", "--washout", "1", ok=False,
    )  # fmt: skip
    assert done.code == 2
    assert done.stderr.strip() == (
        "error: --nights: each period needs at least 3 nights after the washout: "
        "use 4 nights per period or more"
    )


def test_one_experiment_at_a_time(sim: Sim) -> None:
    with sim.app.scope() as scope:
        plan_experiment(scope, PLAN)
        with pytest.raises(ConflictError, match="stop it first"):
            plan_experiment(scope, PLAN)


def test_no_experiment_is_a_clear_error(profiled_cli: Cli) -> None:
    done = profiled_cli("experiment", "show", ok=False)
    assert done.code == 2
    assert done.stderr.startswith(
        "error: no experiment yet: plan one first (run `bedside experiment plan --question"
    )
    missing = profiled_cli("experiment", "analyze", "7", ok=False)
    assert missing.stderr == "error: ID: no experiment with id 7\n"


def test_precision_comes_from_the_nights_before_the_start(sim: Sim) -> None:
    log_history(sim, START - timedelta(days=30), [i % 2 == 0 for i in range(29)])
    sim.clock.now = at_local(START - timedelta(days=1), 18)
    with sim.app.scope() as scope:
        out = plan_with_precision(scope, PLAN)
    p = _p(out.precision)
    assert p is not None and p["available"] is True
    assert p["based_on"] == (
        "the 29 nights of sleep quality you logged in the 60 nights before the start, "
        "fixed on 2025-01-05 when the plan was saved"
    )
    assert p["nights_logged"] == 29 and p["window_nights"] == 60
    assert p["planned_pairs"] == 6 and p["pairs_needed"] >= 3
    assert p["expected_half_width95"] > 0
    assert out.smallest_possible_p == pytest.approx(2 / 64)


def test_precision_uses_the_run_in_once_it_is_logged(sim: Sim) -> None:
    with sim.app.scope() as scope:
        planned = plan_experiment(scope, {**PLAN, "run_in": 7})
    for offset in range(7):
        sim.clock.now = at_local(START + timedelta(days=offset), 20)
        with sim.app.scope() as scope:
            assigned = assignment(scope, get_experiment(scope))
            assert assigned.status == "run_in" and assigned.condition is None
        sim.clock.now = at_local(START + timedelta(days=offset + 1), 9)  # diary next morning
        with sim.app.scope() as scope:
            log_night(scope, START + timedelta(days=offset), False, 2 + offset % 3)
    sim.clock.now = at_local(START + timedelta(days=7), 20)
    with sim.app.scope() as scope:
        shown = show_experiment(scope, planned.id)
    assert shown.precision is not None
    assert _p(shown.precision)["based_on"].startswith("the 7 of 7 run-in nights with sleep quality")
    assert shown.draws[0].first_night == START + timedelta(days=7)


def _p(precision: BaseModel | None) -> dict[str, Any]:
    """A plan's precision as its JSON answer shows it."""
    assert precision is not None
    return precision.model_dump(mode="json")


FROZEN_KEYS = ("based_on", "sd_night", "phi", "sd_pair", "pairs_needed", "expected_half_width95")


def test_a_saved_plan_keeps_its_planning_inputs_when_nights_are_added(sim: Sim) -> None:
    log_history(sim, START - timedelta(days=30), [i % 2 == 0 for i in range(10)])
    sim.clock.now = at_local(START - timedelta(days=1), 18)
    with sim.app.scope() as scope:
        saved = plan_with_precision(scope, PLAN)
    assert saved.precision is not None and _p(saved.precision)["nights_logged"] == 10
    assert _p(saved.precision)["based_on"].startswith("the 10 nights of sleep quality you logged")
    # nights logged afterwards, before the start (backfilled) and inside the experiment
    sim.clock.now = at_local(START + timedelta(days=3), 20)
    with sim.app.scope() as scope:
        for offset in range(1, 20):
            log_night(scope, START - timedelta(days=offset), offset % 2 == 0, 1 + 4 * (offset % 2))
        for offset in range(3):
            log_night(scope, START + timedelta(days=offset), offset % 2 == 0, 5 - 4 * (offset % 2))
    with sim.app.scope() as scope:
        shown = show_experiment(scope, saved.id)
        analysed = analyze_experiment(scope, saved.id)
    assert shown.precision is not None
    for key in FROZEN_KEYS:
        assert _p(shown.precision)[key] == _p(saved.precision)[key], key
        assert _p(analysed.precision)[key] == _p(saved.precision)[key], key
    # the same nights measured afresh would have changed the plan: the freeze is what held it
    with sim.app.scope() as scope:
        exp = get_experiment(scope, saved.id)
        exp.planning = None  # as a plan saved before Bedside kept its inputs
    with sim.app.scope() as scope:
        fresh = _p(show_experiment(scope, saved.id).precision)
    assert fresh is not None and fresh["nights_logged"] == 29
    assert fresh["pairs_needed"] != _p(saved.precision)["pairs_needed"]
    assert fresh["based_on"].endswith(f"fixed on {START + timedelta(days=3)} when first shown")


def test_too_few_nights_when_saved_stay_too_few(sim: Sim) -> None:
    log_history(sim, START - timedelta(days=10), [True, False, True])
    sim.clock.now = at_local(START - timedelta(days=1), 18)
    with sim.app.scope() as scope:
        saved = plan_with_precision(scope, PLAN)
    assert _p(saved.precision) == {
        "available": False,
        "based_on": None,
        "nights_logged": 3,
        "fixed_on": "2025-01-05",
        "message": (
            "When the plan was fixed (2025-01-05), 3 nights of sleep quality had been logged "
            "in the 60 nights before the start; at least 7 are needed to see how precise the "
            "answer can be. Log at least 7 nights of sleep quality (a run-in) before planning "
            "your next experiment."
        ),
    }
    sim.clock.now = at_local(START, 20)
    with sim.app.scope() as scope:
        for offset in range(1, 8):
            log_night(scope, START - timedelta(days=offset), True, 3 + offset % 2)
        shown = show_experiment(scope, saved.id)
    assert shown.precision == saved.precision


def test_the_run_in_estimate_is_fixed_when_the_run_in_ends(sim: Sim) -> None:
    with sim.app.scope() as scope:
        planned = plan_with_precision(scope, {**PLAN, "run_in": 8})
    assert planned.precision is not None and _p(planned.precision)["available"] is False
    assert "the run-in gives the estimate when it ends" in _p(planned.precision)["message"]
    for offset in range(7):  # one run-in night (the last) left unlogged
        sim.clock.now = at_local(START + timedelta(days=offset + 1), 9)  # the morning after
        with sim.app.scope() as scope:
            log_night(scope, START + timedelta(days=offset), False, 2 + offset % 3)
    sim.clock.now = at_local(START + timedelta(days=8), 20)
    with sim.app.scope() as scope:
        ended = _p(show_experiment(scope, planned.id).precision)
    assert ended is not None and ended["available"] is True
    assert ended["based_on"] == (
        "the 7 of 8 run-in nights with sleep quality logged, fixed on 2025-01-14 when the "
        "run-in ended"
    )
    with sim.app.scope() as scope:
        log_night(scope, START + timedelta(days=7), False, 5)  # the missing run-in night
        later = _p(show_experiment(scope, planned.id).precision)
    assert later == ended


def test_multi_arm_plan_schedules_every_level_in_each_block(sim: Sim) -> None:
    levels = ["0 g", "usual dose", "usual dose, 3 h before bed"]
    with sim.app.scope() as scope:
        out = plan_experiment(scope, {**PLAN, "levels": levels, "pairs": 3})
        exp = get_experiment(scope, out.id)
    assert out.reference == "0 g"
    assert out.smallest_possible_p == pytest.approx(1 / 36)
    assert out.end == START + timedelta(days=3 * 3 * 7 - 1)
    assert not xp.takes_kratom("0 g") and xp.takes_kratom("usual dose")
    drawn = {b: list(plan_of(exp).levels) for b in range(1, 4)}
    slots = xp.all_slots(spec_of(exp), drawn)
    assert len(slots) == 63 and {s.period for s in slots} == {1, 2, 3}


def test_calendar_matches_the_analysis_schedule(sim: Sim) -> None:
    with sim.app.scope() as scope:
        out = plan_experiment(scope, {**PLAN, "run_in": 3, "washout": 2})
        exp = get_experiment(scope, out.id)
    plan = plan_of(exp)
    reference = build_schedule(plan)
    orders = {
        b + 1: list(dict.fromkeys(str(n.condition) for n in reference if n.block == b))
        for b in range(plan.blocks)
    }
    ours = xp.all_slots(spec_of(exp), orders)
    assert len(ours) == len(reference)
    for mine, theirs in zip(ours, reference, strict=True):
        assert mine.night == theirs.night
        assert mine.condition == theirs.condition
        assert mine.washout == theirs.washout and mine.run_in == theirs.run_in
        assert mine.block == (None if theirs.block is None else theirs.block + 1)


def test_analysis_before_any_night_is_in_progress(sim: Sim) -> None:
    with sim.app.scope() as scope:
        plan_experiment(scope, PLAN)
        result = analyze_experiment(scope)
    assert result.status == "in_progress"
    assert result.summary[0] == "Experiment in progress, no conclusion yet."
    assert result.experiment.status == "planned"
