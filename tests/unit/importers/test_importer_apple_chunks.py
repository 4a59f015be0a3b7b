"""Apple Health parser fed in chunks: nesting, children, chunk boundaries and error lines.

The parser is an lxml *parser target* fed the export in chunks (no element tree, so no
``sourceline``); these pin what that design could get wrong.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from importer_helpers import utc

from bedside.importers import ImportFileError, ImportStats
from bedside.importers import apple as apple_module
from bedside.importers.apple import AppleHealthImporter
from bedside.sleep.records import Sample, SleepSegment, Workout

APPLE = AppleHealthImporter()
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
TAIL = "</HealthData>\n"


def heart_rate(minute: int, value: str = "60", name: str = "Watch") -> str:
    """One top-level heart-rate record on one line (``minute`` counts from 2024-03-10 00:00)."""
    hour, rest = divmod(minute, 60)
    day = 10 + hour // 24
    when = f"2024-03-{day:02d} {hour % 24:02d}:{rest:02d}:00 +0100"
    return (
        f'<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="{name}" '
        f'unit="count/min" startDate="{when}" endDate="{when}" value="{value}"/>\n'
    )


def both_ways(path: Path) -> tuple[list[object], ImportStats, list[object], ImportStats]:
    """iter_records, and iter_batches flattened back to records and rows."""
    stats, batch_stats = ImportStats(), ImportStats()
    records = list(APPLE.iter_records(path, None, stats))
    batches = list(APPLE.iter_batches(path, None, batch_stats, 2))
    flat: list[object] = [row for rows, _ in batches for row in rows]
    flat += [record for _, others in batches for record in others]
    return records, stats, flat, batch_stats


def errors_both_ways(path: Path) -> tuple[ImportFileError, ImportFileError]:
    """The error each output reports for ``path``."""
    with pytest.raises(ImportFileError) as from_records:
        list(APPLE.iter_records(path))
    with pytest.raises(ImportFileError) as from_batches:
        list(APPLE.iter_batches(path, size=3))
    return from_records.value, from_batches.value


def test_correlation_records_skipped_and_only_direct_children_read(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        HEAD
        + ' <ExportDate value="2024-03-11 07:00:00 +0100"/>\n'
        # a record with children of its own (HRV-style list): still one sample
        + heart_rate(23 * 60).replace("/>\n", ">\n")
        + '  <HeartRateVariabilityMetadataList>\n   <InstantaneousBeatsPerMinute bpm="55"/>\n'
        + "  </HeartRateVariabilityMetadataList>\n </Record>\n"
        # a Correlation repeats top-level records: neither sample nor sleep may come out
        + ' <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Phone" '
        + 'startDate="2024-03-10 08:30:00 +0100" endDate="2024-03-10 08:30:00 +0100">\n'
        + "  "
        + heart_rate(8 * 60 + 30, "99")
        + '  <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="W" '
        + 'startDate="2024-03-10 01:00:00 +0100" endDate="2024-03-10 02:00:00 +0100" '
        + 'value="HKCategoryValueSleepAnalysisAsleepDeep"/>\n'
        + '  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>\n </Correlation>\n'
        # the zone is the record's own MetadataEntry, not one nested deeper
        + ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" '
        + 'startDate="2024-03-10 23:10:00 +0100" endDate="2024-03-11 01:00:00 +0100" '
        + 'value="HKCategoryValueSleepAnalysisAsleepCore">\n'
        + '  <Other><MetadataEntry key="HKTimeZone" value="Asia/Tokyo"/></Other>\n'
        + '  <MetadataEntry key="HKTimeZone" value="Europe/Amsterdam"/>\n </Record>\n'
        + ' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" '
        + 'durationUnit="min" sourceName="Watch" startDate="2024-03-11 07:00:00 +0100" '
        + 'endDate="2024-03-11 07:30:00 +0100">\n'
        + '  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2024-03-11 07:10:00 +0100"/>\n'
        + '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" sum="250" '
        + 'unit="kcal"/>\n  <MetadataEntry key="HKTimeZone" value="Nowhere/Atlantis"/>\n'
        + " </Workout>\n"
        + ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Phone" value="12" '
        + 'startDate="2024-03-11 07:00:00 +0100" endDate="2024-03-11 07:05:00 +0100"/>\n'
        + TAIL
    )
    records, stats, flat, batch_stats = both_ways(path)
    assert [type(r) for r in records] == [Sample, SleepSegment, Workout]
    sample, sleep, workout = records
    assert sample == Sample("heart_rate", utc(2024, 3, 10, 22), 60.0, "apple-health", "Watch")
    assert isinstance(sleep, SleepSegment) and isinstance(workout, Workout)
    assert (sleep.start, sleep.stage, sleep.zone) == (
        utc(2024, 3, 10, 22, 10),
        "core",
        "Europe/Amsterdam",
    )
    assert (workout.activity, workout.energy_kcal, workout.zone) == ("Running", 250.0, None)
    assert stats.ignored == Counter(BloodPressure=1, StepCount=1)
    assert stats.notes == ["unknown HKTimeZone values ignored: Nowhere/Atlantis"]
    epoch = int(utc(2024, 3, 10, 22).timestamp())
    assert flat == [("heart_rate", epoch, 60.0, "Watch"), sleep, workout]
    assert (batch_stats.ignored, batch_stats.notes) == (stats.ignored, stats.notes)


def test_bad_record_line_far_past_the_first_chunk(tmp_path: Path) -> None:
    """Real chunk size: the bad record sits about 2.5 chunks into the file."""
    good = [heart_rate(minute) for minute in range(15_000)]  # 172 bytes a line: 2.6 MB
    assert sum(map(len, good)) > 2 * apple_module._CHUNK
    bad = heart_rate(15_000, value="sixty", name="Sam &amp; Co")
    path = tmp_path / "export.xml"
    path.write_text(HEAD + "".join(good) + bad + heart_rate(15_001) + TAIL)
    line = 2 + len(good) + 1
    for error in errors_both_ways(path):
        assert error.line == line
        assert str(error).startswith(f"{path}, line {line}: unreadable HKQuantityTypeIdentifier")
        assert "sixty" in str(error)


def test_bad_sleep_record_line_after_its_children_crossed_a_chunk(tmp_path: Path) -> None:
    """A sleep record is built after its children; its line is still its start tag's."""
    filler = "".join(heart_rate(minute) for minute in range(6_000))
    children = "".join(
        f'  <MetadataEntry key="HKMetadataKey{n}" value="{"x" * 40}"/>\n' for n in range(14_000)
    )
    sleep = (
        ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" '
        'startDate="2024-03-10 23:10:00 +0100" endDate="2024-03-11 25:00:00 +0100" '
        'value="HKCategoryValueSleepAnalysisAsleepCore">\n' + children + " </Record>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(HEAD + filler + sleep + TAIL)
    assert len(children) > apple_module._CHUNK  # its end tag is read a chunk or two later
    for error in errors_both_ways(path):
        assert error.line == 2 + 6_000 + 1
        assert "unreadable HKCategoryTypeIdentifierSleepAnalysis" in str(error)


def test_bad_record_read_before_the_file_breaks_off_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        "<HealthData>\n"
        '<Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="W" '
        'startDate="2024-03-10 23:10:00 +0100" endDate="bad" '
        'value="HKCategoryValueSleepAnalysisAsleepCore">\n'
        '<MetadataEntry key="HKTimeZone" value="Europe/Amsterdam"/>\n</Record>\n<Record type="x"'
    )
    for error in errors_both_ways(path):
        assert error.line == 2
        assert "unreadable HKCategoryTypeIdentifierSleepAnalysis" in str(error)


@pytest.mark.parametrize("cut", [1, 2, 17, 60, 150, 171])
def test_record_split_across_two_fed_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    """Small chunks, a record whose start tag straddles a boundary ``cut`` bytes in."""
    monkeypatch.setattr(apple_module, "_CHUNK", 4096)
    before = HEAD + "".join(heart_rate(minute) for minute in range(40))
    pad = 3 * 4096 - cut - len(before)
    assert pad > 0
    head = before + " " * (pad - 1) + "\n"  # the next record starts ``cut`` bytes before 12288
    good = heart_rate(40, value="61")
    path = tmp_path / "export.xml"
    path.write_text(head + good + heart_rate(41) + TAIL)
    records, _, flat, _ = both_ways(path)
    assert [r.value for r in records if isinstance(r, Sample)] == [60.0] * 40 + [61.0, 60.0]
    assert len(flat) == 42
    bad = heart_rate(40, value="not a number")
    path.write_text(head + bad + heart_rate(41) + TAIL)
    line = head.count("\n") + 1
    for error in errors_both_ways(path):
        assert error.line == line
        assert "could not convert string to float: 'not a number'" in str(error)


def test_escaped_characters_in_values_come_out_as_written(tmp_path: Path) -> None:
    """``&amp;`` is ``&`` (a parser target sees ``&#38;`` unless entities are resolved)."""
    path = tmp_path / "export.xml"
    path.write_text(HEAD + heart_rate(0, name="Sam &amp; Jo&#8217;s Watch &lt;2&gt;") + TAIL)
    records, _, flat, _ = both_ways(path)
    name = "Sam & Jo\u2019s Watch <2>"
    assert [r.source_name for r in records if isinstance(r, Sample)] == [name]
    assert flat == [("heart_rate", int(utc(2024, 3, 9, 23).timestamp()), 60.0, name)]


def test_a_doctype_the_cleaner_could_not_blank_is_refused(tmp_path: Path) -> None:
    """A DOCTYPE after more than 4 MB of prolog reaches the parser: refused, not expanded."""
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!--'
        + "x" * (5 << 20)
        + '-->\n<!DOCTYPE HealthData [<!ENTITY e "Expanded">]>\n<HealthData>\n'
        + heart_rate(0, name="&e;")
        + TAIL
    )
    for error in errors_both_ways(path):
        assert "document type declaration" in str(error) and "nothing was imported" in str(error)
