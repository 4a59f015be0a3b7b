"""Oura sleep periods: API v2 ``sleep`` documents, the older v1 export, or a CSV of the same.

No openly licensed Oura export exists, so this follows Oura's documented field names (tests
use a hand-written fixture):

* **v2** (``{"data": [...]}`` or a bare list): ``bedtime_start``/``bedtime_end`` (ISO 8601
  with offset), durations in seconds (``deep_sleep_duration``, ``light_sleep_duration``,
  ``rem_sleep_duration``, ``awake_time``, ``total_sleep_duration``), ``type``
  (``long_sleep``, ``sleep``, ``late_nap``, ``rest``), ``sleep_phase_5_min`` (one digit per
  5 minutes from ``bedtime_start``: 1 deep, 2 light, 3 REM, 4 awake), ``heart_rate`` and
  ``hrv`` (``{interval, items, timestamp}``; Oura's HRV is RMSSD);
* **v1 export** (``{"sleep": [...]}``): ``bedtime_start``/``bedtime_end``, ``deep``,
  ``light``, ``rem``, ``awake``, ``total`` (seconds), ``hypnogram_5min`` (same digits),
  ``hr_5min``/``rmssd_5min`` (one value per 5 minutes, 0 = no reading);
* **CSV** whose header has ``bedtime_start`` and ``bedtime_end``, with v2 column names.

A period with a hypnogram becomes 5-minute :class:`SleepSegment` records (the last one cut at
``bedtime_end``); one without becomes a :class:`SleepSummary`. Heart-rate and HRV series
become :class:`Sample` records (``hrv_rmssd``, not SDNN). ``rest`` periods (lying down awake)
are skipped and counted in ``stats.ignored``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    Sample,
    SampleKind,
    SleepSegment,
    SleepSummary,
    Stage,
)
from bedside.importers.jsondocs import iter_documents, minutes_from_seconds, number, sniff_json
from bedside.importers.streams import csv_failure, open_lines, peek
from bedside.importers.timeparse import TimeFormatError, offset_minutes, parse_iso

SOURCE = "oura"
SOURCE_NAME = "Oura"
PHASES: dict[str, Stage] = {"1": "deep", "2": "core", "3": "rem", "4": "awake"}
_MARKERS = (b'"bedtime_start"',)
_STEP = timedelta(minutes=5)


class OuraImporter:
    """Importer for Oura sleep periods (see the module docstring)."""

    name = "oura"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for Oura JSON (v1 or v2) or a CSV with ``bedtime_start``/``bedtime_end``."""
        if path.suffix.lower() == ".csv":
            head = peek(path, 4096).split(b"\n", 1)[0]
            return b"bedtime_start" in head and b"bedtime_end" in head
        return sniff_json(path, _MARKERS)

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream sleep periods and their heart-rate/HRV series."""
        stats = stats if stats is not None else ImportStats()
        if path.suffix.lower() == ".csv":
            with open_lines(path, progress) as lines:
                reader = csv.DictReader(lines)
                try:
                    yield from _periods(path, reader, stats, first_line=2)
                except csv.Error as exc:
                    raise csv_failure(path, exc, reader.line_num) from None
            return
        for file, document in iter_documents(path, _MARKERS, progress):
            yield from _periods(file, _period_list(file, document), stats, first_line=None)


def _period_list(file: Path, document: Any) -> list[dict[str, Any]]:
    if isinstance(document, dict):
        for key in ("data", "sleep"):
            if isinstance(document.get(key), list):
                return list(document[key])
    if isinstance(document, list):
        return document
    raise ImportFileError(file, "not Oura sleep data (no 'data' or 'sleep' list)")


def _periods(
    file: Path, periods: Iterable[dict[str, Any]], stats: ImportStats, first_line: int | None
) -> Iterator[Record]:
    for index, period in enumerate(periods):
        if period.get("type") == "rest":
            stats.ignored["rest period"] += 1
            continue
        try:
            yield from _period(period)
        except (KeyError, TypeError, ValueError, TimeFormatError) as exc:
            line = None if first_line is None else first_line + index
            raise ImportFileError(file, f"unreadable sleep period: {exc}", line=line) from None


def _period(period: dict[str, Any]) -> Iterator[Record]:
    start = parse_iso(str(period["bedtime_start"]), None)
    end = parse_iso(str(period["bedtime_end"]), None)
    offset = offset_minutes(datetime.fromisoformat(str(period["bedtime_start"])))
    hypnogram = str(period.get("sleep_phase_5_min") or period.get("hypnogram_5min") or "")
    if hypnogram:
        for i, digit in enumerate(hypnogram):
            seg_start = start + i * _STEP
            stage = PHASES.get(digit)
            if stage is None or seg_start >= end:
                continue
            yield SleepSegment(
                seg_start, min(seg_start + _STEP, end), stage, SOURCE, SOURCE_NAME,
                offset_min=offset,
            )  # fmt: skip
    else:
        yield _summary(period, start, end, offset)
    yield from _series(period, start)


def _summary(period: dict[str, Any], start: datetime, end: datetime, offset: int | None) -> Record:
    def seconds(*keys: str) -> float | None:
        for key in keys:
            if period.get(key) not in (None, ""):
                return minutes_from_seconds(period[key])
        return None

    return SleepSummary(
        start=start,
        end=end,
        source=SOURCE,
        source_name=SOURCE_NAME,
        asleep_min=seconds("total_sleep_duration", "total"),
        deep_min=seconds("deep_sleep_duration", "deep"),
        core_min=seconds("light_sleep_duration", "light"),
        rem_min=seconds("rem_sleep_duration", "rem"),
        awake_min=seconds("awake_time", "awake"),
        is_main=_is_main(period),
        offset_min=offset,
        external_id=str(period.get("id") or period.get("period_id") or "") or None,
    )


def _is_main(period: dict[str, Any]) -> bool | None:
    if "is_longest" in period:
        return bool(number(period["is_longest"]))
    kind = period.get("type")
    return None if kind is None else kind == "long_sleep"


def _series(period: dict[str, Any], start: datetime) -> Iterator[Sample]:
    """Heart rate and HRV: v2 ``{interval, items, timestamp}`` or v1 5-minute lists."""
    series: tuple[tuple[str, str, SampleKind], ...] = (
        ("heart_rate", "hr_5min", "heart_rate"),
        ("hrv", "rmssd_5min", "hrv_rmssd"),
    )
    for key, v1_key, kind in series:
        block = period.get(key)
        if isinstance(block, dict) and isinstance(block.get("items"), list):
            first = parse_iso(str(block["timestamp"]), None)
            step = timedelta(seconds=float(block.get("interval") or 300))
            yield from _points(kind, first, step, block["items"])
        elif isinstance(period.get(v1_key), list):
            yield from _points(kind, start, _STEP, period[v1_key])


def _points(
    kind: SampleKind, first: datetime, step: timedelta, items: list[Any]
) -> Iterator[Sample]:
    for i, item in enumerate(items):
        value = number(item)
        if value is not None and value > 0:
            yield Sample(kind, first + i * step, value, SOURCE, SOURCE_NAME)
