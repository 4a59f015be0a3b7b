"""Fitbit sleep logs: Web API v1.2 responses and Google Takeout ``sleep-YYYY-MM-DD.json``.

Accepted shapes: an object with a ``sleep`` array (API; ``isMainSleep``), a bare array of logs
(Takeout; ``mainSleep``), or a folder of such files. Per log:

* ``levels.data`` (``stages``: deep/light/rem/wake; ``classic``: asleep/restless/awake) become
  :class:`SleepSegment` records, with the short wakes of ``levels.shortData`` (≤ 3 min, which
  Fitbit reports *on top of* the long segments) cut out of the segments they interrupt, so
  the segments never overlap. ``light`` → ``core``; ``restless`` → ``awake``.
* A log without ``levels.data`` becomes a :class:`SleepSummary` (``minutesAsleep``,
  ``minutesAwake``).

Fitbit writes **local wall-clock times without an offset** (``2023-05-13T00:40:00.000``), so the
importer must be told the zone the person was in (``zone=``); without one it refuses. Segment
ends are computed from ``seconds``, not from ``endTime`` (rounded to 30 s by Fitbit).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    SleepSegment,
    SleepSummary,
    Stage,
)
from bedside.importers.jsondocs import iter_documents, number, sniff_json
from bedside.importers.streams import peek
from bedside.importers.timeparse import TimeFormatError, load_zone, local_to_utc, offset_minutes

SOURCE = "fitbit"
SOURCE_NAME = "Fitbit"
LEVELS: dict[str, Stage] = {
    "deep": "deep",
    "light": "core",
    "rem": "rem",
    "wake": "awake",
    "asleep": "asleep_unspecified",
    "restless": "awake",
    "awake": "awake",
}
_MARKERS = (b'"dateOfSleep"',)
_EMPTY_RESPONSE = re.compile(rb'\s*\{\s*"sleep"\s*:\s*\[\s*\]\s*\}\s*\Z')

_Span = tuple[datetime, datetime, Stage]


class FitbitImporter:
    """Importer for Fitbit sleep JSON (see the module docstring)."""

    name = "fitbit"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for Fitbit sleep JSON (API or Takeout), or a folder holding some.

        An API response for days without sleep (``{"sleep": []}``, with or without a zero
        ``summary``) is recognised too: it imports nothing, which is not an error.
        """
        return (
            sniff_json(path, _MARKERS)
            or sniff_json(path, (b'"sleep"', b'"totalTimeInBed"'))
            or (path.is_file() and _EMPTY_RESPONSE.match(peek(path, 4096)) is not None)
        )

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream segments and summaries from Fitbit sleep logs."""
        zone = load_zone(self.zone)
        if zone is None:
            raise ImportFileError(
                path,
                "Fitbit writes local times without a UTC offset, so Bedside needs the time "
                "zone you were in: set the time zone in your profile, or give one for this "
                f"import (an IANA name such as Europe/London){_bad_zone(self.zone)}",
            )
        markers = _MARKERS if not path.is_dir() else (b'"sleep',)
        for file, document in iter_documents(path, markers, progress):
            for log in _logs(file, document):
                try:
                    yield from _log_records(log, zone)
                except (KeyError, TypeError, ValueError, TimeFormatError) as exc:
                    log_id = log.get("logId", "?") if isinstance(log, dict) else "?"
                    raise ImportFileError(file, f"unreadable sleep log {log_id}: {exc}") from None


def _bad_zone(zone: str | None) -> str:
    return f"; {zone!r} is not one" if zone else ""


def _logs(file: Path, document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("sleep"), list):
        return list(document["sleep"])
    if isinstance(document, list) and all(isinstance(item, dict) for item in document):
        return document
    raise ImportFileError(file, "not Fitbit sleep data (no 'sleep' list of logs)")


def _local(text: str, zone: ZoneInfo, not_before: datetime | None = None) -> datetime:
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        raise TimeFormatError(f"not a Fitbit time: {text!r}") from None
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return local_to_utc(naive, zone, not_before)


def _log_records(log: dict[str, Any], zone: ZoneInfo) -> Iterator[Record]:
    levels = log.get("levels") or {}
    data = levels.get("data") or []
    zone_name = zone.key
    if not data:
        start = _local(log["startTime"], zone)
        duration_ms = number(log.get("duration"))
        end = (
            start + timedelta(milliseconds=duration_ms)
            if duration_ms is not None
            else _local(log["endTime"], zone, start)
        )
        main = log.get("isMainSleep", log.get("mainSleep"))
        yield SleepSummary(
            start=start,
            end=end,
            source=SOURCE,
            source_name=SOURCE_NAME,
            asleep_min=number(log.get("minutesAsleep")),
            awake_min=number(log.get("minutesAwake")),
            is_main=bool(main) if main is not None else None,
            zone=zone_name,
            offset_min=offset_minutes(start.astimezone(zone)),
            external_id=str(log.get("logId", "")) or None,
        )
        return
    spans = _spans(data, zone)
    wakes = _spans(levels.get("shortData") or [], zone)
    for start, end, stage in _overlay(spans, wakes):
        yield SleepSegment(
            start=start,
            end=end,
            stage=stage,
            source=SOURCE,
            source_name=SOURCE_NAME,
            zone=zone_name,
            offset_min=offset_minutes(start.astimezone(zone)),
        )


def _spans(entries: list[dict[str, Any]], zone: ZoneInfo) -> list[_Span]:
    spans: list[_Span] = []
    previous: datetime | None = None
    for entry in entries:
        stage = LEVELS.get(str(entry["level"]))
        if stage is None:
            raise ValueError(f"unknown sleep level {entry['level']!r}")
        start = _local(entry["dateTime"], zone, previous)
        end = start + timedelta(seconds=float(entry["seconds"]))
        spans.append((start, end, stage))
        previous = start
    return spans


def _overlay(spans: list[_Span], wakes: list[_Span]) -> list[_Span]:
    """Cut the short wakes into the long spans, so that nothing overlaps."""
    result: list[_Span] = []
    wakes = sorted(wakes)
    for start, end, stage in spans:
        cursor = start
        for w_start, w_end, w_stage in wakes:
            if w_end <= cursor or w_start >= end:
                continue
            if w_start > cursor:
                result.append((cursor, w_start, stage))
            result.append((max(w_start, cursor), min(w_end, end), w_stage))
            cursor = min(w_end, end)
        if cursor < end:
            result.append((cursor, end, stage))
    return result
