"""Bedside importers: one streaming protocol, one module per source, and night assembly.

See :mod:`bedside.importers.base` for the records and the :class:`Importer` protocol,
:mod:`bedside.importers.registry` for choosing an importer, and
:mod:`bedside.importers.nights` for turning sleep records into nights.
"""

from bedside.importers.base import (
    ASLEEP_STAGES,
    STAGES,
    Importer,
    ImportFileError,
    ImportStats,
    MindfulSession,
    Progress,
    Record,
    Sample,
    SampleKind,
    SleepSegment,
    SleepSummary,
    Stage,
    Workout,
)
from bedside.importers.nights import (
    COMBINED,
    NightConfig,
    NightSleep,
    assemble_nights,
    night_window,
)
from bedside.importers.priority import DEFAULT_PRIORITY, SourcePriority
from bedside.importers.registry import SOURCE_NAMES, detect_importer, get_importer

__all__ = [
    "ASLEEP_STAGES",
    "COMBINED",
    "DEFAULT_PRIORITY",
    "SOURCE_NAMES",
    "STAGES",
    "ImportFileError",
    "ImportStats",
    "Importer",
    "MindfulSession",
    "NightConfig",
    "NightSleep",
    "Progress",
    "Record",
    "Sample",
    "SampleKind",
    "SleepSegment",
    "SleepSummary",
    "SourcePriority",
    "Stage",
    "Workout",
    "assemble_nights",
    "detect_importer",
    "get_importer",
    "night_window",
]
