"""Registry, detection, the protocol, error messages and the time parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from importer_helpers import utc

from bedside.importers import (
    SOURCE_NAMES,
    Importer,
    ImportFileError,
    SleepSegment,
    SourcePriority,
    detect_importer,
    get_importer,
    night_window,
)
from bedside.importers.timeparse import (
    TimeFormatError,
    apple_instant,
    apple_offset_min,
    local_to_utc,
    parse_iso,
)

DETECTED = {
    "apple-health/apple-health-parser/export.zip": "apple-health",
    "apple-health/apple-health-parser/export.xml": "apple-health",
    "apple-health/applehealthdata/export6s3sample.xml": "apple-health",
    "synthetic/apple-watch-iphone-dst.xml": "apple-health",
    "fitbit/slack-health-bot/fitbit_sleep_response_classic.json": "fitbit",
    "fitbit/shimmer/fitbit-sleep-date-empty-sleep-list.json": "fitbit",
    "fitbit/shimmer": "fitbit",
    "garmin/garth/wellness-dailySleepData/2021-07-01.json": "garmin",
    "garmin/garth": "garmin",
    "withings/shimmer/withings-sleep-summary.json": "withings",
    "oura/oura-sleep-v2.json": "oura",
    "sleep-as-android/sleepdiary-core/sleep-export.1606907034.zip": "sleep-as-android",
    "plees-tracker/sleepdiary-core/plees-tracker.csv": "plees",
    "sleepmeter/sleepdiary-core/sleep_history_2020-11-25.8.csv": "sleepmeter",
}


def test_source_names() -> None:
    assert SOURCE_NAMES == (
        "apple-health", "fitbit", "oura", "garmin", "withings",
        "sleep-as-android", "plees", "sleepmeter", "csv",
    )  # fmt: skip
    for name in SOURCE_NAMES:
        importer = get_importer(name, zone="UTC")
        assert isinstance(importer, Importer) and importer.name == name
    with pytest.raises(KeyError, match="unknown source 'polar'; use one of apple-health"):
        get_importer("polar")


@pytest.mark.parametrize(("relative", "source"), sorted(DETECTED.items()))
def test_detect_importer(samples: Path, relative: str, source: str) -> None:
    assert detect_importer(samples / relative).name == source


def test_detect_refuses_unknown_files(samples: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("slept badly\n")
    with pytest.raises(ImportFileError, match="not a file Bedside can import"):
        detect_importer(path)
    with pytest.raises(ImportFileError, match="no such file"):
        detect_importer(tmp_path / "missing.zip")
    for name in SOURCE_NAMES:  # sniff never raises, whatever it is given
        assert get_importer(name).sniff(tmp_path / "missing.zip") in (True, False)
        assert not get_importer(name).sniff(path) or name == "csv"


def test_text_that_mentions_healthdata_is_not_an_apple_export(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("Root element: `<HealthData locale=…>`, then Record elements.\n")
    assert not get_importer("apple-health").sniff(readme)
    with pytest.raises(ImportFileError, match="not a file Bedside can import"):
        detect_importer(readme)
    bom = tmp_path / "export.xml"
    bom.write_bytes(b'\xef\xbb\xbf\n  <HealthData locale="en_GB"></HealthData>\n')
    assert detect_importer(bom).name == "apple-health"


def test_an_empty_fitbit_response_is_fitbit_and_imports_nothing(tmp_path: Path) -> None:
    """fitbit-sleep-date-range-empty-sleep-list.json (Shimmer) is just ``{"sleep": []}``."""
    empty = tmp_path / "sleep.json"
    empty.write_text('{"sleep": []}')
    assert detect_importer(empty).name == "fitbit"
    assert list(get_importer("fitbit", zone="UTC").iter_records(empty)) == []


def test_error_message_shape() -> None:
    error = ImportFileError(Path("/x/export.xml"), "malformed XML: boom", line=12, offset=1234)
    assert str(error) == "/x/export.xml, line 12, byte 1,234: malformed XML: boom"
    assert (error.path, error.line, error.offset) == ("/x/export.xml", 12, 1234)


def test_natural_keys_are_stable() -> None:
    a = SleepSegment(utc(2024, 1, 1), utc(2024, 1, 1, 1), "deep", "apple-health", "W", device="x")
    b = SleepSegment(utc(2024, 1, 1), utc(2024, 1, 1, 1), "deep", "apple-health", "W", device="y")
    assert a.key_hash == b.key_hash and len(a.key_hash) == 24
    assert a.key_hash == "53bd02dfa13b7479aca3db9c"  # must never change between releases


def test_apple_instant() -> None:
    assert apple_instant("2024-01-01 01:01:36 +0200") == utc(2023, 12, 31, 23, 1, 36)
    assert apple_instant("2024-07-01 23:59:59 +0530") == utc(2024, 7, 1, 18, 29, 59)
    assert apple_instant("2024-07-01 23:59:59 -0930") == utc(2024, 7, 2, 9, 29, 59)
    assert apple_offset_min("2024-07-01 23:59:59 -0930") == -570
    for bad in (
        "2024-01-01T01:01:36Z",
        "2024-01-01 01:61:36 +0200",
        "2024-13-01 01:01:36 +0200",
        "",
    ):
        with pytest.raises(TimeFormatError):
            apple_instant(bad)


def test_local_times_across_dst() -> None:
    london = ZoneInfo("Europe/London")
    # 01:30 happens twice on 2024-10-27: the first (BST) unless that is before not_before
    first = local_to_utc(datetime(2024, 10, 27, 1, 30), london)
    assert first == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    second = local_to_utc(
        datetime(2024, 10, 27, 1, 30), london, not_before=first + timedelta(minutes=10)
    )
    assert second == datetime(2024, 10, 27, 1, 30, tzinfo=UTC)
    assert parse_iso("2024-03-10T07:05Z", None) == utc(2024, 3, 10, 7, 5)
    with pytest.raises(TimeFormatError, match="no UTC offset"):
        parse_iso("2024-03-10 07:05", None)


@pytest.mark.parametrize(
    ("source", "name", "device", "klass"),
    [
        ("apple-health", "Sam’s Apple\xa0Watch", None, "apple_watch"),
        ("apple-health", "Sam’s phone", "iPhone (iPhone14,2)", "iphone"),
        ("apple-health", "Health", None, "iphone"),
        ("apple-health", "Oura", None, "oura"),
        ("apple-health", "Connect", "Garmin fenix 7", "garmin"),
        ("apple-health", "AutoSleep", None, "phone_app"),
        ("fitbit", "Fitbit", None, "fitbit"),
        ("sleep-as-android", "Sleep as Android", None, "phone_app"),
        ("csv", "My ring", None, "other"),
        ("csv", "Withings Sleep Analyzer", None, "withings"),
        ("csv", "My Watch", None, "apple_watch"),  # as GENERIC_CSV.md says
    ],
)
def test_device_classes(source: str, name: str, device: str | None, klass: str) -> None:
    assert SourcePriority().device_class(source, name, device) == klass


def test_priority_rules_and_rank() -> None:
    custom = SourcePriority(rules=(("AutoSleep", "apple_watch"),))
    assert custom.device_class("apple-health", "AutoSleep") == "apple_watch"
    assert custom.rank("apple_watch") == 0 and custom.rank("nonsense") == len(custom.order)


def test_night_window_is_local() -> None:
    start, end = night_window(date(2024, 3, 9), ZoneInfo("America/Los_Angeles"))
    assert (start, end) == (utc(2024, 3, 10, 2), utc(2024, 3, 10, 19))  # 18:00 PST, 12:00 PDT
