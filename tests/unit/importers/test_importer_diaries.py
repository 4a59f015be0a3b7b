"""Phone sleep apps (Sleep as Android, Plees Tracker, Sleepmeter) and the generic CSV."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from importer_helpers import segments, utc

from bedside.importers import ImportFileError, ImportStats, SleepSegment, SleepSummary, get_importer
from bedside.sleep.records import MindfulSession, Sample, Workout

SAA = "sleep-as-android"


def test_sleep_as_android_backup(samples: Path) -> None:
    path = samples / "sleep-as-android" / "sleepdiary-core" / "sleep-export.1606907034.zip"
    got = list(get_importer(SAA).iter_records(path))
    assert len(got) == 12 and all(isinstance(r, SleepSummary) for r in got)
    newest = got[0]
    assert isinstance(newest, SleepSummary)
    assert (newest.start, newest.end, newest.asleep_min) == (
        utc(2020, 12, 1, 20),
        utc(2020, 12, 2, 7),
        660,
    )
    # "27. 11. 2020 8:54" → "15:25", Hours 6.510: start from Id (08:54:37.729), end = start +
    # 6.51 h (15:25:13.729), which is later than the minute-rounded To
    long_nap = next(r for r in got if r.external_id == "1606467277729")  # type: ignore[union-attr]
    assert isinstance(long_nap, SleepSummary)
    assert long_nap.asleep_min == pytest.approx(390.6)
    assert (long_nap.end - long_nap.start).total_seconds() == pytest.approx(6.51 * 3600)
    tiny = [r for r in got if isinstance(r, SleepSummary) and (r.asleep_min or 0) < 1]
    assert len(tiny) == 7  # the 0.010-hour test sessions are kept


def test_sleep_as_android_bare_csv_and_sentinels(tmp_path: Path) -> None:
    path = tmp_path / "sleep-export.csv"
    path.write_text(
        'Id,Tz,From,To,Sched,Hours,Rating,Comment,Framerate,Snore,Noise,Cycles,DeepSleep,LenAdjust,Geo,"23:00"\n'
        '"1700000000000","Europe/Paris","14. 11. 2023 23:13","15. 11. 2023 7:13","","8.000","4.0",'
        '"#kratom","10007","-1","-1.0","5","0.25","-30","","0.1"\n'
    )
    importer = get_importer(SAA)
    assert importer.sniff(path)
    (record,) = list(importer.iter_records(path))
    assert isinstance(record, SleepSummary)
    assert (record.asleep_min, record.deep_min) == (450, 112.5)  # 8 h − 30 min; 25 % deep
    assert (record.zone, record.offset_min) == ("Europe/Paris", 60)


def test_sleep_as_android_zip_without_diary(tmp_path: Path) -> None:
    path = tmp_path / "sleep-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("prefs.xml", "<map/>")
    assert not get_importer(SAA).sniff(path)
    with pytest.raises(ImportFileError, match="does not contain"):
        list(get_importer(SAA).iter_records(path))


def test_plees(samples: Path) -> None:
    path = samples / "plees-tracker" / "sleepdiary-core" / "plees-tracker.csv"
    got = segments(get_importer("plees", zone="Europe/London").iter_records(path))
    assert [r.minutes for r in got] == pytest.approx([28.161 / 60, 1.522 / 60, 1.407 / 60])
    assert got[0] == SleepSegment(
        utc(2020, 12, 18, 20, 23, 49, 380000), utc(2020, 12, 18, 20, 24, 17, 541000),
        "asleep_unspecified", "plees", "Plees Tracker", zone="Europe/London",
    )  # fmt: skip


def test_sleepmeter_holes_and_latency(samples: Path, tmp_path: Path) -> None:
    """The row of sleep_history_2020-11-24.5.csv for 2020-11-23: 22:50 bed, 23:00 asleep,
    07:00 wake, holes 191-221|310-340 (minutes after 23:00): awake 22:50-23:00, asleep
    23:00-02:11 (191), awake 02:11-02:41, asleep 02:41-04:10 (89), awake 04:10-04:40, asleep
    04:40-07:00 (140): 420 min asleep."""
    source = samples / "sleepmeter" / "sleepdiary-core" / "sleep_history_2020-11-24.5.csv"
    lines = source.read_text().splitlines()
    path = tmp_path / "sleep_history.csv"
    path.write_text(lines[0] + "\n" + next(x for x in lines if "191-221" in x) + "\n")
    got = segments(get_importer("sleepmeter").iter_records(path))
    assert [(s.stage, s.minutes) for s in got] == [
        ("awake", 10), ("asleep_unspecified", 191), ("awake", 30),
        ("asleep_unspecified", 89), ("awake", 30), ("asleep_unspecified", 140),
    ]  # fmt: skip
    assert got[0].start == utc(2020, 11, 23, 22, 50)
    stats = ImportStats()
    everything = list(get_importer("sleepmeter").iter_records(source, None, stats))
    assert len(everything) == 24 and stats.notes == []  # every diary row is readable


def test_sleepmeter_custom_sections_and_broken_quotes(samples: Path) -> None:
    path = samples / "sleepmeter" / "sleepdiary-core" / "sleep_history_2020-11-25.8.csv"
    records = list(get_importer("sleepmeter").iter_records(path))
    got = segments(records)
    assert got and len(got) == len(records)
    assert min(r.start for r in got) == utc(1900, 1, 1, 0, 1)  # silly dates are kept
    assert max(r.end for r in got) == utc(2099, 11, 25, 6)


def test_generic_csv_all_kinds(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "Kind,Start,End,Time,Stage,Value,Activity,Energy_kcal,Source,Timezone,Note\n"
        ",2024-03-09 23:10,2024-03-10 03:40,,light,,My Watch,,,America/Los_Angeles,x\n"
        "sleep,2024-03-10T03:40:00-07:00,2024-03-10T11:10Z,,awake,,,,My Watch,,\n"
        "heart_rate,,,2024-03-10T01:00:00-08:00,,54,,,My Watch,,\n"
        "workout,2024-03-09T18:00Z,2024-03-09T18:45Z,,,,Yoga,120,,,\n"
        "mindful,2024-03-09T21:00Z,2024-03-09T21:10Z,,,,,,,,\n"
    )
    importer = get_importer("csv")
    assert importer.sniff(path)
    first, second, hr, workout, mindful = importer.iter_records(path)
    assert first == SleepSegment(
        utc(2024, 3, 10, 7, 10), utc(2024, 3, 10, 10, 40), "core", "csv", "CSV",
        zone="America/Los_Angeles",
    )  # fmt: skip
    assert isinstance(second, SleepSegment) and second.offset_min == -420
    assert hr == Sample("heart_rate", utc(2024, 3, 10, 9), 54, "csv", "My Watch")
    assert isinstance(workout, Workout) and (workout.duration_min, workout.energy_kcal) == (45, 120)
    assert isinstance(mindful, MindfulSession)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("sleep,2024-03-09 23:10,2024-03-10 03:40,,,,,,,", "no UTC offset"),
        ("sleep,2024-03-10T05:00Z,2024-03-10T04:00Z,,,,,,,", "end is before start"),
        ("nap,2024-03-10T05:00Z,2024-03-10T06:00Z,,,,,,,", "unknown kind"),
        ("sleep,2024-03-10T05:00Z,2024-03-10T06:00Z,,snoring,,,,,", "unknown sleep stage"),
        ("sleep,2024-03-10T05:00Z,2024-03-10T06:00Z,,,,,,,Mars/Base", "unknown time zone"),
    ],
)
def test_generic_csv_errors_name_the_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "kind,start,end,time,stage,value,activity,energy_kcal,source,timezone\n\n" + row + "\n"
    )
    with pytest.raises(ImportFileError, match=f"line 3: .*{message}"):
        list(get_importer("csv").iter_records(path))


def test_generic_csv_refuses_other_csvs(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("date,pain\n2024-01-01,3\n")
    assert not get_importer("csv").sniff(path)
    with pytest.raises(ImportFileError, match="header needs start and end"):
        list(get_importer("csv").iter_records(path))
