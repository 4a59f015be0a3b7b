"""Each source's real sample through `bedside import`, then `bedside sleep list`.

The expected minutes are computed by hand from the sample files; the arithmetic is written
out in tests/unit/importers/test_importer_nights.py, next to the parser tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

SAMPLES = Path(__file__).parents[2] / "data" / "samples"

CASES = [
    # source, file, profile zone, night, (asleep, deep, core, rem)
    (
        "apple-health",
        "synthetic/apple-watch-iphone-dst.xml",
        "America/Los_Angeles",
        "2024-03-09",
        (395, 60, 225, 110),
    ),
    (
        "fitbit",
        "fitbit/slack-health-bot/fitbit_sleep_response_1_item.json",
        "America/New_York",
        "2023-05-12",
        (465, 88, 257.5, 119.5),
    ),
    (
        "garmin",
        "garmin/garth/sleep-dailySleepData/2025-07-07.json",
        "America/Chicago",
        "2025-07-06",
        (403, 88, 224, 91),
    ),
    (
        "garmin",
        "garmin/garth/wellness-dailySleepData/2021-07-01.json",
        "America/New_York",
        "2021-06-30",
        (309, 105, 166, 38),
    ),
    (
        "withings",
        "withings/shimmer/withings-sleep-summary.json",
        "Europe/London",
        "2017-09-01",
        (186, 130, 56, None),  # no REM in this summary: unknown
    ),
    ("oura", "oura/oura-sleep-v2.json", "Europe/Berlin", "2024-03-09", (445, 90, 270, 85)),
    (
        "sleep-as-android",
        "sleep-as-android/sleepdiary-core/sleep-export.1606907034.zip",
        "Europe/London",
        "2020-12-01",
        (660, None, None, None),
    ),
    (
        "sleepmeter",
        "sleepmeter/sleepdiary-core/sleep_history_2020-11-23.4.csv",
        "UTC",
        "2020-11-22",
        (480, None, None, None),
    ),
]


@pytest.mark.parametrize(("source", "file", "zone", "night", "minutes"), CASES)
def test_sample_imports_to_the_right_night(
    cli: Cli, source: str, file: str, zone: str, night: str, minutes: tuple[float | None, ...]
) -> None:
    cli("profile", "set", "--timezone", zone)
    path = SAMPLES / file
    first = cli("import", source, str(path), "--json").json()
    assert sum(first["added"].values()) > 0
    rows = cli("sleep", "list", "--source", "wearable", "--json").json()
    (found,) = [r for r in rows if r["night"] == night]
    got = (found["asleep_min"], found["deep_min"], found["core_min"], found["rem_min"])
    assert got == pytest.approx(minutes)
    again = cli("import", source, str(path), "--json").json()
    assert sum(again["added"].values()) == 0
    assert cli("sleep", "list", "--source", "wearable", "--json").json() == rows


def test_detection_picks_the_right_importer(cli: Cli) -> None:
    cli("profile", "set", "--timezone", "Europe/London")
    for source, file, *_ in CASES:
        if source == "fitbit":
            continue
        detected = cli("import", "auto", str(SAMPLES / file), "--json").json()
        assert detected["source"] == source, file
