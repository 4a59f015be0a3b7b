"""Sleepmeter (Android) ``sleep_history_*.csv`` exports, read tolerantly.

A file can hold several CSV tables (custom aids, hindrances and tags, then the diary
``wake,sleep,bedtime,holes,type,dreams,aid,hindrances,tags,quality,notes``), and the app does
not escape quotes inside quoted fields, so a strict CSV reader goes wrong on the free-text
columns. Only the first five diary columns are needed here, and they have a fixed shape, so
each diary line is matched with a regular expression and everything after ``type`` (dreams,
aids, notes, possibly running over several lines) is skipped. Lines that start like a diary
row but do not match are counted in ``stats.notes``.

Per diary row (times ``YYYY-MM-DD HH:MM±HHMM``; ``holes`` are ``from-to`` minute offsets
after the sleep time, ``|``-separated):

* ``awake`` from ``bedtime`` to ``sleep`` (time in bed before falling asleep);
* ``asleep_unspecified`` from ``sleep`` to ``wake``, minus the holes;
* ``awake`` for each hole.

``sleep`` equal to ``wake`` means the person did not sleep: only the awake part is written.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    SleepSegment,
    Stage,
)
from bedside.importers.streams import TextLines, open_lines, peek
from bedside.importers.timeparse import TimeFormatError, offset_minutes

SOURCE = "sleepmeter"
SOURCE_NAME = "Sleepmeter"
DIARY_HEADER = "wake,sleep,bedtime,holes,type"
_TIME = r'"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}[+-]\d{4})"'
_ROW = re.compile(rf"^{_TIME},{_TIME},{_TIME},((?:\d+-\d+)(?:\|\d+-\d+)*)?,(NIGHT_SLEEP|NAP)\b")
_ROW_START = re.compile(r'^"\d{4}-\d{2}-\d{2} \d{2}:\d{2}[+-]\d{4}","')


class SleepmeterImporter:
    """Importer for Sleepmeter CSV (see the module docstring)."""

    name = "sleepmeter"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a CSV that starts with a Sleepmeter table header."""
        first = peek(path, 256).lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
        return first.startswith(
            (
                b"wake,sleep,bedtime,holes",
                b"custom_aid_id,",
                b"custom_hindrance_id,",
                b"custom_tag_id,",
            )
        )

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream the segments of every diary row."""
        stats = stats if stats is not None else ImportStats()
        if not self.sniff(path):
            raise ImportFileError(
                path, "not a Sleepmeter export (no Sleepmeter table header)", line=1
            )
        with open_lines(path, progress) as lines:
            skipped = yield from _diary(path, lines)
        if skipped:
            stats.notes.append(
                f"{skipped} Sleepmeter diary lines could not be read and were skipped"
            )


def _diary(path: Path, lines: TextLines) -> Generator[SleepSegment, None, int]:
    """The segments of the diary table; returns how many diary lines could not be read."""
    in_diary, skipped = False, 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith(DIARY_HEADER):
            in_diary = True
            continue
        if not in_diary:
            continue
        match = _ROW.match(line)
        if match is None:
            skipped += bool(_ROW_START.match(line))
            continue
        try:
            yield from _segments(*match.groups())
        except (TimeFormatError, ValueError) as exc:
            raise ImportFileError(path, f"unreadable diary row: {exc}", line=number) from None
    return skipped


def _time(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M%z")
    except ValueError:
        raise TimeFormatError(f"not a Sleepmeter time: {text!r}") from None


def _segments(
    wake_text: str, sleep_text: str, bed_text: str, holes: str | None, kind: str
) -> Iterator[SleepSegment]:
    offset = offset_minutes(_time(sleep_text))
    wake, sleep, bed = (_time(t).astimezone(UTC) for t in (wake_text, sleep_text, bed_text))
    pieces: list[tuple[datetime, datetime, Stage]] = []
    if bed < sleep:
        pieces.append((bed, sleep, "awake"))
    cursor = sleep
    for hole in (holes or "").split("|"):
        if not hole:
            continue
        first, last = (int(part) for part in hole.split("-"))
        h_start = max(sleep + timedelta(minutes=first), cursor)
        h_end = min(sleep + timedelta(minutes=last), wake)
        if h_end <= h_start:
            continue
        pieces.append((cursor, h_start, "asleep_unspecified"))
        pieces.append((h_start, h_end, "awake"))
        cursor = h_end
    pieces.append((cursor, wake, "asleep_unspecified"))
    for start, end, stage in pieces:
        if end > start:
            yield SleepSegment(start, end, stage, SOURCE, SOURCE_NAME, offset_min=offset)
