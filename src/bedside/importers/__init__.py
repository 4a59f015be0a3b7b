"""Bedside importers: one streaming protocol, one module per source, and night assembly.

See :mod:`bedside.importers.base` for the records and the :class:`Importer` protocol,
:mod:`bedside.importers.registry` for choosing an importer; turning sleep records into nights
is :mod:`bedside.sleep.nights` (re-exported here).
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
from bedside.importers.registry import SOURCE_NAMES, detect_importer, get_importer
from bedside.sleep.nights import (
    COMBINED,
    NightConfig,
    NightSleep,
    assemble_nights,
    night_window,
)
from bedside.sleep.priority import DEFAULT_PRIORITY, SourcePriority

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
