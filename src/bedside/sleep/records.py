"""The sleep and health records every source yields, as frozen values (standard library only).

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
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

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
