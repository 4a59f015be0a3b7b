"""The clinician report as data: what :func:`bedside.services.report.build_report` returns.

Every figure says where it comes from (``source``: the person's diary or a wearable) and how
many nights it rests on. Nights with nothing logged are unknown: they are counted as such,
never as nights without kratom or as good nights. Numbers are unrounded here; the print
template rounds them for people.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SleepSource = Literal["diary", "wearable"]


class Spread(BaseModel):
    """Median and range of a set of values (``None`` when there are none)."""

    n: int
    median: float | None
    low: float | None
    high: float | None


class Period(BaseModel):
    """The nights covered and how completely they were logged."""

    start: date
    end: date
    nights: int
    nights_logged: int = Field(description="Nights with anything logged at all.")
    nights_unknown: int = Field(description="Nights with nothing logged: unknown, not zero.")
    nights_with_diary: int
    nights_with_wearable: int
    nights_with_dose: int
    first_logged: date | None
    last_logged: date | None


class SleepFigure(BaseModel):
    """One sleep measure from one source, over the nights that have it."""

    key: str
    label: str
    unit: str
    source: SleepSource
    spread: Spread


class WeeklyEfficiency(BaseModel):
    """Sleep efficiency of one week as ΣTST / ΣTIB (not a mean of nightly percentages)."""

    week_start: date
    source: SleepSource
    nights: int
    total_sleep_min: float
    time_in_bed_min: float
    efficiency_pct: float


class Regularity(BaseModel):
    """How much the time of going to bed varies (standard deviation, minutes)."""

    source: SleepSource
    what: str
    nights: int
    median_clock: str | None
    sd_min: float | None


class SleepSummary(BaseModel):
    """The sleep diary and wearable figures, side by side and each labelled."""

    figures: list[SleepFigure]
    weekly_efficiency: list[WeeklyEfficiency]
    regularity: list[Regularity]


class ProductUse(BaseModel):
    """A product (and lab batch, when known) used in the period."""

    product: str | None
    lot: str | None
    mitragynine_pct: float | None
    seven_oh_pct: float | None
    contaminants_passed: bool | None
    doses: int
    nights: int


class Streak(BaseModel):
    """Consecutive nights with a dose; ``may_be_longer`` when it touches an unknown night."""

    start: date
    end: date
    nights: int
    may_be_longer: bool


class HalfComparison(BaseModel):
    """The first and second half of the period side by side (a description, not a cause)."""

    first_start: date
    first_end: date
    second_start: date
    second_end: date
    first_used_per_week: float | None
    second_used_per_week: float | None
    first_median_g: float | None
    second_median_g: float | None


class KratomUse(BaseModel):
    """Evening kratom use as logged: how often, how much, when, what."""

    nights_used: int
    nights_without: int = Field(description="Logged nights with no dose logged.")
    nights_unknown: int
    doses: int
    grams_per_night: Spread
    mitragynine_mg_per_night: Spread
    doses_per_used_night: Spread
    minutes_before_bedtime: Spread = Field(
        description="Minutes from each dose to that night's bedtime (positive: before bed)."
    )
    bedtime_from_diary: int = Field(description="Doses timed against the diary's bedtime.")
    bedtime_from_target: int = Field(description="Doses timed against the target bedtime.")
    products: list[ProductUse]
    longest_streak: Streak | None
    trend: HalfComparison | None


class PainSummary(BaseModel):
    """Pain ratings (0-10) and soreness per muscle group (0-10)."""

    pain: Spread
    pain_first_half: Spread
    pain_second_half: Spread
    pain_before_dose: Spread
    locations: list[str]
    soreness: list[SorenessGroup]


class SorenessGroup(BaseModel):
    """Soreness ratings of one muscle group."""

    muscle_group: str
    spread: Spread


class WorkoutSummary(BaseModel):
    """Workouts logged in the period."""

    count: int
    nights: int
    total_min: float
    kinds: dict[str, int]
    rpe: Spread
    eccentric_or_new: int


class MedicationTaken(BaseModel):
    """A medication logged as taken, and how often on a night with kratom."""

    name: str
    nights: int
    nights_with_kratom: int


class CoUse(BaseModel):
    """Alcohol, caffeine and medications logged, and their overlap with kratom nights."""

    alcohol_nights: int
    alcohol_nights_with_kratom: int
    alcohol_drinks: float
    caffeine_nights: int
    medications: list[MedicationTaken]


class ReportFinding(BaseModel):
    """A safety finding with its severity, sources, the date its facts reflect and the day
    they were last checked (``dates`` says both in words, as everywhere in Bedside)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    severity: str
    title: str
    summary: str
    action: str
    sources: list[str]
    as_of: date
    checked_on: date
    dates: str = Field(
        description='Both dates in words: "as of 2024 · checked 2026-11-22", or '
        '"law dated 2023-09-01 · checked 2026-11-22" for legal findings.'
    )
    stale: bool = False
    uncertain: bool = False


class SafetySummary(BaseModel):
    """The person's medicines and conditions as checked, and what the check found."""

    medications: list[str]
    conditions: list[str]
    region: str | None
    findings: list[ReportFinding]


class SignalsSummary(BaseModel):
    """Dependence and tolerance signals over the 26 weeks before the report was made."""

    as_of: date
    findings: list[ReportFinding]
    days_used_per_week: float | None
    unknown_days_last_4_weeks: int | None


class ExperimentSummary(BaseModel):
    """A randomised self-experiment and its result with its uncertainty and limits."""

    question: str
    outcome: str
    status: str
    start: date
    end: date
    as_of: date
    label: str
    summary: list[str]
    does_not_show: list[str]


class ReportNight(BaseModel):
    """One night's figures for the charts (``None``: not logged); times are local."""

    night: date
    logged: bool
    bedtime: datetime | None = Field(default=None, description="Into bed (diary).")
    final_wake: datetime | None = Field(default=None, description="Final awakening (diary).")
    dose_times: list[datetime] = Field(default_factory=list)
    diary_tst_min: float | None
    diary_se_pct: float | None
    wearable_tst_min: float | None
    quality: int | None
    grams: float | None
    dosed: bool
    minutes_before_bedtime: float | None
    pain_max: int | None
    soreness_max: int | None


class ClinicianReport(BaseModel):
    """Everything the clinician report shows, from the person's own logs."""

    generated_at: str
    timezone: str
    period: Period
    sleep: SleepSummary
    kratom: KratomUse
    pain: PainSummary
    workouts: WorkoutSummary
    co_use: CoUse
    safety: SafetySummary
    signals: SignalsSummary
    experiment: ExperimentSummary | None
    nights: list[ReportNight]
    limits: list[str]


PainSummary.model_rebuild()
