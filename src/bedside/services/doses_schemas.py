"""Doses as logged, edited and shown."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from bedside.domain.dosing import DoseReason, DoseUnit
from bedside.services.schema_base import Day, Out, Partial, Schema, Score, Text


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


class DoseUpdate(Partial, of=DoseIn):
    """The fields of a dose to change (``model_dump(exclude_unset=True)`` gives them)."""


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
