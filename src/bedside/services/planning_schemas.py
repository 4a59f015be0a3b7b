"""Tonight's plan: intake time, wind-down steps, findings and the experiment night."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from bedside.services.experiments.schemas import AssignmentOut
from bedside.services.safety_schemas import FindingOut
from bedside.services.schema_base import Out


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
    #: Tonight's self-experiment assignment, when one is planned or running.
    experiment: AssignmentOut | None = None
