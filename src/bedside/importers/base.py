"""The importer protocol and the records every importer yields.

Every source (Apple Health, Fitbit, Oura, Garmin, Withings, Sleep as Android, Plees Tracker,
Sleepmeter, generic CSV) is read by one :class:`Importer` that streams typed, frozen records:

* :class:`SleepSegment`: one stretch of one sleep stage (a hypnogram piece, an Apple
  ``SleepAnalysis`` record, an ``InBed`` interval, a diary's "asleep" span);
* :class:`SleepSummary`: a sleep session whose stage totals are known but not *when* each stage
  happened (Garmin daily sleep, Withings summary, Sleep as Android, Oura without hypnogram);
* :class:`Sample`: one point reading (heart rate, resting heart rate, HRV, respiratory rate);
* :class:`Workout` and :class:`MindfulSession`.

All instants are aware UTC datetimes. ``zone`` is the IANA zone the person was in when the
source says so (``HKTimeZone``, Sleep as Android ``Tz``, Withings ``timezone``), and
``offset_min`` is the UTC offset the source *wrote* next to the time, kept as a hint: Apple
writes every date with the phone's offset at export time, which can differ from the offset in
force at the event (see :mod:`bedside.importers.apple`).

Re-importing a file must add nothing, so every record has a ``natural_key`` (a tuple of the
fields that identify it) and a ``key_hash`` (a short stable hex digest of that tuple). Both
are computed on demand: the hot path of a 1 GB import never pays for them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

Stage = Literal["in_bed", "asleep_unspecified", "awake", "core", "deep", "rem"]
SampleKind = Literal[
    "heart_rate", "resting_heart_rate", "hrv_sdnn", "hrv_rmssd", "respiratory_rate"
]

STAGES: tuple[Stage, ...] = ("in_bed", "asleep_unspecified", "awake", "core", "deep", "rem")
ASLEEP_STAGES: frozenset[Stage] = frozenset({"asleep_unspecified", "core", "deep", "rem"})
SAMPLE_UNITS: dict[SampleKind, str] = {
    "heart_rate": "count/min",
    "resting_heart_rate": "count/min",
    "hrv_sdnn": "ms",
    "hrv_rmssd": "ms",
    "respiratory_rate": "count/min",
}

Progress = Callable[[int], None]


def _digest(parts: tuple[object, ...]) -> str:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class SleepSegment:
    """One stretch ``[start, end)`` of one sleep stage, as one source recorded it."""

    start: datetime
    end: datetime
    stage: Stage
    source: str
    source_name: str
    device: str | None = None
    zone: str | None = None
    offset_min: int | None = None

    @property
    def natural_key(self) -> tuple[object, ...]:
        """Fields that identify this segment across re-imports."""
        return ("sleep", self.source, self.source_name, self.start, self.end, self.stage)

    @property
    def key_hash(self) -> str:
        """Stable 24-hex-digit digest of :attr:`natural_key`."""
        return _digest(self.natural_key)

    @property
    def minutes(self) -> float:
        """Length in minutes, computed on UTC instants."""
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True, slots=True)
class SleepSummary:
    """A sleep session known only by its totals (minutes); ``None`` means not reported."""

    start: datetime
    end: datetime
    source: str
    source_name: str
    asleep_min: float | None = None
    deep_min: float | None = None
    core_min: float | None = None
    rem_min: float | None = None
    awake_min: float | None = None
    awakenings: int | None = None
    is_main: bool | None = None
    zone: str | None = None
    offset_min: int | None = None
    external_id: str | None = None

    @property
    def natural_key(self) -> tuple[object, ...]:
        """Fields that identify this session across re-imports."""
        return ("summary", self.source, self.source_name, self.start, self.end)

    @property
    def key_hash(self) -> str:
        """Stable 24-hex-digit digest of :attr:`natural_key`."""
        return _digest(self.natural_key)


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading: heart rate (bpm), resting heart rate (bpm), HRV (ms), breaths per minute."""

    kind: SampleKind
    time: datetime
    value: float
    source: str
    source_name: str

    @property
    def natural_key(self) -> tuple[object, ...]:
        """Fields that identify this reading across re-imports."""
        return (self.kind, self.source, self.source_name, self.time, self.value)

    @property
    def key_hash(self) -> str:
        """Stable 24-hex-digit digest of :attr:`natural_key`."""
        return _digest(self.natural_key)


@dataclass(frozen=True, slots=True)
class Workout:
    """A workout: activity type (source vocabulary, prefix removed), times, energy in kcal."""

    activity: str
    start: datetime
    end: datetime
    duration_min: float
    energy_kcal: float | None
    source: str
    source_name: str
    zone: str | None = None

    @property
    def natural_key(self) -> tuple[object, ...]:
        """Fields that identify this workout across re-imports."""
        return ("workout", self.source, self.source_name, self.activity, self.start, self.end)

    @property
    def key_hash(self) -> str:
        """Stable 24-hex-digit digest of :attr:`natural_key`."""
        return _digest(self.natural_key)


@dataclass(frozen=True, slots=True)
class MindfulSession:
    """A mindfulness / breathing session."""

    start: datetime
    end: datetime
    source: str
    source_name: str
    zone: str | None = None

    @property
    def natural_key(self) -> tuple[object, ...]:
        """Fields that identify this session across re-imports."""
        return ("mindful", self.source, self.source_name, self.start, self.end)

    @property
    def key_hash(self) -> str:
        """Stable 24-hex-digit digest of :attr:`natural_key`."""
        return _digest(self.natural_key)


Record = SleepSegment | SleepSummary | Sample | Workout | MindfulSession


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


class ImportFileError(Exception):
    """A file that cannot be imported: malformed, truncated or of the wrong kind.

    The message names the file and, when known, the line (1-based) and byte offset, so a
    person can find the problem: ``export.xml, line 1234: premature end of data``.
    """

    def __init__(
        self, path: str | Path, message: str, line: int | None = None, offset: int | None = None
    ) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        self.offset = offset
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"byte {self.offset:,}")
        return f"{', '.join(where)}: {self.message}"


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
