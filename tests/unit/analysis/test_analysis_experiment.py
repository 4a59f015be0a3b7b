"""Analysis of a planned randomised experiment, from "in progress" to complete."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from bedside.analysis.design import ExperimentPlan, ScheduledNight, build_schedule
from bedside.analysis.experiment import IN_PROGRESS, analyse_experiment
from bedside.analysis.summary import experiment_sentences


def _plan(**changes: object) -> ExperimentPlan:
    base: dict[str, object] = {
        "question": "Does kratom help my sleep?",
        "outcome": "quality",
        "mid": 0.5,
        "start": date(2024, 1, 1),
        "seed": 2024,
        "blocks": 6,
        "nights_per_period": 6,
        "washout_nights": 1,
    }
    base.update(changes)
    return ExperimentPlan(**base)  # type: ignore[arg-type]


def _outcomes(
    nights: tuple[ScheduledNight, ...], effects: dict[str, float], seed: int = 0
) -> dict[date, float | None]:
    rng = np.random.default_rng(seed)
    out: dict[date, float | None] = {}
    for n in nights:
        if n.condition is None:
            continue
        skipped = rng.random() < 0.1
        out[n.night] = None if skipped else 3.0 + effects.get(n.condition, 0.0) + rng.normal(0, 0.5)
    return out


def test_two_complete_pairs_is_only_in_progress() -> None:
    plan = _plan()
    nights = build_schedule(plan)
    outcomes = _outcomes(nights, {"kratom": 1.0})
    result = analyse_experiment(plan, nights, outcomes, as_of=nights[2 * 12 - 1].night)
    assert result.status == "in_progress"
    assert result.complete_blocks == 2
    assert result.comparisons == ()
    assert result.messages[0] == IN_PROGRESS
    assert len(result.periods) == 4
    assert experiment_sentences(result, plan)[0] == IN_PROGRESS


def test_interim_after_three_pairs_then_complete() -> None:
    plan = _plan()
    nights = build_schedule(plan)
    outcomes = _outcomes(nights, {"kratom": 1.0})
    interim = analyse_experiment(plan, nights, outcomes, as_of=nights[3 * 12 - 1].night)
    assert interim.status == "interim"
    final = analyse_experiment(plan, nights, outcomes)
    assert final.status == "complete"
    (comparison,) = final.comparisons
    assert comparison.level == "kratom" and comparison.reference == "no kratom"
    assert comparison.paired.k == 6
    assert comparison.paired.estimate == pytest.approx(1.0, abs=0.35)
    assert comparison.randomisation.min_p == pytest.approx(2 / 64)
    assert comparison.randomisation.p_value == pytest.approx(2 / 64)
    assert comparison.bayes is not None and comparison.bayes.shown.p_benefit > 0.95
    assert comparison.nonoverlap.nap > 0.8
    assert comparison.night_model is not None
    assert comparison.night_model.estimate == pytest.approx(1.0, abs=0.35)
    assert final.carry_over is not None
    sentences = experiment_sentences(final, plan)
    assert sentences[0].startswith("Over your 6 kratom and 6 no kratom periods, sleep quality was")
    assert any("very likely worth it" in s or "probably worth it" in s for s in sentences)


def test_analysis_is_by_assignment_and_reports_adherence() -> None:
    plan = _plan()
    nights = build_schedule(plan)
    outcomes = _outcomes(nights, {})
    followed = {n.night: (i % 10 != 0) for i, n in enumerate(nights)}
    result = analyse_experiment(plan, nights, outcomes, followed=followed)
    assert result.adherence is not None
    assert result.adherence.assigned_nights == 72
    assert result.adherence.not_followed == 8
    assert any("did not follow the plan" in s for s in experiment_sentences(result, plan))


def test_multi_level_dose_blocks_compare_each_level_with_the_reference() -> None:
    plan = _plan(levels=("none", "low", "usual"), reference="none", blocks=4)
    nights = build_schedule(plan)
    outcomes = _outcomes(nights, {"low": 0.3, "usual": 1.2}, seed=3)
    result = analyse_experiment(plan, nights, outcomes)
    assert result.status == "complete"
    assert [c.level for c in result.comparisons] == ["low", "usual"]
    usual = result.comparisons[1]
    assert usual.paired.estimate == pytest.approx(1.2, abs=0.4)
    assert result.omnibus is not None and result.omnibus.exact
    assert result.omnibus.min_p == pytest.approx(1 / 6**3)


def test_pre_set_early_stopping_rule() -> None:
    plan = _plan(early_stopping=True)
    nights = build_schedule(plan)
    outcomes = _outcomes(nights, {"kratom": 2.0})
    three = analyse_experiment(plan, nights, outcomes, as_of=nights[3 * 12 - 1].night)
    assert three.status == "interim" and not three.stop_early
    four = analyse_experiment(plan, nights, outcomes, as_of=nights[4 * 12 - 1].night)
    assert four.stop_early
    assert "stopping rule" in four.messages[0]
    without_rule = analyse_experiment(_plan(), nights, outcomes, as_of=nights[4 * 12 - 1].night)
    assert not without_rule.stop_early


def test_identical_pair_differences_are_reported_honestly() -> None:
    # Every period has the same pattern of nights (3 and 5 alternating), kratom +0.6: all six
    # pair differences are 0.6, so their SD is 0. The old code printed "range of plausible
    # values 0.60 to 0.60" and a chance of "over 99%".
    plan = _plan()
    nights = build_schedule(plan)
    outcomes: dict[date, float | None] = {
        n.night: 3.0 + 2.0 * (n.night.toordinal() % 2) + (0.6 if n.condition == "kratom" else 0)
        for n in nights
        if n.condition is not None
    }
    (c,) = analyse_experiment(plan, nights, outcomes).comparisons
    assert [p.difference for p in c.pairs] == pytest.approx([0.6] * 6)
    assert c.paired.ci95 is None and c.paired.ci90 is None and c.paired.p_value is None
    assert c.paired.note is not None
    assert c.randomisation.p_value == pytest.approx(2 / 64) == c.randomisation.min_p
    assert c.bayes is not None and c.bayes.sceptical is not None
    assert c.bayes.note is not None and "within your periods" in c.bayes.note
    assert 0.5 < c.bayes.flat.p_benefit < 0.99 and 0.5 < c.bayes.sceptical.p_benefit < 0.99
    text = " ".join(experiment_sentences(analyse_experiment(plan, nights, outcomes), plan))
    assert "range of plausible values 0" not in text and "over 99%" not in text
    assert "0.60 points (1-5) higher with kratom, by the same amount in every pair" in text
    assert "agreed exactly" in text and "cannot be estimated from 6 pairs" in text
    assert "3% of the possible orders (the rarest result 6 pairs can give)" in text
    assert "no worthwhile difference" not in text


def test_identical_pair_differences_with_a_run_in_anchor() -> None:
    plan = _plan()
    nights = build_schedule(plan)
    outcomes: dict[date, float | None] = {
        n.night: 3.0 + (0.6 if n.condition == "kratom" else 0.0)
        for n in nights
        if n.condition is not None
    }
    (c,) = analyse_experiment(plan, nights, outcomes, sigma_anchor=0.8).comparisons
    assert c.paired.ci95 is None
    assert c.bayes is not None and c.bayes.note is not None and "earlier nights" in c.bayes.note
    assert c.bayes.shown.p_benefit < 0.99
