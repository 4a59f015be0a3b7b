"""Workouts and intakes (alcohol, caffeine, medications) as logged and shown."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from bedside.services.schema_base import Day, Minutes, Out, Schema, Score, Text
from bedside.services.symptoms_schemas import MuscleGroup


class IntakeKind(StrEnum):
    """Things taken besides kratom."""

    ALCOHOL = "alcohol"
    CAFFEINE = "caffeine"
    MEDICATION = "medication"


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
