"""Night assembly: expected nights computed by hand from the samples and fixtures."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from importer_helpers import samples_of, sleep_records, utc
from pytest import approx

from bedside.importers import (
    COMBINED,
    NightConfig,
    NightSleep,
    SleepSegment,
    SleepSummary,
    SourcePriority,
    assemble_nights,
    get_importer,
)


def nights_of(path: Path, source: str, zone: str | None = None, **kw: object) -> list[NightSleep]:
    records = list(get_importer(source, zone=zone).iter_records(path))
    return assemble_nights(sleep_records(records), samples_of(records), **kw)  # type: ignore[arg-type]


def row(rows: list[NightSleep], night: date, name: str, main: bool = True) -> NightSleep:
    (found,) = [r for r in rows if r.night == night and r.source_name == name and r.is_main is main]
    return found


def test_dst_night_with_overlapping_iphone_and_watch(samples: Path) -> None:
    """Hand computation for synthetic/apple-watch-iphone-dst.xml (times in UTC).

    Watch stages: core 07:00-08:00 (60), deep 08:00-09:00 (60), core 09:00-09:30 (30),
    awake 09:30-09:40 (10), REM 09:40-10:30 (50), core 10:30-12:00 (90), REM 12:00-13:00 (60),
    awake 13:00-13:05 (5), core 13:05-13:50 (45).
      asleep = 60+60+30+50+90+60+45 = 395; core = 60+30+90+45 = 225; deep 60; REM 50+60 = 110
      awake = 10+5 = 15; in bed 07:00-13:50 = 410 min (local clocks say 23:00 PST to 06:50 PDT,
      7 h 50 min on the wall, but the clocks sprang forward: 6 h 50 min = 410 min).
    iPhone: InBed 06:45-14:15 (450) and AsleepUnspecified 07:10-13:30 (380).
      iPhone row: in bed 450, asleep 380, awake 70, no stages, no awakenings.
    Combined: the Watch (stage detail, top priority) wins 07:00-13:50; the iPhone's InBed
      fills 06:45-07:00 and 13:50-14:15 (15 + 25 = 40 min in bed, not asleep).
      in bed = 450, asleep = 395 (not 395 + 380), awake = 450 - 395 = 55, awakenings = 2
      (09:30 for 10 min, 13:00 for 5 min). Night: 06:45 UTC = 22:45 PST on 2024-03-09.
    Heart rate in 07:00-13:50: 50 (08:00), 52 (10:00), 54 (13:00) → 52; 80 at 15:00 is out.
    HRV (SDNN): 40 at 11:00.
    """
    rows = nights_of(samples / "synthetic" / "apple-watch-iphone-dst.xml", "apple-health")
    night = date(2024, 3, 9)
    combined = row(rows, night, COMBINED)
    assert (combined.in_bed_min, combined.asleep_min, combined.awake_min) == (450, 395, 55)
    assert (combined.core_min, combined.deep_min, combined.rem_min) == (225, 60, 110)
    assert combined.awakenings == 2
    assert (combined.sleep_start, combined.sleep_end) == (
        utc(2024, 3, 10, 7),
        utc(2024, 3, 10, 13, 50),
    )
    assert (combined.session_start, combined.session_end) == (
        utc(2024, 3, 10, 6, 45),
        utc(2024, 3, 10, 14, 15),
    )
    assert (combined.hr_mean, combined.hrv_mean) == (52, 40)
    assert combined.sources == ("Sam’s Apple Watch", "Sam’s iPhone")
    assert combined.zone == "America/Los_Angeles"

    watch = row(rows, night, "Sam’s Apple Watch")
    assert (watch.in_bed_min, watch.asleep_min, watch.awake_min, watch.awakenings) == (
        410,
        395,
        15,
        2,
    )
    assert (watch.core_min, watch.deep_min, watch.rem_min) == (225, 60, 110)

    phone = row(rows, night, "Sam’s iPhone")
    assert (phone.in_bed_min, phone.asleep_min, phone.awake_min) == (450, 380, 70)
    assert (phone.deep_min, phone.core_min, phone.rem_min, phone.awakenings) == (
        None,
        None,
        None,
        0,
    )


def test_night_key_uses_hk_time_zone(samples: Path) -> None:
    """Written "2024-03-16 11:30 -0700" (before noon: night 03-15 if read at that offset) is
    18:30 UTC = 19:30 in Europe/Berlin, so it belongs to the night of 2024-03-16."""
    rows = nights_of(samples / "synthetic" / "apple-watch-iphone-dst.xml", "apple-health")
    berlin = row(rows, date(2024, 3, 16), COMBINED)
    assert (berlin.asleep_min, berlin.core_min, berlin.zone) == (120, 120, "Europe/Berlin")
    assert not [r for r in rows if r.night == date(2024, 3, 15)]


def test_apple_parser_sample_nights(samples: Path) -> None:
    """apple-health-parser/export.xml, zone Europe/Amsterdam (CET, +01:00 in January).

    InBed (iPhone) 22:55:28-22:56:53 UTC = 23:55 CET on 12-31 → night 2023-12-31, 85 s.
    AsleepCore (Watch) 01:27:53-01:40:23 UTC = 02:27 CET on 01-01 → night 2023-12-31, 12.5 min.
    The 2 h 31 min gap splits two sessions; the longer one (the Watch's) is the main sleep.
    """
    rows = nights_of(
        samples / "apple-health" / "apple-health-parser" / "export.xml", "apple-health"
    )
    main = row(rows, date(2023, 12, 31), COMBINED)
    assert (main.asleep_min, main.core_min, main.in_bed_min) == (12.5, 12.5, 12.5)
    nap = row(rows, date(2023, 12, 31), COMBINED, main=False)
    assert nap.in_bed_min == pytest.approx(85 / 60)
    assert nap.asleep_min is None  # an InBed span says nothing about sleep
    phone = row(rows, date(2023, 12, 31), "Alexandre's iPhone")
    assert phone.asleep_min is None and phone.awake_min is None


def test_fitbit_stages_night(samples: Path) -> None:
    """fitbit_sleep_response_1_item.json, zone America/New_York (EDT, -04:00).

    levels.data: light 60+960+6180+60+360+360+3390+360+3780+1020 = 16530 s, deep 1230+1770+2520
    = 5520 s, REM 270+1980+1560+2730+1050 = 7590 s, wake 210+450+1350 = 2010 s; total 31650 s
    = 527.5 min (00:40:00-09:27:30 local). shortData wakes (29 of them) total 1740 s and are cut
    out of the segments under them: 240 s from deep (01:48 150 s, 04:33 90 s), 420 s from REM
    (04:53:30 60, 05:01 60, 05:07:30 30, 06:13 30, 06:19:30 30, 06:29:30 30, 06:47:30 30,
    07:01 30, 07:09 30, 07:15:30 30, 08:35 30, 08:46 30) and 1080 s from light.
      deep = 5280 s = 88 min, REM = 7170 s = 119.5 min, core (light) = 15450 s = 257.5 min,
      asleep = 88 + 119.5 + 257.5 = 465 min (Fitbit's own minutesAsleep: 465),
      awake = 527.5 - 465 = 62.5 min.
    Awakenings ≥ 1 min after onset (00:40) and before the final wake (09:05): wake 00:41 (3.5
    min), 03:39 (7.5 min) and the shortData wakes of ≥ 60 s (01:48, 02:01:30, 02:13:30, 03:14,
    04:33, 04:38, 04:53:30, 05:01, 05:15, 07:30, 08:28:30, 08:48:30): 2 + 12 = 14.
    Night: starts 00:40 local on 05-13 (before noon) → night 2023-05-12.
    """
    path = samples / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_1_item.json"
    rows = nights_of(path, "fitbit", "America/New_York")
    night = row(rows, date(2023, 5, 12), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (527.5, 465, 62.5)
    assert (night.deep_min, night.core_min, night.rem_min) == (88, 257.5, 119.5)
    assert night.awakenings == 14
    assert night.session_start == utc(2023, 5, 13, 4, 40)


def test_fitbit_classic_night(samples: Path) -> None:
    """fitbit_sleep_response_classic.json (00:35-08:07 local, 452 min in bed).

    asleep = 9900+120+2280+2820+4320+900+360+180+5460 = 26340 s = 439 min (Fitbit: 439);
    awake = 120 (awake) + 11 restless minutes (660 s) = 13 min; no stage detail.
    Awakenings: the 8 restless bouts after onset (03:23, 03:27, 04:06, 04:54, 06:07, 06:23,
    06:31, 06:35); the awake/restless at 00:35-00:38 come before onset.
    """
    path = samples / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_classic.json"
    night = row(nights_of(path, "fitbit", "America/New_York"), date(2023, 5, 16), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (452, 439, 13)
    assert (night.deep_min, night.awakenings) == (None, 8)


def test_fitbit_nap_is_not_main(samples: Path) -> None:
    """fitbit-sleep-date.json: main 01:16-03:14 (asleep 4980+420+60+1260 s = 112 min, restless
    6 min) and a 09:59 nap of 3780 s = 63 min, both before noon → night 2016-12-12."""
    rows = nights_of(samples / "fitbit" / "shimmer" / "fitbit-sleep-date.json", "fitbit", "UTC")
    main = row(rows, date(2016, 12, 12), COMBINED)
    nap = row(rows, date(2016, 12, 12), COMBINED, main=False)
    assert (main.in_bed_min, main.asleep_min, main.awake_min) == (118, 112, 6)
    assert (nap.in_bed_min, nap.asleep_min) == (63, 63)


def test_fitbit_afternoon_nap_is_never_main(samples: Path) -> None:
    """The 15:26-18:30 nap of 2023-05-14 is the only sleep of that night in the file; it lies
    mostly outside 18:00-12:00, so it stays a nap."""
    path = samples / "fitbit" / "slack-health-bot" / "fitbit_sleep_response_2_items.json"
    rows = nights_of(path, "fitbit", "America/New_York")
    assert row(rows, date(2023, 5, 14), COMBINED, main=False).asleep_min == 156
    assert row(rows, date(2023, 5, 13), COMBINED).asleep_min == 417.5


def test_garmin_summary_night(samples: Path) -> None:
    """wellness-dailySleepData/2021-07-01.json: 06:32 to 11:41 UTC = 309 min =
    sleepTimeSeconds 18540 s; deep 6300 s = 105, light 9960 s = 166, REM 2280 s = 38, awake 0.
    Local − GMT = −5 h, so sleep began 01:32 on 07-01 → night 2021-06-30."""
    path = samples / "garmin" / "garth" / "wellness-dailySleepData" / "2021-07-01.json"
    night = row(nights_of(path, "garmin"), date(2021, 6, 30), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (309, 309, 0)
    assert (night.deep_min, night.core_min, night.rem_min) == approx((105, 166, 38))
    assert night.awakenings is None  # the 2021 endpoint has no awakeCount


def test_garmin_new_endpoint_night(samples: Path) -> None:
    """sleep-dailySleepData/2025-07-07.json: 04:47:28 to 11:37:28 UTC = 410 min; asleep
    24180 s = 403 min (deep 88, light 224, REM 91), awake 420 s = 7 min, awakeCount 1.
    Offset −6 h: 22:47 on 07-06 → night 2025-07-06."""
    path = samples / "garmin" / "garth" / "sleep-dailySleepData" / "2025-07-07.json"
    night = row(nights_of(path, "garmin"), date(2025, 7, 6), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (410, 403, 7)
    assert (night.deep_min, night.core_min, night.rem_min) == approx((88, 224, 91))
    assert night.awakenings == 1


def test_withings_summary_nights(samples: Path) -> None:
    """withings-sleep-summary.json (Europe/London, BST):
    1) 2017-09-01 23:15 → 09-02 02:25 UTC = 190 min; light 3360 s = 56, deep 7800 s = 130,
       asleep 186, awake 4, wakeupcount 4; 00:15 BST on 09-02 → night 2017-09-01.
    2) 2017-09-03 22:19 → 09-04 07:19 UTC = 540 min; light 15900 s = 265, deep 13800 s = 230,
       asleep 495, awake 45, wakeupcount 0; 23:19 BST → night 2017-09-03."""
    rows = nights_of(samples / "withings" / "shimmer" / "withings-sleep-summary.json", "withings")
    first, second = (row(rows, date(2017, 9, d), COMBINED) for d in (1, 3))
    assert (first.in_bed_min, first.asleep_min, first.awake_min, first.awakenings) == (
        190,
        186,
        4,
        4,
    )
    assert (first.deep_min, first.core_min) == approx((130, 56))
    assert first.rem_min is None  # the summary has no remsleepduration: unknown, not 0
    assert (second.in_bed_min, second.asleep_min, second.awake_min) == (540, 495, 45)
    assert first.zone == "Europe/London"


def test_withings_segments(samples: Path) -> None:
    """withings-sleep-measures.json (UTC, no zone): awake 20:00-20:15, light 20:16-20:32,
    REM 20:33-21:00. In bed 15+16+27 = 58 (the 1-min gaps have no data), asleep 16+27 = 43,
    awake 15; the gap 20:32-20:33 is not an awakening."""
    rows = nights_of(samples / "withings" / "shimmer" / "withings-sleep-measures.json", "withings")
    night = row(rows, date(2014, 12, 2), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (58, 43, 15)
    assert (night.core_min, night.rem_min, night.deep_min, night.awakenings) == (16, 27, 0, 0)


def test_oura_fixture_night(samples: Path) -> None:
    """oura-sleep-v2.json: hypnogram of 96 five-minute slots from 23:00 (+01:00):
    4×3 2×12 1×12 2×12 3×6 4×2 2×18 1×6 3×9 2×12 3×2 4×2 →
    light (2) 12+12+18+12 = 54 slots = 270 min, deep (1) 12+6 = 18 = 90, REM (3) 6+9+2 = 17 = 85,
    awake (4) 3+2+2 = 7 = 35; asleep 445, in bed 480; one awakening (the 10 min after REM);
    onset 23:15, final wake 06:50 (+01:00). Heart rate items from 23:00 every 5 min
    [null, 62, 58, 56, 54, 52]: inside 23:15-06:50 are 56, 54, 52 → 54."""
    rows = nights_of(samples / "oura" / "oura-sleep-v2.json", "oura")
    night = row(rows, date(2024, 3, 9), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (480, 445, 35)
    assert (night.core_min, night.deep_min, night.rem_min, night.awakenings) == (270, 90, 85, 1)
    assert (night.sleep_start, night.sleep_end) == (
        utc(2024, 3, 9, 22, 15),
        utc(2024, 3, 10, 5, 50),
    )
    assert night.hr_mean == 54
    assert night.hrv_mean is None  # Oura's HRV is RMSSD; hrv_mean is SDNN by default
    assert row(rows, date(2024, 3, 10), COMBINED, main=False).asleep_min == 30
    rmssd = nights_of(
        samples / "oura" / "oura-sleep-v2.json", "oura", config=NightConfig(hrv_kind="hrv_rmssd")
    )
    assert row(rmssd, date(2024, 3, 9), COMBINED).hrv_mean == 42  # (40 + 44) / 2


def test_sleep_as_android_manual_night(samples: Path) -> None:
    """sleep-export.1606907034.zip: record Id 1606852800000 = 2020-12-01 20:00 UTC (London,
    GMT), Hours 11.000 → 07:00 on 12-02; asleep 11 × 60 + LenAdjust 0 = 660 min."""
    path = samples / "sleep-as-android" / "sleepdiary-core" / "sleep-export.1606907034.zip"
    night = row(nights_of(path, "sleep-as-android"), date(2020, 12, 1), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min) == (660, 660, 0)
    assert night.deep_min is None and night.zone == "Europe/London"


def test_a_summary_reports_only_the_stages_it_has() -> None:
    """A Sleep as Android record (asleep 36.6 min, DeepSleep 0.0) knows deep (0 min) but not
    core or REM; a Withings summary without remsleepduration knows deep and core but not REM.
    Unknown stages are None, not 0."""
    android = SleepSummary(
        utc(2020, 11, 30, 11, 3), utc(2020, 11, 30, 11, 39, 36), "sleep-as-android",
        "Sleep as Android", asleep_min=36.6, deep_min=0.0,
    )  # fmt: skip
    (night,) = assemble_nights([android], per_source=False)
    assert night.asleep_min == approx(36.6)
    assert (night.deep_min, night.core_min, night.rem_min) == (0, None, None)
    withings = SleepSummary(
        utc(2017, 9, 1, 23), utc(2017, 9, 2, 2), "withings", "Withings",
        asleep_min=180, deep_min=120, core_min=60,
    )  # fmt: skip
    (night,) = assemble_nights([withings], per_source=False)
    assert (night.deep_min, night.core_min) == approx((120, 60))
    assert night.rem_min is None


def test_sleepmeter_duplicate_rows_count_once(samples: Path) -> None:
    """sleep_history_2020-11-23.4.csv: the same night twice (bed 22:50, asleep 23:00, wake
    07:00 UTC): in bed 490, asleep 480, awake 10 (latency), no holes → 0 awakenings."""
    path = samples / "sleepmeter" / "sleepdiary-core" / "sleep_history_2020-11-23.4.csv"
    night = row(nights_of(path, "sleepmeter"), date(2020, 11, 22), COMBINED)
    assert (night.in_bed_min, night.asleep_min, night.awake_min, night.awakenings) == (
        490,
        480,
        10,
        0,
    )


def test_plees_seconds_long_sessions(samples: Path) -> None:
    """plees-tracker.csv: 28.161 s + 1.522 s + 1.407 s asleep = 31.09 s, one session."""
    rows = nights_of(samples / "plees-tracker" / "sleepdiary-core" / "plees-tracker.csv", "plees")
    (night,) = [r for r in rows if r.source == COMBINED]
    assert night.asleep_min == pytest.approx(31.09 / 60)
    assert night.night == date(2020, 12, 18)


def seg(
    start: tuple[int, ...], end: tuple[int, ...], stage: str, name: str, source: str = "csv"
) -> SleepSegment:
    return SleepSegment(utc(*start), utc(*end), stage, source, name)  # type: ignore[arg-type]


def test_priority_order_is_configurable() -> None:
    """Two sources with only asleep/awake statements disagree 23:00-00:00."""
    oura = seg((2024, 1, 1, 23), (2024, 1, 2, 0), "asleep_unspecified", "Oura ring")
    phone = seg((2024, 1, 1, 23), (2024, 1, 2, 0), "awake", "Sleep app", "sleep-as-android")
    default = assemble_nights([oura, phone], per_source=False)[0]
    assert (default.asleep_min, default.sources) == (60, ("Oura ring",))
    flipped = NightConfig(priority=SourcePriority(order=("phone_app", "oura", "other")))
    other = assemble_nights([oura, phone], config=flipped, per_source=False)[0]
    assert (other.asleep_min, other.sources) == (0, ("Sleep app",))


def test_stage_detail_beats_priority() -> None:
    """An iPhone-class source with stages beats an Oura-class one without (the rule can be
    turned off)."""
    staged = seg((2024, 1, 1, 23), (2024, 1, 2, 1), "deep", "Sam's iPhone", "apple-health")
    plain = seg((2024, 1, 1, 23), (2024, 1, 2, 1), "awake", "Oura", "oura")
    assert assemble_nights([staged, plain], per_source=False)[0].deep_min == 120
    off = NightConfig(prefer_stage_detail=False)
    assert assemble_nights([staged, plain], config=off, per_source=False)[0].asleep_min == 0


def test_summary_and_segments_share_minutes_without_double_counting() -> None:
    """A Garmin summary 22:00-06:00 (480 min, asleep 420, deep 60) overlapping Watch stages
    00:00-02:00 (core): the Watch wins its 120 min; the summary counts pro rata for the other
    360: asleep 360 × 420/480 = 315 → 435 in all; deep 360 × 60/480 = 45."""
    summary = SleepSummary(
        utc(2024, 1, 1, 22),
        utc(2024, 1, 2, 6),
        "garmin",
        "Garmin",
        asleep_min=420,
        deep_min=60,
        core_min=300,
        rem_min=60,
    )
    watch = seg((2024, 1, 2, 0), (2024, 1, 2, 2), "core", "Apple Watch", "apple-health")
    night = assemble_nights([summary, watch], per_source=False)[0]
    assert night.in_bed_min == 480
    assert night.asleep_min == pytest.approx(435)
    assert night.deep_min == pytest.approx(45)
    assert night.core_min == pytest.approx(120 + 360 * 300 / 480)
    assert night.awakenings is None


def test_sessions_split_on_gaps_and_window_is_configurable() -> None:
    early = seg((2024, 1, 1, 20), (2024, 1, 1, 21), "asleep_unspecified", "A")
    late = seg((2024, 1, 1, 22, 1), (2024, 1, 2, 5), "asleep_unspecified", "A")
    rows = assemble_nights([early, late], per_source=False)
    assert [(r.in_bed_min, r.is_main) for r in rows] == [(60, False), (419, True)]
    one = assemble_nights([early, late], config=NightConfig(session_gap_min=90), per_source=False)
    assert [(r.in_bed_min, r.asleep_min) for r in one] == [(479, 479)]
    shifted = NightConfig(window_start=time(21), window_end=time(4))
    assert assemble_nights([early], config=shifted, per_source=False)[0].is_main is False


def test_nights_filter() -> None:
    first = seg((2024, 1, 1, 23), (2024, 1, 2, 6), "asleep_unspecified", "A")
    second = seg((2024, 1, 2, 23), (2024, 1, 3, 6), "asleep_unspecified", "A")
    rows = assemble_nights([first, second], nights={date(2024, 1, 2)})
    assert {r.night for r in rows} == {date(2024, 1, 2)}
    assert len(rows) == 2  # combined + the source's own row
