"""Doses and units: amounts in grams, milligrams or capsules, and mitragynine content."""

from __future__ import annotations

from enum import StrEnum

from bedside.domain.errors import InputError


class DoseUnit(StrEnum):
    """Units a dose can be logged in."""

    GRAMS = "g"
    MILLIGRAMS = "mg"
    CAPSULES = "capsules"


class DoseReason(StrEnum):
    """Why the dose was taken."""

    PAIN = "pain"
    SORENESS = "soreness"
    SLEEP = "sleep"
    OTHER = "other"


class ProductForm(StrEnum):
    """What kind of product it is."""

    LEAF_POWDER = "leaf_powder"
    CAPSULES = "capsules"
    TEA = "tea"
    EXTRACT = "extract"
    SEVEN_OH_CONCENTRATE = "7oh_concentrate"


MAX_GRAMS = 100.0


def to_grams(amount: float, unit: DoseUnit, grams_per_capsule: float | None) -> float | None:
    """Convert a logged amount to grams of product (None when capsules lack a capsule weight)."""
    if amount <= 0:
        raise InputError("amount", f"the amount must be more than zero, got {amount:g}")
    if unit is DoseUnit.GRAMS:
        grams = amount
    elif unit is DoseUnit.MILLIGRAMS:
        grams = amount / 1000.0
    else:
        if grams_per_capsule is None:
            return None
        if grams_per_capsule <= 0:
            raise InputError("grams_per_capsule", "grams per capsule must be more than zero")
        grams = amount * grams_per_capsule
    if grams > MAX_GRAMS:
        raise InputError("amount", f"{grams:g} g is not a plausible single dose; check the unit")
    return grams


def mitragynine_mg(grams: float | None, mitragynine_pct: float | None) -> float | None:
    """Milligrams of mitragynine in ``grams`` of product with a lab-measured % w/w."""
    if grams is None or mitragynine_pct is None:
        return None
    return grams * 1000.0 * mitragynine_pct / 100.0
