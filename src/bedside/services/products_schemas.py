"""Products as their vendors label them, and their lab batches."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from bedside.domain.dosing import ProductForm
from bedside.services.schema_base import Day, Name, Out, Partial, Schema, Text


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


class ProductUpdate(Partial, of=ProductIn):
    """The fields of a product to change (``model_dump(exclude_unset=True)`` gives them)."""


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
