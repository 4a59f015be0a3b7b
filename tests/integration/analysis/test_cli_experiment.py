"""``bedside experiment ...``: a simulated 6-pair experiment from plan to lay summary."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from bedside.analysis.allocation import block_order
from bedside.domain.errors import ConflictError
from bedside.services.experiments.calendar import experiment_ics
from bedside.services.experiments.plan import stop_experiment
from tests.conftest import Cli
from tests.integration.analysis.conftest import Sim, simulate_experiment


def test_completed_experiment_prints_the_lay_summary(sim: Sim, profiled_cli: Cli) -> None:
    simulate_experiment(sim)
    shown = profiled_cli("experiment", "analyze")
    text = shown.stdout
    assert "Over your 6 kratom and 6 no kratom periods, sleep quality was" in text
    assert "Chance kratom improves your sleep quality at all:" in text
    assert "by at least your 0.50 threshold" in text
    assert "What this does not show:" in text
    assert "in progress" not in text.lower()
    assert "significant" not in text.lower()


def test_completed_experiment_json_has_the_numbers(sim: Sim, profiled_cli: Cli) -> None:
    experiment_id = simulate_experiment(sim)
    result = profiled_cli("experiment", "analyze", str(experiment_id), "--json").json()
    assert result["status"] == "complete"
    assert result["label"] == "randomised self-experiment"
    body = result["result"]
    assert body["complete_blocks"] == 6 and body["planned_blocks"] == 6
    (comparison,) = body["comparisons"]
    assert (comparison["level"], comparison["reference"]) == ("kratom", "no kratom")
    assert len(comparison["pairs"]) == 6
    assert comparison["paired"]["k"] == 6
    assert 0.4 < comparison["paired"]["estimate"] < 1.6  # simulated effect: +1 point
    assert comparison["randomisation"]["min_p"] == pytest.approx(2 / 64)
    assert comparison["bayes"]["sceptical"]["p_benefit"] > 0.9
    assert body["adherence"] == {
        "assigned_nights": 60,
        "followed": 60,
        "not_followed": 0,
        "unknown": 0,
    }
    assert [p["block"] for p in body["periods"]][:4] == [1, 1, 2, 2]


def test_draws_are_recorded_before_each_block_and_follow_the_seed(
    sim: Sim, profiled_cli: Cli
) -> None:
    simulate_experiment(sim)
    shown = profiled_cli("experiment", "show", "--json").json()
    assert shown["status"] == "complete"
    draws = shown["draws"]
    assert [d["block"] for d in draws] == [1, 2, 3, 4, 5, 6]
    assert all(d["drawn_before_start"] for d in draws)
    for draw in draws:
        expected = block_order(shown["seed"], draw["block"] - 1, ["kratom", "no kratom"])
        assert draw["order"] == list(expected)
        assert draw["randomised_at"].startswith(draw["first_night"])
    assert shown["adherence"]["followed"] == 60
    assert sum(1 for n in shown["schedule"] if n["washout"]) == 12


def test_two_pairs_is_in_progress_with_no_conclusion(sim: Sim, profiled_cli: Cli) -> None:
    simulate_experiment(sim, run_through=2)
    text = profiled_cli("experiment", "analyze").stdout
    assert "Experiment in progress, no conclusion yet." in text
    # a 6-pair plan: the count is of the planned blocks, the first result comes after 3
    assert "2 of 6 planned blocks complete; a first result comes after 3 (1 to go)." in text
    assert "Chance" not in text and "periods, sleep quality was" not in text
    result = profiled_cli("experiment", "analyze", "--json").json()
    assert result["status"] == "in_progress"
    assert result["result"]["comparisons"] == []
    assert result["result"]["complete_blocks"] == 2


def test_nights_not_followed_are_counted_and_analysed_as_planned(
    sim: Sim, profiled_cli: Cli
) -> None:
    experiment_id = simulate_experiment(sim, run_through=3)
    from bedside.services import doses

    with sim.app.scope() as scope:  # a dose on a "no kratom" night of block 1
        show = profiled_cli("experiment", "show", "--json").json()
        off = next(n for n in show["schedule"] if n["condition"] == "no kratom")
        doses.add_dose(scope, {"amount": 2, "time": "22:00", "night": off["night"]})
    result = profiled_cli("experiment", "analyze", str(experiment_id), "--json").json()
    adherence = result["result"]["adherence"]
    assert adherence["not_followed"] == 1
    assert adherence["followed"] + adherence["unknown"] + 1 == adherence["assigned_nights"]
    assert any("did not follow the plan" in s for s in result["summary"])


def test_ics_has_one_event_per_night(sim: Sim, profiled_cli: Cli, tmp_path: Path) -> None:
    simulate_experiment(sim)
    out = tmp_path / "schedule.ics"
    done = profiled_cli("experiment", "ics", "--out", str(out))
    assert "Wrote 60 nights" in done.stdout
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) == 60
    assert len({str(e.get("uid")) for e in events}) == 60
    first = events[0]
    assert first.decoded("dtstart") == datetime(2025, 1, 7, 3, 0, tzinfo=UTC)  # 22:00 NY
    assert first.decoded("dtend") == datetime(2025, 1, 7, 4, 0, tzinfo=UTC)  # bedtime 23:00
    summaries = [str(e.get("summary")) for e in events]
    assert sum(s.endswith(("kratom", "kratom (washout)")) for s in summaries) == 60
    assert sum("(washout)" in s for s in summaries) == 12


def test_ics_during_the_experiment_keeps_later_blocks_undrawn(sim: Sim) -> None:
    simulate_experiment(sim, run_through=1)  # the clock stays on the 10th night
    with sim.app.scope() as scope:
        data = experiment_ics(scope)
    summaries = [str(e.get("summary")) for e in Calendar.from_ical(data).walk("VEVENT")]
    assert len(summaries) == 60
    assert all("kratom" in s for s in summaries[:10])
    assert all("drawn when the block starts" in s for s in summaries[10:])


def test_stop_ends_the_experiment(sim: Sim, profiled_cli: Cli) -> None:
    simulate_experiment(sim, run_through=4)  # the clock stays on the 40th night
    with sim.app.scope() as scope:
        stopped = stop_experiment(scope)
        assert stopped.status == "stopped"
        assert stopped.stopped_night == date(2025, 2, 14)
        with pytest.raises(ConflictError, match="already stopped"):
            stop_experiment(scope)
    again = profiled_cli("experiment", "stop", ok=False)
    assert again.code == 2 and again.stderr == "error: experiment 1 is already stopped\n"
    result = profiled_cli("experiment", "analyze", "--json").json()
    assert result["experiment"]["status"] == "stopped"
    assert result["as_of"] == "2025-02-14"
    assert result["status"] == "interim"
    assert result["summary"][0].startswith("You stopped this experiment")
    assigned = profiled_cli("experiment", "assign", "--json").json()
    assert assigned["status"] == "stopped"


def test_show_and_list_for_people(sim: Sim, profiled_cli: Cli) -> None:
    experiment_id = simulate_experiment(sim, run_through=1)
    text = profiled_cli("experiment", "show").stdout
    assert f"Experiment {experiment_id} (complete)" in text  # the real clock is past the end
    assert "6 pairs of 5-night periods" in text
    assert "Followed the plan on 10 of 60 assigned nights (0 not followed, 50 with nothing" in text
    listed = profiled_cli("experiment", "list", "--json").json()
    assert [e["id"] for e in listed] == [experiment_id]
    assert "complete" in profiled_cli("experiment", "list").stdout
