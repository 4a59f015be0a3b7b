"""Fitbit, Garmin, Withings and Oura importers on the licensed samples and edge cases."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from importer_helpers import utc

from bedside.importers import (
    ImportFileError,
    ImportStats,
    Sample,
    SleepSegment,
    SleepSummary,
    get_importer,
)


def records(
    source: str, path: Path, zone: str | None = None, stats: ImportStats | None = None
) -> list[object]:
    return list(get_importer(source, zone=zone).iter_records(path, None, stats))


def test_fitbit_needs_a_zone(samples: Path) -> None:
    path = samples / "fitbit" / "shimmer" / "fitbit-sleep-date.json"
    with pytest.raises(ImportFileError, match="time zone"):
        records("fitbit", path)
    with pytest.raises(ImportFileError, match="'Mars/Base' is not one"):
        records("fitbit", path, "Mars/Base")


def test_fitbit_segments_do_not_overlap(samples: Path) -> None:
    path = samples / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_1_item.json"
    segs = [r for r in records("fitbit", path, "America/New_York") if isinstance(r, SleepSegment)]
    assert segs[0].start == utc(2023, 5, 13, 4, 40)  # 00:40 EDT
    assert all(a.end <= b.start for a, b in itertools.pairwise(segs))
    assert sum(s.minutes for s in segs) == 527.5
    assert Counter(s.stage for s in segs)["awake"] == 3 + 29  # long wakes + shortData wakes


def test_fitbit_takeout_list_shape_and_summary_fallback(tmp_path: Path) -> None:
    """Takeout: a bare list, "mainSleep", " : " separators; no levels → a summary."""
    log = {
        "logId": 1, "dateOfSleep": "2024-01-02", "startTime": "2024-01-01T23:00:00.000",
        "endTime": "2024-01-02T06:30:00.000", "duration": 27000000, "minutesAsleep": 420,
        "minutesAwake": 30, "mainSleep": True, "type": "classic",
    }  # fmt: skip
    path = tmp_path / "sleep-2024-01-01.json"
    path.write_text(json.dumps([log], separators=(",", " : ")))
    assert get_importer("fitbit").sniff(path)
    (summary,) = records("fitbit", path, "Europe/London")
    assert summary == SleepSummary(
        utc(2024, 1, 1, 23), utc(2024, 1, 2, 6, 30), "fitbit", "Fitbit",
        asleep_min=420, awake_min=30, is_main=True, zone="Europe/London", offset_min=0,
        external_id="1",
    )  # fmt: skip


def test_fitbit_folder_and_empty_lists(samples: Path) -> None:
    folder = samples / "fitbit" / "shimmer"
    got = records("fitbit", folder, "UTC")
    # date.json and date-range.json hold the same two logs (8 segments each); empty list: none
    assert len(got) == 16


def test_fitbit_truncated_json(tmp_path: Path, samples: Path) -> None:
    text = (samples / "fitbit" / "shimmer" / "fitbit-sleep-date.json").read_text()
    path = tmp_path / "sleep.json"
    path.write_text(text[:500])
    with pytest.raises(ImportFileError) as caught:
        records("fitbit", path, "UTC")
    assert caught.value.line is not None and "truncated JSON" in caught.value.message


def test_garmin_offsets_and_resting_heart_rate(samples: Path) -> None:
    folder = samples / "garmin" / "garth"
    stats = ImportStats()
    got = records("garmin", folder, stats=stats)
    summaries = [r for r in got if isinstance(r, SleepSummary)]
    assert len(summaries) == 4  # three 2021 nights and 2025-07-07; 2030-01-01 has no data
    assert stats.ignored["night without sleep data"] == 1
    by_id = {s.external_id: s for s in summaries}
    assert by_id["1625121120000"].offset_min == -300  # Mexico, July 2021 (DST)
    assert by_id["1751863648000"].offset_min == -360  # Mexico dropped DST in 2022
    (resting,) = [r for r in got if isinstance(r, Sample)]
    assert (resting.kind, resting.value, resting.time) == (
        "resting_heart_rate",
        44,
        utc(2025, 7, 7, 6),
    )


def test_garmin_levels_and_gdpr_shape(tmp_path: Path) -> None:
    night = {
        "calendarDate": "2024-01-02", "sleepStartTimestampGMT": "2024-01-01T23:00:00.0",
        "sleepEndTimestampGMT": "2024-01-02T06:00:00.0", "deepSleepSeconds": 3600,
        "lightSleepSeconds": 18000, "remSleepSeconds": 3600, "awakeSleepSeconds": 0,
        "sleepLevels": [
            {"startGMT": "2024-01-01T23:00:00.0", "endGMT": "2024-01-02T00:00:00.0",
             "activityLevel": 0.0},
            {"startGMT": "2024-01-02T00:00:00.0", "endGMT": "2024-01-02T00:10:00.0",
             "activityLevel": 3.0},
        ],
    }  # fmt: skip
    path = tmp_path / "2024_sleepData.json"
    path.write_text(json.dumps([night]))
    got = records("garmin", path)
    assert isinstance(got[0], SleepSummary) and got[0].start == utc(2024, 1, 1, 23)
    assert [(s.stage, s.minutes) for s in got[1:]] == [("deep", 60), ("awake", 10)]  # type: ignore[attr-defined]


def test_withings_error_status(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text('{"status": 401, "body": {"series": [{"startdate": 1}]}}')
    with pytest.raises(ImportFileError, match="status 401"):
        records("withings", path)


def test_withings_models_name_the_device(samples: Path) -> None:
    got = records("withings", samples / "withings" / "shimmer" / "withings-sleep-measures.json")
    assert {r.source_name for r in got} == {"Withings Aura"}  # type: ignore[attr-defined]


def test_oura_fixture_records(samples: Path) -> None:
    stats = ImportStats()
    got = records("oura", samples / "oura" / "oura-sleep-v2.json", stats=stats)
    kinds = Counter(type(r).__name__ for r in got)
    assert kinds == Counter(SleepSegment=96, Sample=5 + 2, SleepSummary=1)
    assert stats.ignored["rest period"] == 1
    hrv = [r for r in got if isinstance(r, Sample) and r.kind == "hrv_rmssd"]
    assert [(s.time, s.value) for s in hrv] == [
        (utc(2024, 3, 9, 22, 15), 40),
        (utc(2024, 3, 9, 22, 20), 44),
    ]


def test_oura_csv(tmp_path: Path) -> None:
    path = tmp_path / "oura_sleep.csv"
    path.write_text(
        "id,type,bedtime_start,bedtime_end,total_sleep_duration,deep_sleep_duration,"
        "light_sleep_duration,rem_sleep_duration,awake_time\n"
        "a,long_sleep,2024-05-01T23:30:00-04:00,2024-05-02T07:00:00-04:00,25200,3600,18000,3600,1800\n"
        "b,long_sleep,not a time,2024-05-02T07:00:00-04:00,1,1,1,1,1\n"
    )
    importer = get_importer("oura")
    assert importer.sniff(path)
    stream = importer.iter_records(path)
    first = next(stream)
    assert isinstance(first, SleepSummary)
    assert (first.asleep_min, first.deep_min, first.core_min, first.offset_min) == (
        420,
        60,
        300,
        -240,
    )
    assert first.is_main is True
    with pytest.raises(ImportFileError, match="line 3"):
        next(stream)
