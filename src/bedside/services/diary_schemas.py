"""The morning sleep diary (Consensus Sleep Diary) as logged, edited and shown."""

from __future__ import annotations

from datetime import date

from bedside.services.schema_base import Day, Minutes, Out, Partial, Schema, Text


class DiaryIn(Schema):
    """The Consensus Sleep Diary answers for one night (filled in the next morning)."""

    night: Day
    bedtime: str
    tried: str
    sol_min: int
    awakenings: int
    waso_min: int
    final_wake: str
    out_of_bed: str
    quality: int
    rested: int | None = None
    nap_count: int | None = None
    nap_min: int | None = None
    comment: Text | None = None


class DiaryUpdate(Partial, of=DiaryIn, without=("night",)):
    """The answers of a night's diary to change (the night itself stays)."""


class UsualDiaryTimes(Out):
    """The person's usual diary times (``HH:MM``), for hints on a new diary; None if unknown."""

    bedtime: str | None
    tried: str | None
    final_wake: str | None
    out_of_bed: str | None


class DiaryOut(Out):
    """A diary entry: raw answers as ISO times and the derived metrics."""

    id: int
    night: date
    bedtime: str
    tried: str
    sol_min: int
    awakenings: int
    waso_min: int
    final_wake: str
    out_of_bed: str
    quality: int
    rested: int | None
    nap_count: int | None
    nap_min: int | None
    comment: str | None
    time_in_bed_min: Minutes
    sleep_onset_latency_min: Minutes
    wake_after_sleep_onset_min: Minutes
    terminal_wake_min: Minutes
    total_sleep_time_min: Minutes
    sleep_efficiency_pct: float
    definition_version: str
