"""The importer protocol, its counters and errors; the records it yields live in
:mod:`bedside.sleep.records` (re-exported here for the importer modules).

Every source (Apple Health, Fitbit, Oura, Garmin, Withings, Sleep as Android, Plees Tracker,
Sleepmeter, generic CSV) is read by one :class:`Importer` that streams typed, frozen records
(:class:`SleepSegment`, :class:`SleepSummary`, :class:`Sample`, :class:`Workout`,
:class:`MindfulSession`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from bedside.domain.errors import UnreadableFileError
from bedside.sleep.records import (
    ASLEEP_STAGES,
    SAMPLE_UNITS,
    STAGES,
    MindfulSession,
    Record,
    Sample,
    SampleKind,
    SleepSegment,
    SleepSummary,
    Stage,
    Workout,
)

__all__ = [
    "ASLEEP_STAGES",
    "SAMPLE_UNITS",
    "STAGES",
    "Batch",
    "BatchImporter",
    "ImportFileError",
    "ImportStats",
    "Importer",
    "MindfulSession",
    "Progress",
    "Record",
    "Sample",
    "SampleKind",
    "SampleRow",
    "SleepSegment",
    "SleepSummary",
    "Stage",
    "Workout",
]

Progress = Callable[[int], None]
#: A heart-rate-like sample as a plain tuple ``(kind, epoch_seconds, value, source_name)``:
#: what crosses the pipe from a parsing child process (cheaper to build and pickle).
SampleRow = tuple[str, int, float, str]
#: Sample rows and the other records, as a parsing child process sends them.
Batch = tuple[list[SampleRow], list[Record]]


@dataclass(slots=True)
class ImportStats:
    """Counters an importer fills while it streams (pass one in to read them afterwards).

    ``ignored`` counts records the importer skipped on purpose, by source type
    (``ignored["StepCount"] == 1234`` → "ignored 1,234 StepCount records"); ``notes`` holds
    human-readable remarks about the file (e.g. rows a tolerant parser could not read).
    """

    ignored: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def ignored_summary(self) -> str:
        """Describe the ignored records, largest count first, e.g. for the import summary."""
        parts = [f"{count:,} {name}" for name, count in self.ignored.most_common()]
        return "ignored " + ", ".join(parts) + " records" if parts else "ignored nothing"


class ImportFileError(UnreadableFileError):
    """A file that cannot be imported: malformed, truncated or of the wrong kind.

    The message names the file and, when known, the line (1-based) and byte offset, so a
    person can find the problem: ``export.xml, line 1234: premature end of data``;
    ``reason`` is the part after the place.
    """

    def __init__(
        self, path: str | Path, reason: str, line: int | None = None, offset: int | None = None
    ) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.offset = offset
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"byte {offset:,}")
        super().__init__(f"{', '.join(where)}: {reason}")


@runtime_checkable
class Importer(Protocol):
    """What every source module provides.

    ``iter_records`` streams records without loading the whole file when the format allows
    it, calls ``progress`` with the number of bytes of ``path`` consumed so far (monotonic,
    ending at the file's size; for a zip member the position is scaled to the zip's size), and
    raises :class:`ImportFileError` for files it cannot read. Records a source has but Bedside
    does not use are counted in ``stats.ignored``.
    """

    name: str

    def sniff(self, path: Path) -> bool:
        """Return True if ``path`` looks like this importer's kind of file (never raises)."""
        ...

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream the records of ``path``."""
        ...


@runtime_checkable
class BatchImporter(Importer, Protocol):
    """An importer that can also stream batches (samples as :data:`SampleRow` tuples)."""

    def iter_batches(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
        size: int = 8_000,
    ) -> Iterator[Batch]:
        """The records of ``path`` in batches of about ``size``."""
        ...
