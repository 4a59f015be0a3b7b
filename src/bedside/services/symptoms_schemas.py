"""Pain and per-muscle soreness ratings as logged and shown."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from bedside.services.schema_base import Day, Out, Schema, Score, Text


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
