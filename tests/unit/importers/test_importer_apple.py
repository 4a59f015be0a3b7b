"""Apple Health importer: real samples, the synthetic edge-case export, malformed files."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from importer_helpers import utc
from lxml import etree

from bedside.importers import ImportFileError, ImportStats, get_importer
from bedside.importers.apple import AppleHealthImporter, device_label, pick_export_member
from bedside.sleep.records import MindfulSession, Sample, SleepSegment, Workout

APPLE = AppleHealthImporter()


def read(path: Path) -> tuple[list[object], ImportStats]:
    stats = ImportStats()
    return list(APPLE.iter_records(path, None, stats)), stats


def test_parser_sample_xml_and_zip_give_the_same_records(samples: Path) -> None:
    folder = samples / "apple-health" / "apple-health-parser"
    from_xml, stats = read(folder / "export.xml")
    from_zip, _ = read(folder / "export.zip")
    assert from_xml == from_zip
    assert [type(r).__name__ for r in from_xml] == ["Sample"] * 2 + ["SleepSegment"] * 2
    assert stats.ignored == Counter(ActiveEnergyBurned=2, AppleExerciseTime=1, AppleStandTime=1)
    assert stats.ignored_summary().startswith("ignored 2 ActiveEnergyBurned")


def test_parser_sample_sleep_keeps_written_instant_and_zone(samples: Path) -> None:
    records, stats = read(samples / "apple-health" / "apple-health-parser" / "export.xml")
    in_bed, core = (r for r in records if isinstance(r, SleepSegment))
    # "2024-01-01 00:55:28 +0200" is 2023-12-31 22:55:28 UTC, whatever the zone says.
    assert (in_bed.start, in_bed.end, in_bed.stage) == (
        utc(2023, 12, 31, 22, 55, 28),
        utc(2023, 12, 31, 22, 56, 53),
        "in_bed",
    )
    assert in_bed.source_name == "Alexandre's iPhone"
    assert (core.stage, core.zone, core.offset_min) == ("core", "Europe/Amsterdam", 120)
    assert core.minutes == 12.5  # 03:27:53 → 03:40:23
    # Amsterdam is +0100 in January: the written +0200 is the export-time offset; flagged.
    assert any("differs from its HKTimeZone" in note for note in stats.notes)


def test_heart_rate_samples(samples: Path) -> None:
    records, _ = read(samples / "apple-health" / "apple-health-parser" / "export.xml")
    first = records[0]
    assert first == Sample(
        "heart_rate", utc(2023, 12, 31, 23, 1, 36), 74.0, "apple-health", "Alexandre's Apple Watch"
    )
    assert first.key_hash == Sample(*[getattr(first, f) for f in Sample.__slots__]).key_hash
    with pytest.raises(AttributeError):
        first.value = 1.0  # type: ignore[misc]  # frozen even when built by the fast path


def test_old_exports_with_dtd_and_workouts(samples: Path) -> None:
    records, stats = read(samples / "apple-health" / "applehealthdata" / "export6s3sample.xml")
    (workout,) = records
    assert isinstance(workout, Workout)
    assert workout.activity == "Other"
    assert workout.duration_min == pytest.approx(31.7368, abs=1e-4)
    assert workout.energy_kcal == pytest.approx(139.317)
    assert stats.ignored == Counter(StepCount=10, DistanceWalkingRunning=5, ActivitySummary=2)


def test_workout_with_route_and_zone(samples: Path) -> None:
    records, _ = read(samples / "apple-health" / "healthkit-to-sqlite" / "export.xml")
    workout = next(r for r in records if isinstance(r, Workout))
    assert (workout.activity, workout.zone) == ("Running", "America/Los_Angeles")
    assert workout.start == utc(2016, 11, 14, 14, 25, 41)  # 07:25:41 -0700


def test_synthetic_export_survives_broken_dtd_and_control_chars(samples: Path) -> None:
    path = samples / "synthetic" / "apple-watch-iphone-dst.xml"
    with pytest.raises(etree.XMLSyntaxError):  # the fixture really is broken for plain lxml
        etree.parse(str(path), etree.XMLParser(load_dtd=False, resolve_entities=False))
    records, stats = read(path)
    kinds = Counter(type(r).__name__ for r in records)
    assert kinds == Counter(SleepSegment=12, Sample=7, MindfulSession=1, Workout=1)
    # nested Correlation copies are skipped, the top-level records and the Correlation counted
    assert stats.ignored == Counter(
        StepCount=3,
        BloodPressureSystolic=1,
        BloodPressureDiastolic=1,
        BloodPressure=1,
        ActivitySummary=1,
    )
    workout = next(r for r in records if isinstance(r, Workout))
    assert workout.energy_kcal == pytest.approx(1046 / 4.184)  # WorkoutStatistics, kJ → kcal
    mindful = next(r for r in records if isinstance(r, MindfulSession))
    assert mindful.start == utc(2024, 3, 10, 5, 0)


def test_hk_time_zone_differing_from_written_offset(samples: Path) -> None:
    records, stats = read(samples / "synthetic" / "apple-watch-iphone-dst.xml")
    berlin = next(r for r in records if isinstance(r, SleepSegment) and r.zone == "Europe/Berlin")
    # written "2024-03-16 11:30:00 -0700" = 18:30 UTC = 19:30 in Berlin
    assert (berlin.start, berlin.offset_min) == (utc(2024, 3, 16, 18, 30), -420)
    # 6 Watch/iPhone sleep records before the DST change (PST is -0800, written -0700),
    # the mindful session and the workout (PST), plus the Berlin record: 10 in all
    assert stats.notes[0].startswith("10 records were written with a UTC offset")


def test_devices_are_shortened() -> None:
    text = (
        "<<HKDevice: 0x1>, name:iPhone, manufacturer:Apple Inc., hardware:iPhone14,2, software:17>"
    )
    assert device_label(text) == "iPhone (iPhone14,2)"
    assert device_label(None) is None


def test_zip_member_choice_ignores_macos_junk() -> None:
    names = ["__MACOSX/apple_health_export/._export.xml", "apple_health_export/export_cda.xml"]
    assert pick_export_member(names) is None
    assert pick_export_member([*names, "apple_health_export/export.xml"]) == (
        "apple_health_export/export.xml"
    )


def test_progress_reports_bytes_of_the_file(samples: Path) -> None:
    path = samples / "apple-health" / "apple-health-parser" / "export.zip"
    seen: list[int] = []
    list(APPLE.iter_records(path, seen.append))
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size


def test_truncated_zip_is_refused(samples: Path, tmp_path: Path) -> None:
    data = (samples / "apple-health" / "apple-health-parser" / "export.zip").read_bytes()
    broken = tmp_path / "export.zip"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="zip"):
        list(get_importer("apple-health").iter_records(broken))


def test_truncated_xml_inside_a_zip_names_the_problem(samples: Path, tmp_path: Path) -> None:
    text = (samples / "synthetic" / "apple-watch-iphone-dst.xml").read_bytes()
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", text[: len(text) * 2 // 3])
    with pytest.raises(ImportFileError) as caught:
        list(APPLE.iter_records(path))
    assert "truncated" in caught.value.message
    assert caught.value.line is not None and caught.value.line > 30
    assert str(path) in str(caught.value)


def test_malformed_xml_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<HealthData>\n <ExportDate value="x"/>\n'
        ' <Record type="HKQuantityTypeIdentifierHeartRate" value="60"\n'
        " <Record/>\n</HealthData>\n"
    )
    with pytest.raises(ImportFileError) as caught:
        list(APPLE.iter_records(path))
    assert caught.value.line == 5
    assert str(caught.value).startswith(f"{path}, line 5: malformed XML")


def test_bad_date_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        "<HealthData>\n"
        '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" '
        'startDate="2024-01-01T01:01:36Z" endDate="x" value="60"/>\n</HealthData>\n'
    )
    with pytest.raises(ImportFileError, match="line 2: unreadable HKQuantityTypeIdentifierHeart"):
        list(APPLE.iter_records(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.xml", b'{"sleep": []}', "not an XML file"),
        ("export.xml", b"<ClinicalDocument><entry/></ClinicalDocument>", "not an Apple Health"),
        ("export.zip", b"PK not really", "not a zip file"),
    ],
)
def test_wrong_kind_of_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert not (APPLE.sniff(path) and name.endswith(".zip"))
    with pytest.raises(ImportFileError, match=message):
        list(APPLE.iter_records(path))


@pytest.mark.parametrize("size", [1, 3, 8_000])
def test_batches_hold_the_records_of_iter_records_with_samples_as_rows(
    samples: Path, size: int
) -> None:
    """What the parsing child sends: the same records, samples as (kind, epoch, value, name)."""
    path = samples / "synthetic" / "apple-watch-iphone-dst.xml"
    records, stats = read(path)
    batch_stats = ImportStats()
    batches = list(APPLE.iter_batches(path, None, batch_stats, size))
    rows = [row for batch_rows, _ in batches for row in batch_rows]
    others = [record for _, batch_others in batches for record in batch_others]
    assert rows == [
        (r.kind, int(r.time.timestamp()), r.value, r.source_name)
        for r in records
        if isinstance(r, Sample)
    ]
    assert others == [r for r in records if not isinstance(r, Sample)]
    assert (batch_stats.ignored, batch_stats.notes) == (stats.ignored, stats.notes)
    # bounded batches: at most ``size`` rows and ``size // 8`` (at least 1) other records
    assert all(len(b) <= size and len(o) <= max(size // 8, 1) for b, o in batches)
    assert len(batches) > 1 if size < 8_000 else len(batches) == 1


def test_batches_report_a_bad_date_like_iter_records(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        "<HealthData>\n"
        '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" '
        'startDate="2024-01-01 01:01:36 +0000" endDate="x" value="60"/>\n'
        '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W" '
        'startDate="2024-01-01 25:01:36 +0000" endDate="x" value="61"/>\n</HealthData>\n'
    )
    with pytest.raises(ImportFileError) as from_records:
        list(APPLE.iter_records(path))
    with pytest.raises(ImportFileError) as from_batches:
        list(APPLE.iter_batches(path, size=1))
    assert str(from_batches.value) == str(from_records.value)
    assert from_batches.value.line == 3
    assert "unreadable HKQuantityTypeIdentifierHeartRate" in str(from_batches.value)
