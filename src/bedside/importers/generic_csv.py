"""The documented generic CSV (see ``GENERIC_CSV.md`` next to this module).

One header row; columns ``kind, start, end, time, stage, value, activity, energy_kcal, source,
timezone`` in any order (case-insensitive; unknown columns ignored). ``kind`` defaults to
``sleep``. Sleep rows become :class:`SleepSegment`, sample rows :class:`Sample`, workout rows
:class:`Workout` and mindful rows :class:`MindfulSession`. Times are ISO 8601 with an offset,
or local times placed in the row's ``timezone`` (else the importer's zone). Every error names
the line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import get_args

from bedside.importers.base import (
    ImportFileError,
    ImportStats,
    MindfulSession,
    Progress,
    Record,
    Sample,
    SampleKind,
    SleepSegment,
    Stage,
    Workout,
)
from bedside.importers.streams import csv_failure, open_lines, peek
from bedside.importers.timeparse import TimeFormatError, load_zone, offset_minutes, parse_iso

SOURCE = "csv"
DEFAULT_SOURCE_NAME = "CSV"
STAGE_NAMES: dict[str, Stage] = {
    "in_bed": "in_bed",
    "inbed": "in_bed",
    "asleep": "asleep_unspecified",
    "asleep_unspecified": "asleep_unspecified",
    "sleep": "asleep_unspecified",
    "awake": "awake",
    "wake": "awake",
    "core": "core",
    "light": "core",
    "deep": "deep",
    "rem": "rem",
}
SAMPLE_KINDS: frozenset[str] = frozenset(get_args(SampleKind))
KINDS = SAMPLE_KINDS | {"sleep", "workout", "mindful"}


class GenericCsvImporter:
    """Importer for Bedside's generic CSV (see ``GENERIC_CSV.md``)."""

    name = "csv"

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone

    def sniff(self, path: Path) -> bool:
        """True for a CSV whose header has ``start`` and ``end``, or ``kind`` and ``time``."""
        if path.suffix.lower() not in (".csv", ".txt"):
            return False
        first = peek(path, 4096).lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        columns = {
            c.strip().strip('"').lower() for c in first.decode("utf-8", "replace").split(",")
        }
        return {"start", "end"} <= columns or {"kind", "time"} <= columns

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream one record per row (constant memory, whatever the file's size)."""
        with open_lines(path, progress) as lines:
            reader = csv.DictReader(lines)
            try:
                yield from self._rows(path, reader)
            except csv.Error as exc:
                raise csv_failure(path, exc, reader.line_num) from None

    def _rows(self, path: Path, reader: csv.DictReader[str]) -> Iterator[Record]:
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if not ({"start", "end"} <= columns or "time" in columns):
            raise ImportFileError(
                path, "not a Bedside CSV: the header needs start and end (or time) columns", line=1
            )
        for row in reader:
            fields = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
            if not any(fields.values()):
                continue
            try:
                yield self._record(fields)
            except (TimeFormatError, ValueError, KeyError) as exc:
                raise ImportFileError(path, str(exc), line=reader.line_num) from None

    def _record(self, fields: dict[str, str]) -> Record:
        kind = fields.get("kind", "").lower() or "sleep"
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
        zone_name = fields.get("timezone") or self.zone or None
        zone = load_zone(zone_name)
        if zone_name and zone is None:
            raise ValueError(f"unknown time zone {zone_name!r}")
        name = fields.get("source") or DEFAULT_SOURCE_NAME
        if kind in SAMPLE_KINDS:
            when = parse_iso(_required(fields, "time", "start"), zone)
            value = float(_required(fields, "value"))
            return Sample(kind, when, value, SOURCE, name)  # type: ignore[arg-type]
        start = parse_iso(_required(fields, "start"), zone)
        end = parse_iso(_required(fields, "end"), zone, start)
        if end < start:
            raise ValueError("end is before start")
        zone_key = zone.key if zone is not None else None
        if kind == "workout":
            energy = fields.get("energy_kcal")
            return Workout(
                activity=fields.get("activity") or "Other",
                start=start,
                end=end,
                duration_min=(end - start).total_seconds() / 60,
                energy_kcal=float(energy) if energy else None,
                source=SOURCE,
                source_name=name,
                zone=zone_key,
            )
        if kind == "mindful":
            return MindfulSession(start, end, SOURCE, name, zone=zone_key)
        stage_text = fields.get("stage", "").lower() or "asleep_unspecified"
        stage = STAGE_NAMES.get(stage_text.replace(" ", "_").replace("-", "_"))
        if stage is None:
            raise ValueError(f"unknown sleep stage {stage_text!r}")
        return SleepSegment(
            start, end, stage, SOURCE, name, zone=zone_key, offset_min=_offset(fields["start"])
        )


def _required(fields: dict[str, str], *names: str) -> str:
    for name in names:
        if fields.get(name):
            return fields[name]
    raise ValueError(f"the {names[0]} column is empty")


def _offset(text: str) -> int | None:
    try:
        return offset_minutes(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None
