"""Plain inputs for the pre-dose check.

All datetimes must be timezone-aware (UTC is expected; any offset is accepted). Amounts are
grams of product. Batch lab values are percent by weight of the product as printed on a
certificate of analysis (1.5 means 1.5% w/w = 15 mg per gram).

``recent_doses`` are the doses already logged *before* the one being checked; do not include
the dose under check itself. Pass at least the last 8 days (30 is better) so that the
7-day and consecutive-day rules can see enough history.

``regular_medications`` and ``conditions`` are the names from the person's profile, as typed:
regular medicines are taken whether or not an intake was logged, so they count before every
dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bedside.domain.timekeeping import known_zone, require_aware

__all__ = [
    "AlcoholIntake",
    "BatchLab",
    "Caps",
    "MedicationIntake",
    "PastDose",
    "PlannedDose",
    "PreDoseContext",
    "ProductForm",
]


class ProductForm(StrEnum):
    """What kind of product the dose is."""

    LEAF_POWDER = "leaf_powder"
    CAPSULES = "capsules"
    TEA = "tea"
    EXTRACT = "extract"
    SEVEN_OH_CONCENTRATE = "7oh_concentrate"


def _check_grams(grams: float | None, what: str) -> None:
    if grams is not None and grams < 0:
        raise ValueError(f"{what} cannot be negative (got {grams})")


def _check_percent(value: float | None, what: str) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{what} must be a percentage between 0 and 100 (got {value})")


@dataclass(frozen=True)
class BatchLab:
    """Lab results for the batch being used, and the previous batch of the same product."""

    mitragynine_pct: float | None = None
    seven_oh_pct: float | None = None
    contaminants_passed: bool | None = None
    previous_mitragynine_pct: float | None = None
    previous_seven_oh_pct: float | None = None

    def __post_init__(self) -> None:
        _check_percent(self.mitragynine_pct, "mitragynine_pct")
        _check_percent(self.seven_oh_pct, "seven_oh_pct")
        _check_percent(self.previous_mitragynine_pct, "previous_mitragynine_pct")
        _check_percent(self.previous_seven_oh_pct, "previous_seven_oh_pct")


@dataclass(frozen=True)
class PlannedDose:
    """The dose being logged or planned."""

    at: datetime
    grams: float | None = None
    form: ProductForm | None = None
    batch: BatchLab | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "dose time")
        _check_grams(self.grams, "dose amount")


@dataclass(frozen=True)
class PastDose:
    """A dose already logged; ``grams`` is None when the amount wasn't recorded."""

    at: datetime
    grams: float | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "recent dose time")
        _check_grams(self.grams, "recent dose amount")


@dataclass(frozen=True)
class AlcoholIntake:
    """Alcohol logged, in standard drinks."""

    at: datetime
    standard_drinks: float

    def __post_init__(self) -> None:
        require_aware(self.at, "alcohol time")
        if self.standard_drinks < 0:
            raise ValueError("standard_drinks cannot be negative")


@dataclass(frozen=True)
class MedicationIntake:
    """A medicine taken, by name as the person typed it."""

    at: datetime
    name: str

    def __post_init__(self) -> None:
        require_aware(self.at, "medication time")


@dataclass(frozen=True)
class Caps:
    """The person's own limits; any may be None (not set). Never a recommendation."""

    per_dose_g: float | None = None
    per_day_g: float | None = None
    days_per_week: int | None = None

    def __post_init__(self) -> None:
        _check_grams(self.per_dose_g, "per-dose cap")
        _check_grams(self.per_day_g, "per-24-hour cap")
        if self.days_per_week is not None and not 0 <= self.days_per_week <= 7:
            raise ValueError("days_per_week cap must be between 0 and 7")


@dataclass(frozen=True)
class PreDoseContext:
    """Everything the pre-dose check looks at. ``timezone`` is an IANA name."""

    dose: PlannedDose
    timezone: str
    recent_doses: Sequence[PastDose] = ()
    alcohol: Sequence[AlcoholIntake] = ()
    medications: Sequence[MedicationIntake] = ()
    caps: Caps = field(default_factory=Caps)
    bedtime: datetime | None = None
    lead_minutes: int = 60
    regular_medications: Sequence[str] = ()
    conditions: Sequence[str] = ()

    def __post_init__(self) -> None:
        known_zone(self.timezone)
        if self.bedtime is not None:
            require_aware(self.bedtime, "bedtime")
        if self.lead_minutes < 0:
            raise ValueError("lead_minutes cannot be negative")
