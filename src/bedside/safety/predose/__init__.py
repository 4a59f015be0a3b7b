"""The pre-dose check: findings to show before a dose is logged or planned.

Call :func:`check_predose` with a :class:`PreDoseContext` and ``today`` (for staleness).
Logging is never blocked; findings only inform. The rules and their thresholds are
documented in :mod:`.intake`, :mod:`.regular`, :mod:`.second_dose`, :mod:`.usage` and
:mod:`.product`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bedside.domain.timekeeping import known_zone
from bedside.safety.findings import Finding, sort_findings
from bedside.safety.predose.context import (
    AlcoholIntake,
    BatchLab,
    Caps,
    MedicationIntake,
    PastDose,
    PlannedDose,
    PreDoseContext,
    ProductForm,
)
from bedside.safety.predose.intake import (
    ALCOHOL_WINDOW,
    MEDICATION_WINDOW,
    alcohol_findings,
    medication_findings,
)
from bedside.safety.predose.product import (
    BATCH_SHIFT_THRESHOLD,
    SEVEN_OH_CONCENTRATE_PCT,
    batch_findings,
    form_findings,
)
from bedside.safety.predose.regular import regular_medication_findings
from bedside.safety.predose.second_dose import SECOND_DOSE_ID, second_dose_findings
from bedside.safety.predose.usage import (
    AFTER_BEDTIME_WINDOW,
    CONSECUTIVE_DAYS_THRESHOLD,
    UsageSummary,
    bedtime_findings,
    cap_findings,
    consecutive_day_findings,
    summarise_usage,
    within_caps,
)

__all__ = [
    "AFTER_BEDTIME_WINDOW",
    "ALCOHOL_WINDOW",
    "BATCH_SHIFT_THRESHOLD",
    "CONSECUTIVE_DAYS_THRESHOLD",
    "MEDICATION_WINDOW",
    "SECOND_DOSE_ID",
    "SEVEN_OH_CONCENTRATE_PCT",
    "AlcoholIntake",
    "BatchLab",
    "Caps",
    "MedicationIntake",
    "PastDose",
    "PlannedDose",
    "PreDoseCheck",
    "PreDoseContext",
    "ProductForm",
    "UsageSummary",
    "check_predose",
    "within_caps",
]


@dataclass(frozen=True)
class PreDoseCheck:
    """Findings (most severe first) and the usage figures they were based on."""

    findings: tuple[Finding, ...]
    usage: UsageSummary


def check_predose(context: PreDoseContext, today: date) -> PreDoseCheck:
    """Run every pre-dose rule on ``context``; ``today`` only decides staleness."""
    usage = summarise_usage(context, known_zone(context.timezone))
    recent_medicines = medication_findings(context, today)
    findings = [
        *alcohol_findings(context, today),
        *recent_medicines,
        *regular_medication_findings(context, today, recent_medicines),
        *second_dose_findings(context, today),
        *form_findings(context, today),
        *batch_findings(context, today),
        *cap_findings(context, usage, today),
        *consecutive_day_findings(usage, today),
        *bedtime_findings(context, usage, today),
    ]
    return PreDoseCheck(findings=sort_findings(findings), usage=usage)
