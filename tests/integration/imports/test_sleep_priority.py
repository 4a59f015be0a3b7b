"""The sleep source priority from the CLI: stored in the profile, nights rebuilt with it.

Hand computation for ``synthetic/sleep-priority-overlap.xml`` (times UTC = London in January):

Night 2024-01-10. iPhone InBed 22:30-07:00 and Asleep 23:00-06:30; Watch stages core
23:00-01:00, deep 01:00-02:00, REM 02:00-03:00, awake 03:00-03:20, core 03:20-06:00; Oura
(writing into Apple Health) deep 23:30-01:30, core 01:30-04:30, REM 04:30-06:30.

* Default (Watch > Oura): 22:30-23:00 in bed only (iPhone); 23:00-06:00 the Watch (stage detail
  beats the iPhone's Asleep, rank beats Oura); 06:00-06:30 Oura REM; 06:30-07:00 in bed only.
  in bed 510, asleep 120+60+60+160+30 = 430, deep 60, core 120+160 = 280, REM 60+30 = 90,
  awake 510-430 = 80.
* Oura first: 23:00-23:30 still the Watch (core 30: Oura has nothing there, and the Watch's
  stages beat the iPhone), 23:30-06:30 Oura. asleep 30+120+180+120 = 450, deep 120,
  core 30+180 = 210, REM 120, awake 60.
* iPhone first: no change, since the Watch and Oura have stage detail and the iPhone has none.

Night 2024-01-11. iPhone Asleep 23:00-06:00; Watch (no stages) asleep 23:00-02:00, awake
02:00-03:00, asleep 03:00-06:00. Default: the Watch, asleep 360 of 420. iPhone first: 420.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli

FIXTURE = (
    Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "sleep-priority-overlap.xml"
)
STAGED, PLAIN = "2024-01-10", "2024-01-11"
DEFAULT_STAGED = {"asleep_min": 430, "deep_min": 60, "core_min": 280, "rem_min": 90}
OURA_STAGED = {"asleep_min": 450, "deep_min": 120, "core_min": 210, "rem_min": 120}


@pytest.fixture
def london(cli: Cli) -> Cli:
    cli("profile", "set", "--timezone", "Europe/London")
    return cli


def nights(cli: Cli) -> dict[str, dict[str, Any]]:
    rows = cli("sleep", "list", "--source", "wearable", "--json").json()
    return {row["night"]: row for row in rows}


def figures(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in DEFAULT_STAGED}


def stored(database: str) -> list[object]:
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [row[0] for row in conn.execute(text("SELECT sleep_priority FROM profiles"))]
    engine.dispose()
    return found


def test_default_priority_is_shown(london: Cli, database: str) -> None:
    shown = london("sleep", "priority", "--json").json()
    assert shown["order"] == shown["default_order"]
    assert shown["order"][:2] == ["apple_watch", "oura"] and shown["is_default"] is True
    assert {c["name"] for c in shown["classes"]} == set(shown["order"])
    assert shown["nights_rebuilt"] is None
    table = london("sleep", "priority").stdout
    assert "apple_watch" in table and "(default)" in table
    assert stored(database) == [None]


def test_set_rebuilds_nights_with_the_other_source_and_reset_restores(
    london: Cli, database: str
) -> None:
    london("import", "apple-health", str(FIXTURE))
    before = nights(london)
    assert figures(before[STAGED]) == DEFAULT_STAGED
    assert before[PLAIN]["asleep_min"] == 360

    changed = london("sleep", "priority", "set", "oura", "--json").json()
    assert changed["order"][:3] == ["oura", "apple_watch", "garmin"]
    assert changed["is_default"] is False and changed["nights_rebuilt"] == 2
    after = nights(london)
    assert figures(after[STAGED]) == OURA_STAGED
    assert after[STAGED]["awake_min"] == 60 and after[STAGED]["in_bed_min"] == 510
    assert after[PLAIN] == before[PLAIN]
    assert london("sleep", "priority", "--json").json()["order"] == changed["order"]
    assert "oura" in str(stored(database)[0])

    plain = london("sleep", "priority", "set", "iphone").stdout
    assert "nights rebuilt with this order: 2" in plain
    iphone_first = nights(london)
    assert figures(iphone_first[STAGED]) == DEFAULT_STAGED  # stage detail beats the order
    assert iphone_first[PLAIN]["asleep_min"] == 420

    reset = london("sleep", "priority", "reset", "--json").json()
    assert reset["is_default"] is True and reset["nights_rebuilt"] == 2
    assert nights(london) == before
    assert stored(database) == [None]


def test_an_import_after_setting_uses_the_stored_priority(london: Cli) -> None:
    assert london("sleep", "priority", "set", "Oura", "--json").json()["nights_rebuilt"] == 0
    london("import", "apple-health", str(FIXTURE))
    assert figures(nights(london)[STAGED]) == OURA_STAGED


def test_classes_may_be_given_in_one_argument(london: Cli) -> None:
    shown = london("sleep", "priority", "set", "iphone > oura,apple_watch", "--json").json()
    assert shown["order"][:4] == ["iphone", "oura", "apple_watch", "garmin"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["watch"], "error: CLASS: 'watch' is not a device class; use one of apple_watch, oura,"),
        (["oura", "iphone", "oura"], "error: CLASS: 'oura' is given twice"),
    ],
)
def test_bad_classes_are_one_line_errors_and_change_nothing(
    london: Cli, database: str, args: list[str], needle: str
) -> None:
    london("import", "apple-health", str(FIXTURE))
    london("sleep", "priority", "set", "oura")
    before = nights(london)
    result = london("sleep", "priority", "set", *args, ok=False)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert london("sleep", "priority", "--json").json()["order"][0] == "oura"
    assert nights(london) == before


def test_setting_needs_a_profile(cli: Cli) -> None:
    result = cli("sleep", "priority", "set", "oura", ok=False)
    assert result.code == 2 and "no profile yet" in result.stderr
    assert cli("sleep", "priority", "--json").json()["is_default"] is True
    missing = cli("sleep", "priority", "set", ok=False)
    assert missing.code == 2 and "CLASS" in missing.stderr
    blank = cli("sleep", "priority", "set", " , ", ok=False)
    assert blank.code == 2 and "name at least one device class" in blank.stderr
