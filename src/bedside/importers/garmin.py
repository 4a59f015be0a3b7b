"""Garmin Connect sleep: ``dailySleepData`` API responses and GDPR ``*_sleepData.json`` files.

* API responses (``/wellness-service/…/dailySleepData`` and ``/sleep-service/…``, as saved by
  tools such as garth): one object per night with ``dailySleepDTO`` and ``sleepLevels``;
* GDPR account export (``DI_CONNECT/DI-Connect-Wellness/*_sleepData.json``): a list of
  night objects with the same field names at the top level (timestamps may be ISO strings);
* a folder of either.

Each night with data becomes a :class:`SleepSummary` (deep/light/REM/awake seconds, awake
count); ``sleepStartTimestampGMT``/``…EndTimestampGMT`` are real instants (epoch ms). The
``…Local`` fields are epoch ms *shifted by the local offset* (not instants): their difference
from the GMT fields gives the UTC offset, kept as ``offset_min``. When ``sleepLevels`` is
present, each ``{startGMT, endGMT, activityLevel}`` also becomes a :class:`SleepSegment`
(0 deep, 1 light, 2 REM, 3 awake, as read by third-party clients; Garmin does not document
it). A ``restingHeartRate`` becomes a :class:`Sample` at the start of the calendar date.
Nights whose fields are all ``null`` (no data that day) are counted in ``stats.ignored``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    Sample,
    SleepSegment,
    SleepSummary,
    Stage,
)
from bedside.importers.jsondocs import iter_documents, minutes_from_seconds, number, sniff_json
from bedside.importers.timeparse import TimeFormatError, from_epoch_ms, parse_iso

SOURCE = "garmin"
SOURCE_NAME = "Garmin"
LEVELS: dict[int, Stage] = {0: "deep", 1: "core", 2: "rem", 3: "awake"}
_MARKERS = (b'"sleepStartTimestampGMT"',)


class GarminImporter:
    """Importer for Garmin Connect sleep JSON (see the module docstring)."""

    name = "garmin"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a Garmin daily sleep file or a folder holding some."""
        return sniff_json(path, _MARKERS)

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream one summary (and any level segments) per night."""
        stats = stats if stats is not None else ImportStats()
        for file, document in iter_documents(path, _MARKERS, progress):
            for night in _nights(file, document):
                try:
                    yield from _night(night, stats)
                except (KeyError, TypeError, ValueError, TimeFormatError) as exc:
                    raise ImportFileError(file, f"unreadable sleep night: {exc}") from None


def _nights(file: Path, document: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(summary fields, whole object)`` pairs for the API and the GDPR shapes."""
    if isinstance(document, dict) and isinstance(document.get("dailySleepDTO"), dict):
        return [(document["dailySleepDTO"], document)]
    if isinstance(document, list):
        return [(item, item) for item in document if isinstance(item, dict)]
    raise ImportFileError(file, "not Garmin sleep data (no dailySleepDTO)")


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return from_epoch_ms(value)
    return parse_iso(str(value), UTC)  # GDPR files write GMT without an offset


def _night(pair: tuple[dict[str, Any], dict[str, Any]], stats: ImportStats) -> Iterator[Record]:
    dto, whole = pair
    start = _instant(dto.get("sleepStartTimestampGMT"))
    end = _instant(dto.get("sleepEndTimestampGMT"))
    if start is None or end is None:
        stats.ignored["night without sleep data"] += 1
        return
    offset = _offset(dto)
    yield SleepSummary(
        start=start,
        end=end,
        source=SOURCE,
        source_name=SOURCE_NAME,
        asleep_min=minutes_from_seconds(dto.get("sleepTimeSeconds")),
        deep_min=minutes_from_seconds(dto.get("deepSleepSeconds")),
        core_min=minutes_from_seconds(dto.get("lightSleepSeconds")),
        rem_min=minutes_from_seconds(dto.get("remSleepSeconds")),
        awake_min=minutes_from_seconds(dto.get("awakeSleepSeconds")),
        awakenings=_int(dto.get("awakeCount")),
        offset_min=offset,
        external_id=str(dto.get("id") or "") or None,
    )
    for level in whole.get("sleepLevels") or []:
        stage = LEVELS.get(int(level["activityLevel"]))
        if stage is not None:
            yield SleepSegment(
                _instant(level["startGMT"]) or start,
                _instant(level["endGMT"]) or end,
                stage,
                SOURCE,
                SOURCE_NAME,
                offset_min=offset,
            )
    resting = number(whole.get("restingHeartRate"))
    day = dto.get("calendarDate")
    if resting is not None and day and offset is not None:
        local_midnight = datetime.fromisoformat(str(day)).replace(
            tzinfo=timezone(timedelta(minutes=offset))
        )
        yield Sample(
            "resting_heart_rate", local_midnight.astimezone(UTC), resting, SOURCE, SOURCE_NAME
        )


def _offset(dto: dict[str, Any]) -> int | None:
    local, gmt = (
        number(dto.get("sleepStartTimestampLocal")),
        number(dto.get("sleepStartTimestampGMT")),
    )
    if local is None or gmt is None:
        return None
    return round((local - gmt) / 60_000)


def _int(value: Any) -> int | None:
    result = number(value)
    return None if result is None else int(result)
