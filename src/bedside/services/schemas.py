"""Input and output schemas shared by the CLI, the JSON API and the web pages."""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from bedside.domain.dosing import DoseReason, DoseUnit, ProductForm
from bedside.domain.timekeeping import FIRST_DATE, LAST_DATE
from bedside.knowledge.regions import canonical_region
from bedside.services.safety_schemas import FindingOut


def _not_bool(value: Any) -> Any:
    """Refuse a JSON ``true``/``false`` where a number is expected (pydantic would make it 1/0)."""
    if isinstance(value, bool):
        raise ValueError("true/false is not a value here; give a number")
    return value


Score = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=10)]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _sane_date(day: date) -> date:
    """Refuse dates no diary, dose or lab test can have (0001-01-01 is a typo)."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside the dates accepted ({FIRST_DATE} to {LAST_DATE})"
        )
    return day


def _date_not_number(value: Any) -> Any:
    """Refuse a number where a date is expected (pydantic would read it as seconds since 1970)."""
    if isinstance(value, int | float):
        raise ValueError("write the date as YYYY-MM-DD")
    return value


#: A calendar date a person could mean, written as a date: 1900-01-01 to 2199-12-31.
Day = Annotated[date, BeforeValidator(_date_not_number), AfterValidator(_sane_date)]


def _tenth(value: float) -> float:
    """Minutes to the nearest tenth: ``55.99999999999999`` is ``56.0``."""
    return round(value, 1)


#: A number of minutes in a result, to 0.1 min (float sums leave noise past that).
Minutes = Annotated[float, AfterValidator(_tenth)]


class MuscleGroup(StrEnum):
    """Muscle groups offered for soreness and workouts."""

    NECK = "neck"
    SHOULDERS = "shoulders"
    CHEST = "chest"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    BICEPS = "biceps"
    TRICEPS = "triceps"
    FOREARMS = "forearms"
    ABS = "abs"
    GLUTES = "glutes"
    HIPS = "hips"
    QUADS = "quads"
    HAMSTRINGS = "hamstrings"
    CALVES = "calves"
    SHINS = "shins"
    FEET = "feet"


class IntakeKind(StrEnum):
    """Things taken besides kratom."""

    ALCOHOL = "alcohol"
    CAFFEINE = "caffeine"
    MEDICATION = "medication"


class Out(BaseModel):
    """Base of the results: their validators are built on first use, not at import.

    Building a model's validator costs a few milliseconds; deferring it keeps a logging
    command from paying for the dozens of models it never uses.
    """

    model_config = ConfigDict(defer_build=True)


class Schema(BaseModel):
    """Base: unknown fields are refused so a typo is never silently dropped.

    Numbers must be finite (``inf``, ``NaN`` and ``1e309`` are refused), a JSON
    ``true``/``false`` is not a number, and text has no control characters.
    """

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, allow_inf_nan=False, defer_build=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and value is not None:
            kinds = _kinds(field.annotation)
            if isinstance(value, bool) and not kinds & {bool, Any}:
                _not_bool(value)
            if not isinstance(value, bool) and kinds == {bool}:
                raise ValueError("give true or false")
        _no_control_characters(value)
        return value


#: Control characters (terminal escapes among them); tab and line breaks are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(value: object) -> None:
    """Refuse text with control characters: a terminal would run ESC sequences when shown."""
    texts: list[object] = [value]
    if isinstance(value, list | tuple):
        texts = list(value)
    elif isinstance(value, dict):
        texts = [*value.keys(), *value.values()]
    for text in texts:
        if isinstance(text, str) and _CONTROL.search(text):
            raise ValueError(
                "contains control characters (such as terminal escape sequences); remove them"
            )


def _kinds(annotation: object) -> set[object]:
    """The plain types ``annotation`` admits (``int | None`` → ``{int, NoneType}``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        found: set[object] = set()
        for arg in typing.get_args(annotation):
            found |= _kinds(arg)
        return found - {type(None)}
    return {origin or annotation}


class WindDownStepIn(Schema):
    """A wind-down step, minutes before bedtime."""

    text: Annotated[str, Field(min_length=1, max_length=200)]
    minutes_before: Annotated[int, Field(ge=0, le=240)]


class ProfileIn(Schema):
    """Profile fields to set; ``None`` leaves a field as it is."""

    timezone: str | None = None
    region: str | None = None
    bedtime: str | None = None
    lead_min: Annotated[int, Field(ge=0, le=240)] | None = None
    wind_down: list[WindDownStepIn] | None = None
    cap_dose_g: Annotated[float, Field(gt=0, le=100)] | None = None
    cap_day_g: Annotated[float, Field(gt=0, le=200)] | None = None
    cap_days_week: Annotated[int, Field(ge=0, le=7)] | None = None
    medications: list[Name] | None = None
    conditions: list[Name] | None = None

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return canonical_region(value)

    @field_validator("bedtime")
    @classmethod
    def _clock(cls, value: str | None) -> str | None:
        if value is not None and not CLOCK.match(value):
            raise ValueError("write the bedtime as HH:MM (24-hour), e.g. 22:30")
        return value


class WindDownStepOut(Out):
    """A wind-down step as stored."""

    text: str
    minutes_before: int


class ProfileOut(Out):
    """The person's profile."""

    timezone: str
    region: str | None
    bedtime: str
    lead_min: int
    wind_down: list[WindDownStepOut]
    cap_dose_g: float | None
    cap_day_g: float | None
    cap_days_week: int | None
    medications: list[str]
    conditions: list[str]


class BatchIn(Schema):
    """A lab batch (lot) of a product and its certificate of analysis."""

    lot: Annotated[str, Field(min_length=1, max_length=120)]
    mitragynine_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    seven_oh_pct: Annotated[float, Field(ge=0, le=100)] | None = None
    tested_on: Day | None = None
    lab: Annotated[str, Field(max_length=200)] | None = None
    contaminants_passed: bool | None = None


class BatchOut(Out):
    """A stored batch."""

    id: int
    product_id: int
    lot: str
    mitragynine_pct: float | None
    seven_oh_pct: float | None
    tested_on: date | None
    lab: str | None
    contaminants_passed: bool | None


class ProductIn(Schema):
    """A product as labelled by its vendor."""

    name: Name
    form: ProductForm = ProductForm.LEAF_POWDER
    strain: Annotated[str, Field(max_length=120)] | None = None
    colour: Annotated[str, Field(max_length=40)] | None = None
    region_label: Annotated[str, Field(max_length=120)] | None = None
    vendor: Annotated[str, Field(max_length=200)] | None = None
    grams_per_capsule: Annotated[float, Field(gt=0, le=5)] | None = None
    note: Text | None = None


class ProductUpdate(Schema):
    """The fields of a product to change (``model_dump(exclude_unset=True)`` gives them)."""

    name: Name | None = None
    form: ProductForm | None = None
    strain: Annotated[str, Field(max_length=120)] | None = None
    colour: Annotated[str, Field(max_length=40)] | None = None
    region_label: Annotated[str, Field(max_length=120)] | None = None
    vendor: Annotated[str, Field(max_length=200)] | None = None
    grams_per_capsule: Annotated[float, Field(gt=0, le=5)] | None = None
    note: Text | None = None


class ProductOut(Out):
    """A stored product with its batches."""

    id: int
    name: str
    form: ProductForm
    strain: str | None
    colour: str | None
    region_label: str | None
    vendor: str | None
    grams_per_capsule: float | None
    note: str | None
    batches: list[BatchOut]


class DoseIn(Schema):
    """A dose; ``time`` is HH:MM on ``night`` (default tonight) or an ISO date-time."""

    amount: Annotated[float, Field(gt=0)]
    unit: DoseUnit = DoseUnit.GRAMS
    time: str | None = None
    night: Day | None = None
    grams_per_capsule: Annotated[float, Field(gt=0, le=5)] | None = None
    product_id: int | None = None
    batch_id: int | None = None
    reason: DoseReason | None = None
    pain_before: Score | None = None
    note: Text | None = None


class DoseUpdate(Schema):
    """The fields of a dose to change (``model_dump(exclude_unset=True)`` gives them)."""

    amount: Annotated[float, Field(gt=0)] | None = None
    unit: DoseUnit | None = None
    time: str | None = None
    night: Day | None = None
    grams_per_capsule: Annotated[float, Field(gt=0, le=5)] | None = None
    product_id: int | None = None
    batch_id: int | None = None
    reason: DoseReason | None = None
    pain_before: Score | None = None
    note: Text | None = None


class DoseOut(Out):
    """A stored dose, with grams and mg of mitragynine when known."""

    id: int
    time: str
    night: date
    amount: float
    unit: DoseUnit
    grams: float | None
    mitragynine_mg: float | None
    product_id: int | None
    product_name: str | None
    batch_id: int | None
    lot: str | None
    reason: DoseReason | None
    pain_before: int | None
    note: str | None


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


class DiaryUpdate(Schema):
    """The answers of a night's diary to change (the night itself stays)."""

    bedtime: str | None = None
    tried: str | None = None
    sol_min: int | None = None
    awakenings: int | None = None
    waso_min: int | None = None
    final_wake: str | None = None
    out_of_bed: str | None = None
    quality: int | None = None
    rested: int | None = None
    nap_count: int | None = None
    nap_min: int | None = None
    comment: Text | None = None


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


class PainIn(Schema):
    """Pain on the 0-10 scale."""

    score: Score
    time: str | None = None
    night: Day | None = None
    location: Annotated[str, Field(max_length=120)] | None = None
    note: Text | None = None


class PainOut(Out):
    """A stored pain rating."""

    id: int
    time: str
    night: date
    score: int
    location: str | None
    note: str | None


class SorenessIn(Schema):
    """Soreness 0-10 for one or more muscle groups at one time."""

    ratings: Annotated[dict[MuscleGroup, Score], Field(min_length=1)]
    time: str | None = None
    night: Day | None = None
    note: Text | None = None


class SorenessOut(Out):
    """A stored soreness rating for one muscle group."""

    id: int
    time: str
    night: date
    muscle_group: MuscleGroup
    score: int
    note: str | None


class WorkoutIn(Schema):
    """A workout: type, start, duration, effort (RPE 0-10), muscle groups, new or eccentric work."""

    kind: Annotated[str, Field(min_length=1, max_length=80)]
    duration_min: Annotated[float, Field(gt=0, le=1440)]
    time: str | None = None
    night: Day | None = None
    rpe: Score | None = None
    muscle_groups: list[MuscleGroup] = Field(default_factory=list)
    eccentric: bool = False
    new_work: bool = False
    energy_kcal: Annotated[float, Field(ge=0, le=20000)] | None = None
    note: Text | None = None


class WorkoutOut(Out):
    """A stored workout."""

    id: int
    time: str
    night: date
    kind: str
    duration_min: Minutes
    rpe: int | None
    muscle_groups: list[str]
    eccentric: bool
    new_work: bool
    energy_kcal: float | None
    source: str
    note: str | None


class IntakeIn(Schema):
    """Alcohol (standard drinks), caffeine (mg) or a medication taken (name, amount, unit)."""

    kind: IntakeKind
    amount: Annotated[float, Field(ge=0)] | None = None
    unit: Annotated[str, Field(max_length=16)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    time: str | None = None
    night: Day | None = None
    note: Text | None = None


class IntakeOut(Out):
    """A stored intake."""

    id: int
    time: str
    night: date
    kind: IntakeKind
    amount: float | None
    unit: str | None
    name: str | None
    note: str | None


class WindDownTimed(Out):
    """A wind-down step with its clock time tonight."""

    text: str
    minutes_before: int
    time: str


class PlanOut(Out):
    """Tonight's plan."""

    night: date
    timezone: str
    bedtime: str
    intake_time: str
    lead_min: int
    wind_down: list[WindDownTimed]
    bedtime_sd_min: float | None
    nights_for_sd: int
    findings: list[FindingOut] = Field(default_factory=list)
    #: Tonight's self-experiment assignment, when one is planned or running: experiment_id,
    #: question, night, status, condition, block, period, night_in_period, washout, run_in,
    #: instruction (see ``services.experiments.schemas.AssignmentOut``).
    experiment: dict[str, object] | None = None


EntryKind = Literal["dose", "diary", "pain", "soreness", "workout", "intake"]
