"""The person's profile: time zone, region, bedtime, wind-down steps, caps, medications."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bedside.knowledge.regions import canonical_region
from bedside.services.schema_base import CLOCK, Name, Out, Schema


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
