"""Small helpers shared by the importer tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bedside.sleep.records import Record, Sample, SleepSegment, SleepSummary

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    """``utc(2024, 3, 10, 7)`` → an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def sleep_records(records: Iterable[Record]) -> list[SleepSegment | SleepSummary]:
    """The sleep records among ``records``."""
    return [r for r in records if isinstance(r, SleepSegment | SleepSummary)]


def segments(records: Iterable[Record]) -> list[SleepSegment]:
    """The stage segments among ``records``."""
    return [r for r in records if isinstance(r, SleepSegment)]


def samples_of(records: Iterable[Record]) -> list[Sample]:
    """The samples among ``records``."""
    return [r for r in records if isinstance(r, Sample)]
