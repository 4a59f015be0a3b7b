"""Importing wearable and app exports: deduplicated, committed in chunks, nights recomputed.

The importer modules (:mod:`bedside.importers`) stream typed records; this service batches
them into the tables of :mod:`bedside.storage.wearables` with "insert, ignore duplicates",
counts what was added, skipped as duplicate and ignored by type, and then recomputes the
sleep nights the new records touch.

An import that takes less than :data:`CHUNK_SECONDS` is one transaction: a malformed file
leaves the database as it was. A longer one commits a chunk at least every
:data:`CHUNK_SECONDS` and pauses briefly, so a dose logged meanwhile waits well under a second
instead of failing. Each chunk is atomic; an interrupted import (killed, or a file broken
half-way) keeps the chunks it committed and leaves its :class:`ImportRun` unfinished, and
importing the same file again adds only what is missing and rebuilds the nights of every
record in the file (nights are rebuilt once, at the end).
"""

from __future__ import annotations

import time as clock
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import select

from bedside.domain.errors import InputError, UnreadableFileError
from bedside.importers.base import ImportFileError, ImportStats
from bedside.importers.parallel import ChildParse, stream_batches
from bedside.services.faults import foreign_errors
from bedside.services.scope import Scope
from bedside.services.sleep_nights import recompute_spans
from bedside.services.wearable_writer import WearableWriter
from bedside.sleep.records import MindfulSession, Sample, SleepSegment, SleepSummary, Workout
from bedside.sleep.zones import load_zone
from bedside.storage.database import checkpoint
from bedside.storage.wearables import ImportRun

#: Called with (bytes read so far, records read so far).
ImportProgress = Callable[[int, int], None]


class ImportFailedError(UnreadableFileError):
    """A file that cannot be imported; the message names the file and where it went wrong."""


def source_names() -> tuple[str, ...]:
    """The sources a file can be imported from, by name (``apple``, ``fitbit`` ...)."""
    from bedside.importers.registry import SOURCE_NAMES

    return tuple(SOURCE_NAMES)


@dataclass
class ImportSummary:
    """What an import did."""

    source: str
    file: str
    records: int = 0
    added: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    ignored: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    nights_updated: int = 0
    seconds: float = 0.0


class ImportSummaryOut(BaseModel):
    """What an import did: records read, and per kind added, skipped and ignored."""

    source: str
    file: str
    records: int
    added: dict[str, int]
    duplicates: dict[str, int]
    ignored: dict[str, int]
    notes: list[str]
    nights_updated: int
    seconds: float = Field(description="Time taken, to the millisecond.")

    @classmethod
    def of(cls, summary: ImportSummary) -> ImportSummaryOut:
        """The typed result of a finished import (seconds to the millisecond)."""
        out = cls.model_validate(summary, from_attributes=True)
        out.seconds = round(summary.seconds, 3)
        return out


def import_file(
    scope: Scope,
    source: str | None,
    path: Path,
    progress: ImportProgress | None = None,
    zone: str | None = None,
    early: ChildParse | None = None,
) -> ImportSummaryOut:
    """Import ``path`` with the importer ``source`` (detected from the file when None).

    ``zone`` is the IANA zone the person was in, for sources that write local times without
    an offset (Fitbit, generic CSV); it defaults to the profile's time zone. ``early`` is
    the parse :func:`bedside.services.import_start.head_start` began, used if it parses
    this file with this importer.
    """
    from bedside.importers.registry import detect_importer, get_importer

    started = clock.perf_counter()
    if zone is not None and load_zone(zone) is None:
        raise InputError("zone", f"{zone!r} is not an IANA time zone, e.g. Europe/London")
    zone = zone or (scope.profile.timezone if scope.profile else None)
    try:
        with foreign_errors(subject=path.name):
            if source is None:
                importer = detect_importer(path, zone=zone)
            else:
                importer = get_importer(source, zone=zone)
                _check_file(importer.name, path, importer.sniff(path))
    except KeyError as exc:
        raise InputError("source", str(exc.args[0])) from None
    except ImportFileError as exc:
        raise ImportFailedError(str(exc)) from None
    summary = ImportSummary(source=importer.name, file=path.name)
    stats = ImportStats()
    interrupted = _interrupted_runs(scope, importer.name, path)
    run = _start_run(scope, importer.name, path)
    writer = WearableWriter(
        scope.session, scope.user.id, importer.name, zone, touch_all=bool(interrupted)
    )
    chunks = _Chunks(scope)

    def on_bytes(done: int) -> None:
        if progress is not None:
            progress(done, summary.records)

    try:
        with foreign_errors(subject=path.name):
            for rows, records in stream_batches(
                importer, path, on_bytes, stats, CHECK_EVERY, early
            ):
                summary.records += len(rows) + len(records)
                writer.add_batch(rows, records)
                if chunks.due():
                    writer.flush()
                    chunks.commit()
            writer.flush()
    except ImportFileError as exc:
        kept = "; what was read before this point was saved, and importing the file again "
        raise ImportFailedError(
            str(exc) + (kept + "adds only what is missing" if chunks.committed else "")
        ) from None
    summary.added = dict(writer.added)
    summary.duplicates = {k: writer.seen[k] - writer.added[k] for k in writer.seen}
    summary.ignored = dict(stats.ignored)
    summary.notes = list(stats.notes)
    summary.nights_updated = recompute_spans(scope, writer.touched_spans())
    summary.seconds = clock.perf_counter() - started
    _finish_run(scope, run, summary, interrupted)
    return ImportSummaryOut.of(summary)


#: An import commits at least this often (seconds), so other writers wait about this long.
CHUNK_SECONDS = 0.5
#: After each chunk the import pauses this long: longer than the 100 ms between two tries of
#: a waiting SQLite writer, so that writer gets its turn.
PAUSE_SECONDS = 0.12
#: Records between two looks at the clock when a file is read in this process (a file parsed
#: in a child process arrives in batches of ``parallel.BATCH``, one look per batch).
CHECK_EVERY = 512


class _Chunks:
    """Commits a long import in chunks of about :data:`CHUNK_SECONDS`."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.committed = 0
        self._since = clock.monotonic()
        self._pause = scope.session.get_bind().dialect.name == "sqlite"

    def due(self) -> bool:
        """True when the current chunk has held the database long enough."""
        return clock.monotonic() - self._since >= CHUNK_SECONDS

    def commit(self) -> None:
        """Commit the chunk, let waiting writers in, and start the next chunk."""
        checkpoint(self.scope.session)
        self.committed += 1
        if self._pause:
            clock.sleep(PAUSE_SECONDS)
        self._since = clock.monotonic()


#: What each importer reads, for "this does not look like ..." messages.
KINDS_OF_FILE = {
    "apple-health": "an Apple Health export (export.zip or export.xml)",
    "fitbit": "Fitbit sleep JSON (Web API or Google Takeout sleep-*.json)",
    "oura": "Oura sleep data (JSON or CSV)",
    "garmin": "Garmin Connect sleep JSON",
    "withings": "a Withings sleep API response (JSON)",
    "sleep-as-android": "a Sleep as Android backup (sleep-export.zip or sleep-export.csv)",
    "plees": "a Plees Tracker CSV export",
    "sleepmeter": "a Sleepmeter CSV export",
    "csv": "a Bedside CSV (see GENERIC_CSV.md: a header with start and end, or kind and time)",
}


def _check_file(name: str, path: Path, recognised: bool) -> None:
    if not path.exists():
        raise ImportFileError(path, "no such file or folder")
    if recognised:
        return
    if path.is_file() and path.suffix.lower() == ".zip" and not zipfile.is_zipfile(path):
        raise ImportFileError(
            path,
            "not a zip file, or a truncated one (the zip directory at its end is missing); "
            "copy or export it again",
        )
    raise ImportFileError(
        path, f"this does not look like {KINDS_OF_FILE.get(name, 'a ' + name + ' export')}"
    )


def _interrupted_runs(scope: Scope, importer: str, path: Path) -> list[ImportRun]:
    """Unfinished runs of this file (same importer, name and size): killed or broken imports."""
    return list(
        scope.session.scalars(
            select(ImportRun).where(
                ImportRun.user_id == scope.user.id,
                ImportRun.importer == importer,
                ImportRun.file_name == path.name,
                ImportRun.file_size == _size(path),
                ImportRun.finished_at.is_(None),
            )
        )
    )


def _start_run(scope: Scope, importer: str, path: Path) -> ImportRun:
    """The run's record, unfinished until the import ends (committed with the first chunk)."""
    run = ImportRun(
        user_id=scope.user.id,
        importer=importer,
        file_name=path.name,
        file_size=_size(path),
        started_at=datetime.now(UTC),
    )
    scope.session.add(run)
    scope.session.flush()
    return run


def _finish_run(
    scope: Scope, run: ImportRun, summary: ImportSummary, interrupted: list[ImportRun]
) -> None:
    """Record what the import did; the interrupted runs it completed are folded into it."""
    run.finished_at = datetime.now(UTC)
    run.added = summary.added
    run.duplicates = summary.duplicates
    run.ignored = summary.ignored
    for old in interrupted:
        scope.session.delete(old)
    scope.session.flush()


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def kinds_total(counts: Counter[str] | dict[str, int]) -> int:
    """Sum of a per-kind counter."""
    return sum(counts.values())


RECORD_KINDS: dict[type, str] = {
    SleepSegment: "sleep_segments",
    SleepSummary: "sleep_summaries",
    Sample: "samples",
    Workout: "workouts",
    MindfulSession: "mindful_sessions",
}
