"""A study's export carries the participants' randomised experiments and a pooled summary."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bedside.services import diary, doses, profiles
from bedside.services.experiments.assignment import assignment
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.services.runtime import Bedside
from bedside.services.studies import join, withdraw
from bedside.storage.experiments import Experiment
from tests.conftest import Cli
from tests.integration.accounts.conftest import server_settings
from tests.integration.analysis.conftest import START, Clock, at_local

CAT = "cat@example.org"
PARTICIPANTS = ("ann@example.org", "bob@example.org", CAT)
PAIRS = 3
#: Each simulated person sleeps 1 point better on the nights of their first level.
TRUE_EFFECT = 1.0


def _typed(email: str) -> tuple[str, str, str]:
    tag = email.split("@")[0].upper()
    return f"{tag}-QUESTION", f"{tag}-TEA-LEVEL", f"{tag}-NOTHING-LEVEL"


def _live_an_experiment(app: Bedside, clock: Clock, user_id: int, email: str, seed: int) -> None:
    """Plan a 3-pair experiment with typed words in it and live it night by night."""
    question, level, nothing = _typed(email)
    clock.now = at_local(START - timedelta(days=1), 18)
    with app.scope(user_id) as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York", "bedtime": "23:00"})
        planned = plan_experiment(
            scope,
            {
                "question": question,
                "outcome": "quality",
                "pairs": PAIRS,
                "nights": 5,
                "washout": 1,
                "levels": [level, nothing],
                "reference": nothing,
            },
        )
        scope.session.get(Experiment, planned.id).seed = seed
    rng = random.Random(seed)
    for offset in range(PAIRS * 10):
        night = START + timedelta(days=offset)
        clock.now = at_local(night, 20)
        with app.scope(user_id) as scope:
            condition = assignment(scope, get_experiment(scope, planned.id)).condition
        clock.now = at_local(night + timedelta(days=1), 9)
        quality = 3 + (int(TRUE_EFFECT) if condition == level else 0) + rng.choice([-1, 0, 0, 1])
        with app.scope(user_id) as scope:
            if condition == level:
                doses.add_dose(scope, {"amount": 3, "time": "22:00", "night": night})
            diary.add_entry(
                scope,
                {
                    "night": night,
                    "bedtime": "23:00",
                    "tried": "23:10",
                    "sol_min": 20,
                    "awakenings": 1,
                    "waso_min": 15,
                    "final_wake": "06:40",
                    "out_of_bed": "07:00",
                    "quality": max(1, min(5, quality)),
                },
            )


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((directory / name).read_text("utf-8"))))


def test_the_export_holds_coded_periods_and_pools_once_three_people_completed(
    database: str, tmp_path: Path, cli: Cli, people: dict[str, int], researcher: str
) -> None:
    ids = dict(people)
    ids[CAT] = cli(
        "user", "add", CAT, "--role", "participant", "--json", input="cat's long password\n"
    ).json()["id"]
    study: dict[str, Any] = cli(
        "study", "create", "--title", "Evening kratom and sleep", "--owner", researcher,
        "--start", "2025-01-01", "--end", "2025-03-31", "--collects", "diary,doses", "--json",
    ).json()  # fmt: skip
    clock = Clock(at_local(START - timedelta(days=2), 12))
    app = Bedside(server_settings(database, tmp_path), clock=clock).start()
    try:
        for seed, email in enumerate(PARTICIPANTS, start=11):
            _live_an_experiment(app, clock, ids[email], email, seed)
        for email in PARTICIPANTS[:2]:
            with app.scope(ids[email]) as scope:
                join(scope.session, ids[email], study["enrolment_code"], True, scope.now)
    finally:
        app.close()

    two = tmp_path / "two"
    cli("study", "export", str(study["id"]), str(two))
    pooled = [r for r in _read(two, "pooled_summary.csv") if r["level"] == "pooled"]
    assert [(r["status"], r["participants"], r["estimate"]) for r in pooled] == [
        ("too_few", "2", "")
    ]
    assert "at least 3 are needed" in (two / "pooled_summary.md").read_text("utf-8")

    app = Bedside(server_settings(database, tmp_path), clock=clock).start()
    with app.scope(ids[CAT]) as scope:
        join(scope.session, ids[CAT], study["enrolment_code"], True, scope.now)
    app.close()
    out = tmp_path / "three"
    written = cli("study", "export", str(study["id"]), str(out), "--json").json()
    assert {"experiment_periods.csv", "pooled_summary.csv", "pooled_summary.md"} <= set(
        written["files"]
    )
    periods = _read(out, "experiment_periods.csv")
    assert len(periods) == 3 * PAIRS * 2 and written["counts"]["experiment_periods"] == 18
    assert {p["condition"] for p in periods} == {"reference", "level_1"}
    assert len({p["study_id"] for p in periods}) == 3
    for period in periods:  # shifted by whole weeks: weekday kept, dates moved
        first = date.fromisoformat(period["first_night"])
        own = START + timedelta(
            days=(int(period["block"]) - 1) * 10 + (int(period["period"]) - 1) * 5
        )
        assert first.weekday() == own.weekday() and first != own
        assert (date.fromisoformat(period["last_night"]) - first).days == 4
    everything = "\n".join(path.read_text("utf-8") for path in out.iterdir())
    for email in PARTICIPANTS:
        for typed in (*_typed(email), email):
            assert typed.lower() not in everything.lower(), typed

    summary = _read(out, "pooled_summary.csv")
    (row,) = [r for r in summary if r["level"] == "pooled"]
    assert row["status"] == "pooled" and row["participants"] == "3"
    low, high = float(row["ci95_low"]), float(row["ci95_high"])
    assert low < TRUE_EFFECT < high and abs(float(row["estimate"]) - TRUE_EFFECT) < 0.5
    assert float(row["prediction95_high"]) - float(row["prediction95_low"]) >= high - low
    people_rows = [r for r in summary if r["level"] == "participant"]
    assert [r["status"] for r in people_rows] == ["completed"] * 3
    assert all(r["ci95_low"] and r["ci95_high"] for r in people_rows)
    text = (out / "pooled_summary.md").read_text("utf-8")
    assert "across 3 participants" in text and "nobody was blinded" in text
    dictionary = {(r["file"], r["column"]) for r in _read(out, "data-dictionary.csv")}
    assert ("experiment_periods.csv", "period_mean") in dictionary
    assert ("pooled_summary.csv", "prediction95_low") in dictionary

    app = Bedside(server_settings(database, tmp_path), clock=clock).start()
    with app.scope(ids[CAT]) as scope:  # cat withdrew on day 12: later nights never flow
        withdraw(scope.session, ids[CAT], study["id"], at_local(START + timedelta(days=12), 12))
    app.close()
    after = tmp_path / "after-withdrawal"
    cli("study", "export", str(study["id"]), str(after))
    per_person = Counter(p["study_id"] for p in _read(after, "experiment_periods.csv"))
    assert sorted(per_person.values()) == [2, 6, 6]  # only cat's periods ended by day 11
    (row,) = [r for r in _read(after, "pooled_summary.csv") if r["level"] == "pooled"]
    assert row["status"] == "too_few"  # cat no longer has 3 complete blocks
