"""Consensus Sleep Diary (Carney et al., SLEEP 2012;35(2):287-302): answers, checks and metrics.

The raw answers are stored; the metrics are derived from UTC instants:

* time in bed ``TIB = out_of_bed − bedtime``
* sleep onset latency ``SOL`` and wake after sleep onset ``WASO`` as answered (WASO excludes
  the final awakening, the Consensus Sleep Diary's default definition)
* terminal wake ``TWAK = out_of_bed − final_wake``
* total sleep time ``TST = (final_wake − tried) − SOL − WASO``
* sleep efficiency ``SE = 100 × TST / TIB``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import minutes_between

DEFINITION_VERSION = "csd-core-2012/waso-excludes-terminal"
MAX_MINUTES = 24 * 60

#: Plausible ranges of the numeric answers: (lowest, highest).
RANGES: dict[str, tuple[int, int]] = {
    "sol_min": (0, 720),
    "awakenings": (0, 60),
    "waso_min": (0, 720),
    "quality": (1, 5),
    "rested": (1, 5),
    "nap_count": (0, 10),
    "nap_min": (0, 720),
}

LABELS = {
    "bedtime": "time into bed",
    "tried": "time you tried to sleep",
    "sol_min": "minutes to fall asleep",
    "awakenings": "number of awakenings",
    "waso_min": "minutes awake during the night",
    "final_wake": "time of final awakening",
    "out_of_bed": "time out of bed",
    "quality": "sleep quality",
    "rested": "how rested you felt",
    "nap_count": "number of naps",
    "nap_min": "minutes napping",
}


@dataclass(frozen=True, slots=True)
class DiaryAnswers:
    """One morning's answers; instants are aware UTC datetimes."""

    night: date
    bedtime: datetime
    tried: datetime
    sol_min: int
    awakenings: int
    waso_min: int
    final_wake: datetime
    out_of_bed: datetime
    quality: int
    rested: int | None = None
    nap_count: int | None = None
    nap_min: int | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class DiaryMetrics:
    """Metrics derived from one morning's answers, in minutes (SE in percent)."""

    time_in_bed_min: float
    sleep_onset_latency_min: float
    wake_after_sleep_onset_min: float
    awakenings: int
    terminal_wake_min: float
    total_sleep_time_min: float
    sleep_efficiency_pct: float


def validate(answers: DiaryAnswers) -> None:
    """Raise :class:`InputError` naming the first answer that is out of range or out of order."""
    _check_ranges(answers)
    _check_order(answers)


def _check_ranges(answers: DiaryAnswers) -> None:
    for field, (low, high) in RANGES.items():
        value = getattr(answers, field)
        if value is None:
            continue
        if not low <= value <= high:
            raise InputError(
                field, f"{LABELS[field]} must be between {low} and {high}, got {value}"
            )


def _check_order(a: DiaryAnswers) -> None:
    if a.tried < a.bedtime:
        raise InputError("tried", "the time you tried to sleep is before the time you got into bed")
    if a.final_wake < a.tried:
        raise InputError("final_wake", "the final awakening is before the time you tried to sleep")
    if a.out_of_bed < a.final_wake:
        raise InputError("out_of_bed", "the time out of bed is before the final awakening")
    time_in_bed = minutes_between(a.bedtime, a.out_of_bed)
    if time_in_bed <= 0:
        raise InputError("out_of_bed", "the time out of bed must be after the time into bed")
    if time_in_bed > MAX_MINUTES:
        raise InputError("out_of_bed", "time in bed is longer than 24 hours; check the dates")
    window = minutes_between(a.tried, a.final_wake)
    if a.sol_min > window:
        raise InputError(
            "sol_min",
            f"{a.sol_min} minutes to fall asleep is longer than the {window:.0f} minutes between "
            "trying to sleep and the final awakening",
        )
    if a.sol_min + a.waso_min > window:
        raise InputError(
            "waso_min",
            f"{a.waso_min} minutes awake plus {a.sol_min} minutes to fall asleep is more than the "
            f"{window:.0f} minutes between trying to sleep and the final awakening",
        )
    if a.waso_min > 0 and a.awakenings == 0:
        raise InputError("awakenings", "minutes awake were given but no awakenings; count them")


def derive(answers: DiaryAnswers) -> DiaryMetrics:
    """Compute the Consensus Sleep Diary metrics (answers must have passed :func:`validate`)."""
    time_in_bed = minutes_between(answers.bedtime, answers.out_of_bed)
    total_sleep = (
        minutes_between(answers.tried, answers.final_wake) - answers.sol_min - answers.waso_min
    )
    return DiaryMetrics(
        time_in_bed_min=time_in_bed,
        sleep_onset_latency_min=float(answers.sol_min),
        wake_after_sleep_onset_min=float(answers.waso_min),
        awakenings=answers.awakenings,
        terminal_wake_min=minutes_between(answers.final_wake, answers.out_of_bed),
        total_sleep_time_min=total_sleep,
        sleep_efficiency_pct=100.0 * total_sleep / time_in_bed,
    )
