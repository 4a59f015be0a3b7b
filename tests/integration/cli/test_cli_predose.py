"""``dose add`` and ``plan tonight``: the pre-dose check over the resolved dose, at its time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import Cli
from tests.factories import add_dose

NEW_YORK = ZoneInfo("America/New_York")


def past_night(days: int = 10) -> str:
    """A night well in the past in the profile's zone (the CLI runs on the real clock)."""
    return (datetime.now(NEW_YORK).date() - timedelta(days=days)).isoformat()


def ids(findings: list[dict[str, object]]) -> set[str]:
    return {str(f["id"]) for f in findings}


def test_a_regular_gabapentin_is_in_every_dose_check(profiled_cli: Cli) -> None:
    profiled_cli("profile", "set", "--med", "gabapentin")
    body = add_dose(profiled_cli, "21:00", 2, night=past_night(), json=True).json()
    gaba = next(f for f in body["findings"] if f["id"] == "interaction.gabapentinoids")
    assert gaba["severity"] == "avoid" and gaba["sources"] and gaba["as_of"]
    shown = add_dose(profiled_cli, "21:00", 2, night=past_night(12))
    assert "gabapentin" in shown.stdout.lower() and "avoid" in shown.stdout.lower()


def test_a_dose_given_by_batch_alone_is_counted_in_grams(profiled_cli: Cli) -> None:
    profiled_cli("profile", "set", "--cap-dose", "1.5")
    product = profiled_cli(
        "product",
        "add",
        "--name",
        "Red caps",
        "--form",
        "capsules",
        "--grams-per-capsule",
        "0.5",
        "--json",
    ).json()
    batch = profiled_cli("product", "batch", str(product["id"]), "--lot", "L1", "--json").json()
    body = add_dose(
        profiled_cli, "21:00", 4, unit="capsules", batch=batch["id"], night=past_night(), json=True
    ).json()
    assert body["grams"] == 2
    assert "predose.cap.per-dose" in ids(body["findings"])
    assert "predose.cap.per-dose-unknown" not in ids(body["findings"])


def test_a_second_dose_names_the_first(profiled_cli: Cli) -> None:
    night = past_night()
    first = add_dose(profiled_cli, "21:40", 3, night=night, json=True).json()
    assert "predose.second-dose" not in ids(first["findings"])
    again = add_dose(profiled_cli, "22:10", 1, night=night, acknowledge=True, json=True).json()
    second = next(f for f in again["findings"] if f["id"] == "predose.second-dose")
    assert second["severity"] == "caution"
    assert "You logged 3 g at 21:40" in str(second["summary"])
    assert "this would be a second dose" in str(second["summary"])
    assert again["acknowledged"] is True


def test_plan_for_a_past_date_is_checked_at_that_nights_intake_time(profiled_cli: Cli) -> None:
    night = past_night()
    profiled_cli(
        "intake", "add", "--kind", "alcohol", "--amount", "2", "--night", night, "--time", "20:30"
    )
    plan = profiled_cli("plan", "tonight", "--date", night, "--json").json()
    assert plan["intake_time"].startswith(f"{night}T22:00")
    alcohol = next(f for f in plan["findings"] if f["id"] == "predose.recent-alcohol")
    assert "20:30" in str(alcohol["summary"])
    assert not ids(plan["findings"]) & {"predose.bedtime-lead", "predose.after-bedtime"}
    assert "minutes after the bedtime" not in str(plan["findings"])
    tonight = profiled_cli("plan", "tonight", "--json").json()
    assert "predose.recent-alcohol" not in ids(tonight["findings"])


def test_plan_for_a_past_date_sees_a_dose_already_logged_that_evening(profiled_cli: Cli) -> None:
    night = past_night()
    add_dose(profiled_cli, "21:40", 3, night=night)
    plan = profiled_cli("plan", "tonight", "--date", night, "--json").json()
    second = next(f for f in plan["findings"] if f["id"] == "predose.second-dose")
    assert "You logged 3 g at 21:40" in str(second["summary"])
    assert date.fromisoformat(plan["night"]) == date.fromisoformat(night)
