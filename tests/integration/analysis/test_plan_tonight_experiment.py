"""``plan tonight`` carries the experiment's assignment, draws the block, and stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bedside.services import planning
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.storage.experiments import ExperimentBlock
from tests.conftest import Cli
from tests.integration.analysis.conftest import START, Sim, at_local


def test_plan_tonight_includes_the_assignment(profiled_cli: Cli) -> None:
    tonight = profiled_cli("plan", "tonight", "--json").json()
    assert tonight["experiment"] is None
    profiled_cli(
        "experiment", "plan", "--question", "Does kratom help my sleep?", "--outcome",
        "quality", "--threshold", "0.5", "--start", tonight["night"],
    )  # fmt: skip
    plan = profiled_cli("plan", "tonight", "--json").json()
    brief = plan["experiment"]
    assert brief["status"] == "assigned"
    assert brief["condition"] in ("kratom", "no kratom")
    assert (brief["block"], brief["period"], brief["night_in_period"]) == (1, 1, 1)
    assert brief["washout"] is True
    assert brief["question"] == "Does kratom help my sleep?"
    assert brief["condition"] in brief["instruction"]
    shown = profiled_cli("experiment", "show", "--json").json()
    assert len(shown["draws"]) == 1  # drawn_before_start depends on the hour the test runs
    assert shown["draws"][0]["order"][0] == brief["condition"]
    assigned = profiled_cli("experiment", "assign", "--json").json()
    assert assigned["condition"] == brief["condition"]
    human = profiled_cli("experiment", "assign").stdout
    assert f"Condition: {brief['condition']} (washout)" in human


def test_block_is_drawn_when_its_first_night_arrives(sim: Sim) -> None:
    with sim.app.scope() as scope:
        exp = plan_experiment(
            scope,
            {"question": "Q", "outcome": "quality", "threshold": 0.5, "nights": 4, "washout": 1},
        )
        before = planning.plan_tonight(scope)
        assert before.experiment is not None
        assert before.experiment.status == "not_started"
        assert scope.session.scalars(select(ExperimentBlock)).all() == []
        later = planning.plan_tonight(scope, START + timedelta(days=3))
        assert later.experiment is not None and later.experiment.status == "not_drawn"
    for offset, drawn in ((0, 1), (7, 1), (8, 2)):
        sim.clock.now = at_local(START + timedelta(days=offset), 19)
        with sim.app.scope() as scope:
            brief = planning.plan_tonight(scope).experiment
            assert brief is not None and brief.status == "assigned"
            rows = scope.session.scalars(select(ExperimentBlock)).all()
            assert len(rows) == drawn
            assert rows[-1].randomised_at == at_local(START + timedelta(days=8 * (drawn - 1)), 19)
    with sim.app.scope() as scope:
        assert get_experiment(scope, exp.id).status == "running"


PROBE = """
import sys
from bedside.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in ("pandas", "scipy", "numpy", "statsmodels") if m in sys.modules)
    print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def test_plan_tonight_with_an_experiment_stays_light(tmp_path: Path) -> None:
    db = str(tmp_path / "light.db")

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "--db", db, *args],
            capture_output=True, text=True, env={**os.environ}, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stderr

    run("init", "--yes", "--timezone", "UTC")
    run("experiment", "plan", "--question", "Q", "--outcome", "quality", "--threshold", "0.5")
    for args in (("plan", "tonight", "--json"), ("experiment", "assign", "--json")):
        assert "HEAVY=\n" in run(*args), args
