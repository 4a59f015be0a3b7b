"""Packaged reference data (interactions, conditions, facts, legal status, medications).

Every record carries ``sources`` and ``as_of``. Call :func:`load_knowledge` to read it; nothing
is loaded at import time.
"""

from bedside.knowledge.catalog import Knowledge, UnknownRecordError
from bedside.knowledge.loader import build_knowledge, load_knowledge
from bedside.knowledge.models import (
    ConditionRecord,
    DrugClass,
    DrugEntry,
    Escalation,
    FactRecord,
    InteractionRecord,
    LegalCategory,
    LegalRecord,
    MedicationTable,
    Severity,
    SourcedRecord,
)
from bedside.knowledge.staleness import STALE_AFTER_MONTHS, STALE_NOTE, is_stale, stale_cutoff

__all__ = [
    "STALE_AFTER_MONTHS",
    "STALE_NOTE",
    "ConditionRecord",
    "DrugClass",
    "DrugEntry",
    "Escalation",
    "FactRecord",
    "InteractionRecord",
    "Knowledge",
    "LegalCategory",
    "LegalRecord",
    "MedicationTable",
    "Severity",
    "SourcedRecord",
    "UnknownRecordError",
    "build_knowledge",
    "is_stale",
    "load_knowledge",
    "stale_cutoff",
]
