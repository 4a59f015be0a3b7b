"""Rebuilding the stored wearable nights: the same rows as the pure assembly, asked cheaply.

Seventy nights in London of Apple Watch stages, an iPhone ``InBed`` span and, every other day,
an afternoon nap: three distinct sleep windows on most nights, so a chunk of 31 nights asks
for more windows than one batch of the heart-rate statement holds. Heart-rate samples sit
exactly on sleep onset and final wake (counted) and one second outside them (not counted,
and far off so a wrong bound shows); HRV (SDNN) is missing every third night, and an RMSSD
reading is never averaged as SDNN.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from bedside.services import profiles
from bedside.services.runtime import Bedside
from bedside.services.sleep_nights import recompute_all_nights
from bedside.services.wearable_writer import WearableWriter
from bedside.settings import load_settings
from bedside.sleep.nights import NightConfig, assemble_nights
from bedside.sleep.records import Sample, SampleKind, SleepSegment, Stage
from bedside.storage.wearables import SleepNightRow

LONDON = ZoneInfo("Europe/London")
WATCH, PHONE = "Sam’s Apple Watch", "Sam’s iPhone"
FIRST = date(2024, 1, 6)
NIGHTS = 70


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """London wall-clock time on ``day`` (hours past 23 run into the next day), as UTC."""
    local = datetime(day.year, day.month, day.day, tzinfo=LONDON) + timedelta(
        hours=hour, minutes=minute, seconds=second
    )
    return local.astimezone(UTC)


def night_records(day: date) -> list[SleepSegment]:
    """One night's Watch stages and iPhone in-bed span, and a nap every other afternoon."""
    stages: list[tuple[Stage, int, int]] = [
        ("core", 23 * 60, 25 * 60),
        ("deep", 25 * 60, 26 * 60),
        ("rem", 26 * 60, 27 * 60),
        ("awake", 27 * 60, 27 * 60 + 10),
        ("core", 27 * 60 + 10, 30 * 60 + 30 + day.toordinal() % 7),
    ]
    records = [
        SleepSegment(at(day, 0, a), at(day, 0, b), stage, "apple-health", WATCH)
        for stage, a, b in stages
    ]
    records.append(SleepSegment(at(day, 22, 40), at(day, 31), "in_bed", "apple-health", PHONE))
    if day.toordinal() % 2:
        nap = at(day, 15), at(day, 15, 40)
        records.append(SleepSegment(*nap, "asleep_unspecified", "apple-health", WATCH))
    return records


def night_samples(day: date) -> list[Sample]:
    """Heart rate every 20 minutes, on and just outside the sleep bounds; HRV most nights."""
    final = 30 * 60 + 30 + day.toordinal() % 7  # minutes after the day's midnight
    readings: list[tuple[SampleKind, datetime, float]] = [
        ("heart_rate", at(day, 21, minutes), 50.0 + minutes % 13)
        for minutes in range(0, 11 * 60, 20)
    ]
    readings += [
        ("heart_rate", at(day, 23), 61.0),  # onset: counted
        ("heart_rate", at(day, 22, 59, 59), 200.0),  # a second before: not counted
        ("heart_rate", at(day, 0, final), 47.0),  # final wake: counted
        ("heart_rate", at(day, 0, final, 1), 190.0),  # a second after: not counted
        ("heart_rate", at(day, 15, 20), 71.0 + day.day % 5),  # during the nap
        ("hrv_rmssd", at(day, 26), 999.0),  # never averaged as SDNN
    ]
    if day.toordinal() % 3:
        readings += [("hrv_sdnn", at(day, 26), 38.0 + day.day % 4), ("hrv_sdnn", at(day, 29), 45.5)]
    return [Sample(kind, time, value, "apple-health", WATCH) for kind, time, value in readings]


def store(app: Bedside, records: Sequence[SleepSegment | Sample]) -> None:
    """Write records as an import does, without rebuilding the nights."""
    with app.scope() as scope:
        writer = WearableWriter(scope.session, scope.user.id, "apple-health", "Europe/London")
        for record in records:
            writer.add(record)
        writer.flush()


@pytest.fixture
def bedside(database: str) -> Iterator[Bedside]:
    """The test database with a London profile."""
    app = Bedside(load_settings(db=database, environ={})).start()
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "Europe/London"})
    yield app
    app.close()


@pytest.fixture
def app(bedside: Bedside) -> Bedside:
    """Seventy nights of Watch and iPhone data, stored."""
    for offset in range(NIGHTS):
        day = FIRST + timedelta(days=offset)
        store(bedside, [*night_records(day), *night_samples(day)])
    return bedside


def stored_rows(app: Bedside) -> dict[tuple[Any, ...], dict[str, Any]]:
    with app.scope() as scope:
        rows = scope.session.scalars(select(SleepNightRow)).all()
        return {
            (r.night, r.source, r.source_name, r.session_start): {
                "is_main": r.is_main,
                "sleep": (r.sleep_start, r.sleep_end),
                "minutes": (r.in_bed_min, r.asleep_min, r.deep_min, r.core_min, r.rem_min),
                "awake": (r.awake_min, r.awakenings),
                "hr_mean": r.hr_mean,
                "hrv_mean": r.hrv_mean,
            }
            for r in rows
        }


def assert_as_assembled(
    stored: dict[tuple[Any, ...], dict[str, Any]],
    records: Sequence[SleepSegment],
    samples: Sequence[Sample],
) -> int:
    """Every row the pure assembly gives is stored with the same figures; returns their count."""
    expected = assemble_nights(records, samples, NightConfig(default_zone="Europe/London"))
    for night in expected:
        row = stored[(night.night, night.source, night.source_name, night.session_start)]
        assert row["is_main"] == night.is_main
        assert row["sleep"] == (night.sleep_start, night.sleep_end)
        minutes = (night.in_bed_min, night.asleep_min, night.deep_min, night.core_min)
        assert row["minutes"] == (*minutes, night.rem_min)
        assert row["awake"] == (night.awake_min, night.awakenings)
        assert row["hr_mean"] == pytest.approx(night.hr_mean, rel=1e-12)
        assert row["hrv_mean"] == pytest.approx(night.hrv_mean, rel=1e-12)
    return len(expected)


def test_rebuilt_nights_match_the_pure_assembly_with_its_heart_figures(app: Bedside) -> None:
    with app.scope() as scope:
        assert recompute_all_nights(scope) == NIGHTS
    records, samples = [], []
    for offset in range(NIGHTS):
        day = FIRST + timedelta(days=offset)
        records += night_records(day)
        samples += night_samples(day)
    stored = stored_rows(app)
    assert len(stored) == assert_as_assembled(stored, records, samples) > 3 * NIGHTS
    combined = [v for k, v in stored.items() if k[1] == "combined" and v["is_main"]]
    assert len(combined) == NIGHTS
    assert all(40 < v["hr_mean"] < 70 for v in combined)  # the far-off readings stayed out
    days = [FIRST + timedelta(days=offset) for offset in range(NIGHTS)]
    no_hrv = sum(day.toordinal() % 3 == 0 for day in days)
    assert sum(v["hrv_mean"] is None for v in combined) == no_hrv > 0


def test_heart_figures_are_asked_by_one_statement_compiled_once(app: Bedside) -> None:
    """Every chunk of nights, whatever its number of windows, runs the same SQL text (so it is
    compiled once), for heart rate and HRV together."""
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "avg(health_samples.value)" in statement:
            statements.append(statement)

    event.listen(app.database.engine, "before_cursor_execute", seen)
    try:
        with app.scope() as scope:
            recompute_all_nights(scope)
    finally:
        event.remove(app.database.engine, "before_cursor_execute", seen)
    chunks = 3  # 71 nights in chunks of 31
    assert len(set(statements)) == 1
    assert chunks <= len(statements) <= 2 * chunks  # a second batch in the two full chunks


def test_a_record_longer_than_a_chunk_still_reaches_the_nights_it_covers(bedside: Bedside) -> None:
    """A Watch record of 46 days (a device left recording) starts a month and a half before
    the iPhone's nights inside it: the chunks of those nights must still read it (their
    combined rows belong to its session, keyed by the night it started), however far back
    it starts."""
    start = date(2024, 1, 10)
    long = SleepSegment(
        at(start, 22), at(start, 46 * 24), "asleep_unspecified", "apple-health", WATCH
    )
    inside = [
        SleepSegment(at(day, 23), at(day, 31), "in_bed", "apple-health", PHONE)
        for day in (date(2024, 2, 1) + timedelta(days=k) for k in range(20))
    ]
    after = [r for k in range(10) for r in night_records(date(2024, 3, 1) + timedelta(days=k))]
    records = [long, *inside, *after]
    store(bedside, records)
    with bedside.scope() as scope:
        recompute_all_nights(scope)
    stored = stored_rows(bedside)
    assert len(stored) == assert_as_assembled(stored, records, [])
    combined = sorted(k[0] for k in stored if k[1] == "combined")
    assert combined[0] == start and date(2024, 2, 10) not in combined
    phone = sorted(k[0] for k in stored if k[2] == PHONE)
    assert phone[:20] == [date(2024, 2, 1) + timedelta(days=k) for k in range(20)]
