"""Packaged reference data (interactions, conditions, facts, legal status, medications).

Every record carries ``sources``, ``as_of`` (the date of the law or newest source it reflects)
and ``checked_on`` (when it was last verified). Call :func:`load_knowledge` to read it; nothing
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
    format_as_of,
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
    "format_as_of",
    "is_stale",
    "load_knowledge",
    "stale_cutoff",
]
