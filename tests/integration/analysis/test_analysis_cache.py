"""The analysis cache: remembered answers equal fresh ones, and every kind of write makes the
next read fresh (SQLite, and PostgreSQL through the ``database`` fixture)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from bedside.services import diary, doses, profiles
from bedside.services.backup import json_bytes
from bedside.services.delete_all import delete_all
from bedside.services.experiments.analysis import analyze_experiment
from bedside.services.experiments.page import (
    _experiment_page,
    experiment_analysis,
    experiment_page,
)
from bedside.services.experiments.plan import plan_experiment, stop_experiment
from bedside.services.experiments.schemas import ExperimentAnalysisOut
from bedside.services.history_page import _history_page, history_page
from bedside.services.imports import import_file
from bedside.services.insights import insights
from bedside.services.insights_schemas import InsightsOut
from bedside.services.insights_view import _insights_page, insights_page, insights_result
from bedside.services.report import _build_report, build_report, report_page
from bedside.services.restore import restore_backup
from bedside.services.scope import Scope
from bedside.storage.cache import ComputedResult
from bedside.storage.models import User
from tests.integration.analysis.conftest import (
    START,
    Sim,
    at_local,
    log_history,
    simulate_experiment,
)

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
FITBIT = SAMPLES / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_1_item.json"
#: 40 nights from START: a dose (True), none (False) or nothing logged (None).
PATTERN: list[bool | None] = [True, False, None, True, False] * 8
EMPTY_NIGHT = START + timedelta(days=2)
T = TypeVar("T")
RANGE = (START, START + timedelta(days=len(PATTERN) - 1))


def _read(sim: Sim, read: Callable[[Scope], T]) -> T:
    with sim.app.scope() as scope:
        return read(scope)


def _write(sim: Sim, write: Callable[[Scope], object]) -> None:
    with sim.app.scope() as scope:
        write(scope)


def _version(sim: Sim) -> int:
    return _read(sim, lambda s: int(s.session.scalar(select(User.data_version)) or 0))


def _stored(sim: Sim, kind: str) -> int:
    return _read(
        sim,
        lambda s: int(
            s.session.scalar(
                select(func.count()).select_from(ComputedResult).where(ComputedResult.kind == kind)
            )
            or 0
        ),
    )


def _json(model: BaseModel) -> object:
    return json.loads(model.model_dump_json())


@pytest.fixture
def logged(sim: Sim) -> Sim:
    """40 nights of doses and diaries; the clock on the evening after the last."""
    log_history(sim, START, PATTERN)
    sim.clock.now = at_local(RANGE[1] + timedelta(days=1), 20)
    return sim


def _kratom_nights(sim: Sim) -> int:
    return _read(sim, lambda s: insights_result(s, "quality").counts.with_kratom)


def _outcome_nights(sim: Sim) -> int:
    return _read(sim, lambda s: insights_page(s, "quality").insights.counts.outcome_logged)


#: The longest range History shows night by night in full (longer ones are a row a night).
DETAIL = (START, START + timedelta(days=30))


def _history(sim: Sim, start: date = DETAIL[0], end: date = DETAIL[1]) -> dict[date, object]:
    page = _read(sim, lambda s: history_page(s, start, end))
    return {n.night: n for n in page.nights}


def test_remembered_answers_equal_freshly_computed_ones(sim: Sim) -> None:
    experiment = simulate_experiment(sim, pairs=3)
    sim.clock.now = at_local(START + timedelta(days=32), 20)
    year = (START - timedelta(days=300), START + timedelta(days=40))
    cases: list[tuple[str, Callable[[Scope], BaseModel], Callable[[Scope], BaseModel]]] = [
        (
            "insights_page",
            lambda s: insights_page(s, "quality"),
            lambda s: _insights_page(s, "quality", None, None),
        ),
        (
            "insights",
            lambda s: insights_result(s, "quality", START),
            lambda s: InsightsOut.model_validate(insights(s, "quality", START)),
        ),
        ("history_page", lambda s: history_page(s, *year), lambda s: _history_page(s, *year)),
        (
            "experiment_page",
            lambda s: experiment_page(s, experiment),
            lambda s: _experiment_page(s, experiment),
        ),
        (
            "experiment_analysis",
            lambda s: experiment_analysis(s, None),
            lambda s: ExperimentAnalysisOut.model_validate(analyze_experiment(s, None)),
        ),
        ("report", lambda s: build_report(s), lambda s: _build_report(s, None, None)),
    ]
    for kind, cached, fresh in cases:
        for _ in range(3):  # the first look after the experiment ended records that it did
            first = _read(sim, cached)
            if _stored(sim, kind):
                break
        assert _stored(sim, kind) == 1, kind
        version = _version(sim)
        again = _read(sim, cached)
        assert _version(sim) == version, f"reading {kind} wrote the person's data"
        computed = _read(sim, fresh)
        assert _json(again) == _json(computed) == _json(first), kind


def test_a_dose_added_edited_and_deleted_each_show_on_the_next_read(logged: Sim) -> None:
    before = _kratom_nights(logged)
    added = _read(
        logged, lambda s: doses.add_dose(s, {"amount": 2, "time": "21:30", "night": EMPTY_NIGHT})
    )
    assert _kratom_nights(logged) == before + 1
    assert [d.amount for d in _history(logged)[EMPTY_NIGHT].doses] == [2]  # type: ignore[attr-defined]
    _write(logged, lambda s: doses.edit_dose(s, added.id, {"amount": 4.5}))
    assert [d.amount for d in _history(logged)[EMPTY_NIGHT].doses] == [4.5]  # type: ignore[attr-defined]
    _write(logged, lambda s: doses.delete_dose(s, added.id))
    assert _history(logged)[EMPTY_NIGHT].doses == []  # type: ignore[attr-defined]
    assert _kratom_nights(logged) == before


def test_a_diary_entry_shows_on_the_next_read(logged: Sim) -> None:
    before = _outcome_nights(logged)
    entry = {
        "night": EMPTY_NIGHT,
        "bedtime": "23:00",
        "tried": "23:10",
        "sol_min": 25,
        "awakenings": 1,
        "waso_min": 10,
        "final_wake": "06:40",
        "out_of_bed": "07:00",
        "quality": 4,
        "rested": 4,
    }
    _write(logged, lambda s: diary.add_entry(s, entry))
    assert _outcome_nights(logged) == before + 1


def test_a_profile_change_shows_on_the_next_read(logged: Sim) -> None:
    assert _history(logged)[EMPTY_NIGHT].bedtime.endswith("23:00:00-05:00")  # type: ignore[attr-defined]
    _write(logged, lambda s: profiles.set_profile(s, {"bedtime": "22:15"}))
    assert _history(logged)[EMPTY_NIGHT].bedtime.endswith("22:15:00-05:00")  # type: ignore[attr-defined]


def test_an_import_of_a_sample_file_shows_on_the_next_read(logged: Sim) -> None:
    span = (date(2023, 5, 10), date(2023, 5, 14))
    assert _read(logged, lambda s: history_page(s, *span)).wearable == {}
    _write(logged, lambda s: import_file(s, "fitbit", FITBIT))
    shown = _read(logged, lambda s: history_page(s, *span)).wearable
    assert list(shown) == [date(2023, 5, 12)] and shown[date(2023, 5, 12)].asleep_min == 465


def test_delete_all_and_a_restore_each_show_on_the_next_read(logged: Sim) -> None:
    backup = _read(logged, json_bytes)
    kratom = _kratom_nights(logged)
    assert kratom > 0 and _stored(logged, "insights") == 1
    _write(logged, lambda s: delete_all(s, "DELETE"))
    assert _stored(logged, "insights") == 0  # delete-all takes the person's results with it
    assert _read(logged, lambda s: insights_result(s, "quality").status) == "no_data"
    _write(logged, lambda s: restore_backup(s, backup, merge=True))
    assert _kratom_nights(logged) == kratom


def test_an_experiment_change_shows_on_the_next_read(logged: Sim) -> None:
    plan = {"question": "Does kratom help me sleep?", "outcome": "quality", "threshold": 0.5}
    planned = _read(logged, lambda s: plan_experiment(s, plan))
    for _ in range(2):  # the first look freezes the expected precision into the plan
        page = _read(logged, lambda s: experiment_page(s, planned.id))
        assert page.experiment.status == "planned"
    assert _stored(logged, "experiment_page") == 1
    _write(logged, lambda s: stop_experiment(s, planned.id))
    assert _read(logged, lambda s: experiment_page(s, planned.id)).experiment.status == "stopped"


def test_a_write_that_is_rolled_back_leaves_the_version_and_the_answer(logged: Sim) -> None:
    before = _kratom_nights(logged)
    version = _version(logged)

    def fails(scope: Scope) -> None:
        doses.add_dose(scope, {"amount": 2, "time": "21:30", "night": EMPTY_NIGHT})
        raise RuntimeError("the request failed after the write")

    with pytest.raises(RuntimeError):
        _write(logged, fails)
    assert _version(logged) == version
    assert _kratom_nights(logged) == before
    assert _version(logged) == version


def test_each_write_moves_the_version_once_and_reads_never(logged: Sim) -> None:
    version = _version(logged)
    _kratom_nights(logged)
    _history(logged)
    assert _version(logged) == version
    _write(
        logged, lambda s: doses.add_dose(s, {"amount": 2, "time": "21:30", "night": EMPTY_NIGHT})
    )
    assert _version(logged) == version + 1


def test_a_result_of_another_night_is_not_read(logged: Sim) -> None:
    """Results depend on "today": the next evening computes again, without any write."""
    first = _read(logged, history_page)
    logged.clock.now += timedelta(days=1)
    later = _read(logged, history_page)
    assert later.end == first.end + timedelta(days=1)
    assert later.nights[0].night == first.nights[0].night + timedelta(days=1)


def test_a_second_analyze_answers_without_loading_pandas(
    logged: Sim, database: str, tmp_path: Path
) -> None:
    """``bedside analyze --json`` computes once; the next run reads the stored answer."""
    if "://" in database:
        pytest.skip("one database is enough to watch the imports")
    from tests.integration.cli.test_cli_setup import PROBE

    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "--db", database, "analyze", "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "BEDSIDE_DATA_DIR": str(tmp_path / "data")},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        runs.append((json.loads(done.stdout), done.stderr.split("HEAVY=")[1].split(",")))
    (first, heavy_first), (second, heavy_second) = runs
    assert "pandas" in heavy_first and "pandas" not in heavy_second
    assert first == second
    assert first["counts"]["with_kratom"] == _kratom_nights(logged)


def test_the_report_page_draws_its_charts_once_per_change(
    logged: Sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside.reports import report_charts as charts_module

    drawn: list[int] = []
    draw = charts_module.report_charts

    def counting(nights: object) -> list[tuple[str, str]]:
        drawn.append(1)
        return draw(nights)  # type: ignore[arg-type]

    monkeypatch.setattr(charts_module, "report_charts", counting)
    first = _read(logged, report_page)
    again = _read(logged, report_page)
    assert len(drawn) == 1 and again.body == first.body and "<img" in first.body
    _write(
        logged, lambda s: doses.add_dose(s, {"amount": 2, "time": "21:30", "night": EMPTY_NIGHT})
    )
    later = _read(logged, report_page)
    assert len(drawn) == 2 and later.body != first.body
