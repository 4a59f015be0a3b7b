"""A new user's evening and morning from the terminal, on a temporary SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import Cli
from tests.factories import add_diary, add_dose


def test_first_evening_and_morning(profiled_cli: Cli, database: str) -> None:
    cli = profiled_cli
    product = cli(
        "product",
        "add",
        "--name",
        "Red Bali",
        "--colour",
        "red",
        "--lot",
        "RB-7",
        "--mitragynine",
        "1.2",
        "--seven-oh",
        "0.02",
        "--contaminants-passed",
        "--json",
    ).json()
    assert product["batches"][0]["lot"] == "RB-7"

    dose = add_dose(
        cli,
        "2025-03-08T22:00",
        3,
        unit="g",
        product=product["id"],
        reason="pain",
        pain_before=6,
        json=True,
    ).json()
    assert dose["night"] == "2025-03-08"
    assert dose["mitragynine_mg"] == pytest.approx(36.0)
    assert dose["time"] == "2025-03-08T22:00:00-05:00"

    add_diary(
        cli,
        "2025-03-08",
        tried="23:10",
        sol=20,
        awakenings=1,
        waso=15,
        final_wake="06:40",
        quality=4,
        rested=3,
    )
    shown = cli("diary", "show", "--night", "2025-03-08", "--json").json()
    assert shown["time_in_bed_min"] == 420  # the spring-forward night
    assert shown["total_sleep_time_min"] == (450 - 60) - 20 - 15
    assert shown["sleep_efficiency_pct"] == pytest.approx(100 * 355 / 420)
    assert shown["final_wake"] == "2025-03-09T06:40:00-04:00"
    for key in (
        "sleep_onset_latency_min",
        "wake_after_sleep_onset_min",
        "awakenings",
        "terminal_wake_min",
        "quality",
        "bedtime",
        "tried",
        "out_of_bed",
    ):
        assert key in shown

    doses = cli("dose", "list", "--json").json()
    assert [d["id"] for d in doses] == [dose["id"]]

    if "://" not in database:
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # per-connection
            stored = conn.execute("SELECT taken_at, tz FROM doses").fetchone()
        assert stored == ("2025-03-09 03:00:00.000000", "America/New_York")


def test_plan_tonight_json_contract(profiled_cli: Cli) -> None:
    cli = profiled_cli
    cli("profile", "set", "--lead", "45")
    for night in ("2025-06-10", "2025-06-11"):
        add_diary(cli, night)
    plan = cli("plan", "tonight", "--json", "--date", "2025-06-14").json()
    assert plan["bedtime"] == "2025-06-14T23:00:00-04:00"
    assert plan["intake_time"] == "2025-06-14T22:15:00-04:00"
    assert plan["lead_min"] == 45
    assert plan["bedtime_sd_min"] is None
    assert next(s["text"] for s in plan["wind_down"]).startswith("Screens off")
    add_diary(cli, "2025-06-12", bedtime="00:00", tried="00:00")
    plan = cli("plan", "tonight", "--json", "--date", "2025-06-14").json()
    assert plan["bedtime_sd_min"] == pytest.approx(34.641, abs=1e-3)
    assert "findings" in plan


def test_profile_set_lists_and_wind_down(profiled_cli: Cli) -> None:
    cli = profiled_cli
    cli(
        "profile",
        "set",
        "--med",
        "Xanax",
        "--med",
        "sertraline",
        "--condition",
        "epilepsy",
        "--step",
        "30:Tea and a book",
        "--cap-dose",
        "4",
        "--cap-day",
        "8",
        "--cap-days-week",
        "4",
    )
    profile = cli("profile", "show", "--json").json()
    assert profile["medications"] == ["Xanax", "sertraline"]
    assert profile["conditions"] == ["epilepsy"]
    assert profile["wind_down"] == [{"text": "Tea and a book", "minutes_before": 30}]
    assert (profile["cap_dose_g"], profile["cap_day_g"], profile["cap_days_week"]) == (4, 8, 4)
    cli("profile", "set", "--clear-caps", "--clear-meds")
    profile = cli("profile", "show", "--json").json()
    assert profile["cap_dose_g"] is None
    assert profile["medications"] == []


def test_other_logs_and_lists(profiled_cli: Cli) -> None:
    cli = profiled_cli
    pain = cli(
        "pain",
        "add",
        "--time",
        "2025-05-01T21:00",
        "--score",
        "6",
        "--location",
        "lower back",
        "--json",
    ).json()
    assert pain["night"] == "2025-05-01"
    sore = cli(
        "soreness", "add", "quads=5", "hamstrings=3", "--time", "2025-05-02T08:00", "--json"
    ).json()
    assert {s["muscle_group"] for s in sore} == {"quads", "hamstrings"}
    assert sore[0]["night"] == "2025-05-01"
    workout = cli(
        "workout",
        "add",
        "--type",
        "strength",
        "--duration",
        "60",
        "--rpe",
        "8",
        "--muscle",
        "quads",
        "--eccentric",
        "--time",
        "2025-05-01T18:00",
        "--json",
    ).json()
    assert workout["muscle_groups"] == ["quads"] and workout["eccentric"] is True
    cli("intake", "add", "--kind", "alcohol", "--amount", "2", "--time", "2025-05-01T20:00")
    cli("intake", "add", "--kind", "caffeine", "--amount", "95", "--time", "2025-05-01T15:00")
    cli(
        "intake",
        "add",
        "--kind",
        "medication",
        "--name",
        "ibuprofen",
        "--amount",
        "400",
        "--unit",
        "mg",
        "--time",
        "2025-05-01T21:00",
    )
    intakes = cli("intake", "list", "--json", "--from", "2025-05-01", "--to", "2025-05-01").json()
    assert [(i["kind"], i["unit"]) for i in intakes] == [
        ("caffeine", "mg"),
        ("alcohol", "drinks"),
        ("medication", "mg"),
    ]
    assert cli("pain", "list", "--json", "--from", "2025-05-02").json() == []
    assert len(cli("soreness", "list", "--json").json()) == 2
    assert len(cli("workout", "list", "--json").json()) == 1


def test_edit_and_delete(profiled_cli: Cli) -> None:
    cli = profiled_cli
    dose = add_dose(cli, "2025-05-01T21:00", 2, json=True).json()
    edited = cli("dose", "edit", str(dose["id"]), "--amount", "2.5", "--json").json()
    assert edited["amount"] == 2.5 and edited["time"] == dose["time"]
    add_diary(cli, "2025-05-01")
    entry = cli(
        "diary", "edit", "--night", "2025-05-01", "--quality", "5", "--sol", "30", "--json"
    ).json()
    assert entry["quality"] == 5 and entry["total_sleep_time_min"] == 450
    cli("diary", "delete", "--night", "2025-05-01")
    cli("dose", "delete", str(dose["id"]))
    assert cli("dose", "list", "--json").json() == []
    assert cli("diary", "list", "--json").json() == []


def test_human_output_is_readable(profiled_cli: Cli) -> None:
    out = profiled_cli("plan", "tonight").stdout
    assert "Intake time" in out and "Wind-down" in out
    profiled_cli("profile", "set", "--med", "Xanax")
    out = profiled_cli("plan", "tonight").stdout
    assert "AVOID" in out and "Sources:" not in out and "--details" in out
    out = profiled_cli("plan", "tonight", "--details").stdout
    assert "AVOID" in out and "alprazolam" in out and "Sources:" in out  # as in --json
    assert "nothing logged yet" in profiled_cli("dose", "list").stdout
