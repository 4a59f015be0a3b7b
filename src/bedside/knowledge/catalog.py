"""The loaded knowledge base: all packaged records, cross-checked and indexed by id."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import PrivateAttr, model_validator

from bedside.knowledge.models import (
    ConditionRecord,
    DrugClass,
    FactRecord,
    FrozenModel,
    InteractionRecord,
    LegalRecord,
    MedicationTable,
)

_T = TypeVar("_T")


class UnknownRecordError(KeyError):
    """Raised when code asks for a record id that the packaged data does not contain."""


class Knowledge(FrozenModel):
    """Every packaged record, validated together so that references between files hold."""

    interactions: tuple[InteractionRecord, ...]
    conditions: tuple[ConditionRecord, ...]
    facts: tuple[FactRecord, ...]
    legal: tuple[LegalRecord, ...]
    medications: MedicationTable

    _interactions: dict[str, InteractionRecord] = PrivateAttr(default_factory=dict)
    _conditions: dict[str, ConditionRecord] = PrivateAttr(default_factory=dict)
    _facts: dict[str, FactRecord] = PrivateAttr(default_factory=dict)
    _legal: dict[str, LegalRecord] = PrivateAttr(default_factory=dict)
    _classes: dict[str, DrugClass] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Build the lookup indexes once the fields are validated."""
        self._interactions = {r.id: r for r in self.interactions}
        self._conditions = {r.id: r for r in self.conditions}
        self._facts = {r.id: r for r in self.facts}
        self._legal = {r.code.lower(): r for r in self.legal}
        self._classes = {c.id: c for c in self.medications.classes}

    @model_validator(mode="after")
    def _check_references(self) -> Knowledge:
        _require_unique("interaction id", [r.id for r in self.interactions])
        _require_unique("condition id", [r.id for r in self.conditions])
        _require_unique("fact id", [r.id for r in self.facts])
        _require_unique("legal code", [r.code.lower() for r in self.legal])
        _require_unique("drug class id", [c.id for c in self.medications.classes])
        interaction_ids = {r.id for r in self.interactions}
        class_ids = {c.id for c in self.medications.classes}
        if class_ids != interaction_ids:
            raise ValueError(f"drug classes and interactions differ: {class_ids ^ interaction_ids}")
        for drug in self.medications.drugs:
            _require_known(f"classes of {drug.generic}", drug.classes, class_ids)
        for condition in self.conditions:
            targets = [e.interaction_id for e in condition.escalations]
            _require_known(f"escalations of {condition.id}", targets, interaction_ids)
        codes = {r.code for r in self.legal}
        for record in self.legal:
            if record.parent is not None and record.parent not in codes:
                raise ValueError(f"{record.code}: parent {record.parent} has no record")
        return self

    def interaction(self, interaction_id: str) -> InteractionRecord:
        """The interaction record with this id."""
        return _get(self._interactions, interaction_id, "interaction")

    def condition(self, condition_id: str) -> ConditionRecord:
        """The condition record with this id."""
        return _get(self._conditions, condition_id, "condition")

    def fact(self, fact_id: str) -> FactRecord:
        """The fact record with this id."""
        return _get(self._facts, fact_id, "fact")

    def drug_class(self, class_id: str) -> DrugClass:
        """The medication class with this id."""
        return _get(self._classes, class_id, "drug class")

    def legal_record(self, code: str) -> LegalRecord | None:
        """The legal record for ``code`` (case-insensitive), or None when there is none."""
        return self._legal.get(code.lower())


def _require_unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what}: {value}")
        seen.add(value)


def _require_known(what: str, values: tuple[str, ...] | list[str], known: set[str]) -> None:
    missing = set(values) - known
    if missing:
        raise ValueError(f"{what} refer to unknown ids: {sorted(missing)}")


def _get(index: dict[str, _T], key: str, kind: str) -> _T:
    try:
        return index[key]
    except KeyError:
        raise UnknownRecordError(f"no {kind} record with id {key!r}") from None
