"""Validated shapes of the packaged reference records.

Every record a user can see carries ``sources`` (at least one http(s) URL), ``as_of`` (the date
of the law or newest source it reflects, as precise as ``as_of_precision`` says) and
``checked_on`` (the day its statements were last verified against those sources). A record can
describe an old law that was checked recently; staleness is judged on ``checked_on``. Records
whose facts are flagged as uncertain or pending in the reference material carry
``uncertain=True`` and a plain-language ``uncertainty_note``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Text = Annotated[str, StringConstraints(min_length=3, strip_whitespace=True)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Severity(StrEnum):
    """How much a finding matters, from ``avoid`` (most) to ``info`` (least).

    Comparisons follow that order: ``Severity.AVOID > Severity.CAUTION`` is true.
    """

    AVOID = "avoid"
    CAUTION = "caution"
    MONITOR = "monitor"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for ``avoid`` down to 0 for ``info``."""
        return _SEVERITY_RANK[self.value]

    def __lt__(self, other: str, /) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: str, /) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: str, /) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: str, /) -> bool:
        return self.rank >= Severity(other).rank


_SEVERITY_RANK = {"avoid": 3, "caution": 2, "monitor": 1, "info": 0}


class LegalCategory(StrEnum):
    """Legal status vocabulary shared with ``legal-status.json`` and the CLI contract."""

    LEGAL = "legal"
    REGULATED = "regulated"
    RESTRICTED = "restricted"
    PRESCRIPTION_ONLY = "prescription-only"
    BANNED = "banned"
    UNCLEAR = "unclear"


class FrozenModel(BaseModel):
    """Immutable model that rejects unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SourcedRecord(FrozenModel):
    """Common provenance fields: summary in our words, sources, two dates and uncertainty."""

    summary: Text
    sources: Annotated[tuple[Url, ...], Field(min_length=1)]
    as_of: date
    as_of_precision: Literal["day", "month", "year"] = "day"
    checked_on: date
    uncertain: bool = False
    uncertainty_note: Text | None = None

    @model_validator(mode="after")
    def _note_matches_flag(self) -> SourcedRecord:
        if self.uncertain != (self.uncertainty_note is not None):
            raise ValueError("uncertainty_note is required exactly when uncertain is true")
        return self

    @model_validator(mode="after")
    def _checked_after_dated(self) -> SourcedRecord:
        if self.checked_on < self.as_of:
            raise ValueError("checked_on cannot be earlier than as_of")
        return self

    @property
    def as_of_text(self) -> str:
        """``as_of`` written no finer than it is known: ``2004``, ``2026-02`` or ``2016-05-10``."""
        return format_as_of(self.as_of, self.as_of_precision)


def format_as_of(day: date, precision: str) -> str:
    """A date written to its precision (``year``, ``month`` or ``day``)."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


class InteractionRecord(SourcedRecord):
    """Kratom combined with one class of medicine or substance."""

    id: Identifier
    title: Text
    severity: Severity
    sedating: bool
    action: Text
    evidence: Text


class Escalation(FrozenModel):
    """A condition that makes one interaction class more serious."""

    interaction_id: Identifier
    severity: Severity
    reason: Text


class ConditionRecord(SourcedRecord):
    """A health condition where kratom calls for care."""

    id: Identifier
    title: Text
    severity: Severity
    synonyms: Annotated[tuple[Text, ...], Field(min_length=1)]
    action: Text
    escalations: tuple[Escalation, ...] = ()


class FactRecord(SourcedRecord):
    """A single sourced fact used to explain a rule (timing, products, dependence...)."""

    id: Identifier
    title: Text


class LegalRecord(SourcedRecord):
    """Legal status of kratom in one jurisdiction (country, state, county or city)."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Za-z0-9]+)*$")]
    name: Text
    level: Literal["country", "state", "county", "city"]
    parent: str | None
    status: LegalCategory
    seven_oh_status: LegalCategory | None = None
    age_minimum: Annotated[int, Field(ge=0, le=99)] | None = None

    @model_validator(mode="after")
    def _parent_matches_level(self) -> LegalRecord:
        if (self.level == "country") != (self.parent is None):
            raise ValueError(f"{self.code}: only countries have no parent")
        return self


class DrugClass(FrozenModel):
    """A medication class; its id is the id of the matching interaction record."""

    id: Identifier
    label: Text
    sources: Annotated[tuple[Url, ...], Field(min_length=1)]


class DrugEntry(FrozenModel):
    """One generic medicine or substance with its brand names and spelling variants."""

    generic: Text
    brands: tuple[Text, ...] = ()
    synonyms: tuple[Text, ...] = ()
    classes: tuple[Identifier, ...] = ()
    sources: Annotated[tuple[Url, ...], Field(min_length=1)]


class MedicationTable(FrozenModel):
    """The packaged medication mapping: classes and drug entries."""

    as_of: date
    classes: tuple[DrugClass, ...]
    drugs: tuple[DrugEntry, ...]
