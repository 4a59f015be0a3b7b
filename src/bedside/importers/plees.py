"""Plees Tracker CSV exports: ``sid,start,stop,rating`` with epoch-millisecond times.

Each row is one sleep the person started and stopped by hand, so it becomes one
``asleep_unspecified`` :class:`SleepSegment` from ``start`` to ``stop``. The file carries no
time zone; the importer's ``zone`` (the person's zone, if given) is attached for local dates.
Ratings are not imported here. Rows whose ``stop`` is before ``start`` are refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bedside.importers.base import ImportFileError, ImportStats, Progress, Record, SleepSegment
from bedside.importers.streams import csv_failure, open_lines, peek
from bedside.importers.timeparse import from_epoch_ms, load_zone

SOURCE = "plees"
SOURCE_NAME = "Plees Tracker"
HEADER = ["sid", "start", "stop", "rating"]


class PleesImporter:
    """Importer for Plees Tracker CSV (see the module docstring)."""

    name = "plees"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a CSV whose header is ``sid,start,stop,rating``."""
        first = peek(path, 256).lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
        return first.replace(b" ", b"").lower() == b"sid,start,stop,rating"

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream one segment per row."""
        zone = self.zone if load_zone(self.zone) is not None else None
        with open_lines(path, progress) as lines:
            reader = csv.reader(lines)
            try:
                yield from _segments(path, reader, zone)
            except csv.Error as exc:
                raise csv_failure(path, exc, reader.line_num) from None


def _segments(path: Path, reader: Any, zone: str | None) -> Iterator[Record]:
    header = [h.strip().lower() for h in next(reader, [])]
    if header[:3] != HEADER[:3]:
        raise ImportFileError(
            path, "not a Plees Tracker export (header is not sid,start,stop)", line=1
        )
    for row in reader:
        if not row or not "".join(row).strip():
            continue
        try:
            start, stop = from_epoch_ms(int(row[1])), from_epoch_ms(int(row[2]))
        except (IndexError, ValueError):
            raise ImportFileError(path, f"unreadable row {row!r}", line=reader.line_num) from None
        if stop < start:
            raise ImportFileError(path, "stop is before start", line=reader.line_num)
        yield SleepSegment(start, stop, "asleep_unspecified", SOURCE, SOURCE_NAME, zone=zone)
