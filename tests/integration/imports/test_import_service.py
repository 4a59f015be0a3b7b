"""Imports through the CLI: real samples, re-import adds nothing, broken files change nothing."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
APPLE_ZIP = SAMPLES / "apple-health" / "apple-health-parser" / "export.zip"
SYNTHETIC = SAMPLES / "synthetic" / "apple-watch-iphone-dst.xml"
TABLES = ("sleep_segments", "health_samples", "sleep_nights", "workouts", "import_runs")


def counts(database: str) -> dict[str, int]:
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()
    return found


@pytest.fixture
def amsterdam(cli: Cli) -> Cli:
    cli("profile", "set", "--timezone", "Europe/Amsterdam")
    return cli


def test_apple_zip_imports_and_reimport_adds_nothing(amsterdam: Cli, database: str) -> None:
    first = amsterdam("import", "apple-health", str(APPLE_ZIP), "--json").json()
    assert first["added"] == {"samples": 2, "sleep_segments": 2}
    assert first["ignored"]["ActiveEnergyBurned"] == 2
    before = counts(database)
    again = amsterdam("import", "apple-health", str(APPLE_ZIP), "--json").json()
    assert sum(again["added"].values()) == 0
    assert again["duplicates"] == {"samples": 2, "sleep_segments": 2}
    after = counts(database)
    assert {k: v for k, v in after.items() if k != "import_runs"} == {
        k: v for k, v in before.items() if k != "import_runs"
    }
    assert after["import_runs"] == before["import_runs"] + 1


def test_a_newer_export_adds_only_what_is_new(amsterdam: Cli, tmp_path: Path) -> None:
    full = SYNTHETIC.read_text(encoding="utf-8")
    records = full.split("\n")
    cut = next(i for i, line in enumerate(records) if "<Record" in line and "SleepAnalysis" in line)
    close = next(i for i in range(cut, len(records)) if "</Record>" in records[i])
    older_lines = [*records[: close + 1], "</HealthData>"]
    older = tmp_path / "older.xml"
    older.write_text("\n".join(older_lines), encoding="utf-8")
    first = amsterdam("import", "apple-health", str(older), "--json").json()
    second = amsterdam("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert sum(second["duplicates"].values()) == sum(first["added"].values())
    third = amsterdam("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert sum(third["added"].values()) == 0


def test_truncated_zip_changes_nothing_and_says_why(
    amsterdam: Cli, database: str, tmp_path: Path
) -> None:
    amsterdam("import", "apple-health", str(APPLE_ZIP))
    before = counts(database)
    broken = tmp_path / "export.zip"
    broken.write_bytes(APPLE_ZIP.read_bytes()[: APPLE_ZIP.stat().st_size // 2])
    result = amsterdam("import", "apple-health", str(broken), ok=False)
    assert result.code == 2
    assert "export.zip" in result.stderr and "truncated" in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(database) == before


def test_malformed_xml_half_way_rolls_back(amsterdam: Cli, database: str, tmp_path: Path) -> None:
    text_ = SYNTHETIC.read_text(encoding="utf-8")
    broken = tmp_path / "export.xml"
    middle = len(text_) * 3 // 4
    broken.write_text(text_[:middle] + "<Record <<< broken", encoding="utf-8")
    result = amsterdam("import", "apple-health", str(broken), ok=False)
    assert result.code == 2
    assert "export.xml" in result.stderr and "line" in result.stderr
    assert counts(database) == dict.fromkeys(TABLES, 0)


def test_wrong_kind_of_file(amsterdam: Cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    result = amsterdam("import", "apple-health", str(notes), ok=False)
    assert "does not look like" in result.stderr
    missing = amsterdam("import", "fitbit", str(tmp_path / "nope.json"), ok=False)
    assert "no such file" in missing.stderr


def test_fitbit_needs_a_zone_from_the_profile_or_the_option(cli: Cli) -> None:
    fitbit = SAMPLES / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_1_item.json"
    refused = cli("import", "fitbit", str(fitbit), ok=False)
    assert refused.code == 2 and "time zone in your profile" in refused.stderr
    bad = cli("import", "fitbit", str(fitbit), "--timezone", "Mars/Base", ok=False)
    assert "--timezone: 'Mars/Base' is not an IANA time zone" in bad.stderr
    unknown = cli("import", "polar", str(fitbit), ok=False)
    assert "SOURCE: unknown source 'polar'" in unknown.stderr
    done = cli("import", "fitbit", str(fitbit), "--timezone", "America/New_York", "--json").json()
    assert done["added"] == {"sleep_segments": 77}
    (night,) = cli("sleep", "list", "--json").json()
    assert (night["night"], night["asleep_min"]) == ("2023-05-12", 465)


def test_plain_summary_is_all_that_reaches_stdout(amsterdam: Cli) -> None:
    """The progress bar is drawn on a terminal's stderr only, never into captured output."""
    result = amsterdam("import", "apple-health", str(APPLE_ZIP))
    assert result.stdout.startswith("Imported export.zip (apple-health) in ")
    assert "added:     2 samples, 2 sleep segments" in result.stdout
    assert "ignored:   2 ActiveEnergyBurned, 1 AppleExerciseTime, 1 AppleStandTime" in (
        result.stdout
    )
    assert result.stderr == ""


def test_far_apart_dates_recompute_only_the_nights_they_touch(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sleep_history_2020-11-25.8.csv has nights in 1900, 2020 and 2099: three short spans
    are recomputed, not the two centuries between them."""
    from bedside.services import imports

    spans: list[float] = []
    real = imports.recompute_spans

    def spy(scope: object, touched: list[tuple[datetime, datetime]]) -> int:
        spans.extend((end - start).total_seconds() / 86400 for start, end in touched)
        return real(scope, touched)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "recompute_spans", spy)
    cli("profile", "set", "--timezone", "UTC")
    path = SAMPLES / "sleepmeter" / "sleepdiary-core" / "sleep_history_2020-11-25.8.csv"
    cli("import", "sleepmeter", str(path))
    assert len(spans) == 3 and max(spans) < 10
    nights = {r["night"]: r["asleep_min"] for r in cli("sleep", "list", "--json").json()}
    # 2099-11-24 22:50 → 11-25 07:00 (+0100), asleep 23:00 → 07:00 less the 1-min hole 59-60
    assert nights["2099-11-24"] == 479
    # 2099-11-24 00:50 → 07:00 (+0100), asleep from 00:55 less the hole 5-75 (70 min)
    assert nights["2099-11-23"] == 295


def test_sleep_list_filters_by_night(amsterdam: Cli) -> None:
    fitbit = SAMPLES / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_2_items.json"
    amsterdam("import", "fitbit", str(fitbit))
    amsterdam("import", "apple-health", str(APPLE_ZIP))
    nights = [r["night"] for r in amsterdam("sleep", "list", "--json").json()]
    assert nights == ["2023-05-13", "2023-12-31"]
    some = amsterdam("sleep", "list", "--json", "--from", "2023-06-01", "--to", "2024-01-31")
    assert [r["night"] for r in some.json()] == ["2023-12-31"]
    assert amsterdam("sleep", "list", "--json", "--to", "2023-05-12").json() == []


def test_sleep_list_puts_diary_and_wearable_side_by_side(amsterdam: Cli) -> None:
    amsterdam("import", "apple-health", str(APPLE_ZIP))
    amsterdam(
        "diary",
        "add",
        "--night",
        "2023-12-31",
        "--bedtime",
        "23:30",
        "--tried",
        "23:45",
        "--sol",
        "30",
        "--awakenings",
        "1",
        "--waso",
        "10",
        "--final-wake",
        "07:00",
        "--out-of-bed",
        "07:20",
        "--quality",
        "3",
    )
    rows = amsterdam("sleep", "list", "--json").json()
    assert [(r["night"], r["source"]) for r in rows] == [
        ("2023-12-31", "diary"),
        ("2023-12-31", "wearable"),
    ]
    keys = {
        "night",
        "source",
        "in_bed_min",
        "asleep_min",
        "deep_min",
        "core_min",
        "rem_min",
        "awake_min",
        "awakenings",
        "hr_mean",
        "hrv_mean",
    }
    assert all(keys <= set(r) for r in rows)
    wearable = rows[1]
    assert wearable["asleep_min"] == pytest.approx(12.5)
    assert wearable["core_min"] == pytest.approx(12.5)
    only = amsterdam("sleep", "list", "--json", "--source", "diary").json()
    assert [r["source"] for r in only] == ["diary"]
    bad = amsterdam("sleep", "list", "--source", "watch", ok=False)
    assert "--source" in bad.stderr


def test_zip_is_read_without_extracting(amsterdam: Cli, tmp_path: Path) -> None:
    packed = tmp_path / "export.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(SYNTHETIC, "apple_health_export/export.xml")
    result = amsterdam("import", "auto", str(packed), "--json").json()
    assert result["source"] == "apple-health"
    assert not any(p.suffix == ".xml" for p in tmp_path.rglob("*"))
