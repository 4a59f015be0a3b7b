"""Logging a dose with its pre-dose check: findings first, the person decides.

Every front end goes through one path: the dose is resolved once
(:func:`bedside.services.doses.resolve_dose`: product and batch, grams, time), the pre-dose
check runs on that resolved dose (:func:`predose_findings`), and the same resolved dose is
saved. The web form uses :func:`submit_dose`, which holds a dose whose findings ask for an
acknowledgement (``avoid`` findings, a second dose soon after the first) until the person
ticks that they read them; the JSON API and the CLI use :func:`log_dose`, which logs it and
returns the findings. Either way the acknowledgement is
recorded with the dose it belongs to. What the dose form offers (the person's products, the
"same as last time" offer) is in :mod:`bedside.services.dose_offers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field

from bedside.safety.findings import Finding
from bedside.services import doses, safety
from bedside.services.doses import ResolvedDose
from bedside.services.doses_schemas import DoseIn, DoseOut
from bedside.services.finding_schema import FindingOut
from bedside.services.scope import Scope


@dataclass(frozen=True)
class LoggedDose:
    """A dose just logged, its pre-dose findings and whether an acknowledgement was recorded."""

    dose: DoseOut
    findings: list[Finding]
    acknowledged: bool


@dataclass(frozen=True)
class HeldDose:
    """A dose not saved yet: its findings ask to be read first (the web form shows them)."""

    findings: list[FindingOut]


class DoseLoggedOut(DoseOut):
    """A dose just logged, with its pre-dose findings; logging is never refused."""

    findings: list[FindingOut]
    acknowledged: bool = Field(
        description="True when `acknowledge` was given and an `avoid` finding was recorded."
    )


def predose_findings(scope: Scope, resolved: ResolvedDose) -> list[Finding]:
    """The pre-dose check for a resolved dose that is not saved yet."""
    check = safety.predose_check(
        scope, resolved.at, resolved.grams, resolved.product_id, resolved.batch_id
    )
    return list(check.findings)


def log_dose(
    scope: Scope, data: DoseIn | Mapping[str, object], *, acknowledged: bool, context: str
) -> LoggedDose:
    """Check and save a dose (never refused), recording the acknowledgement when given."""
    resolved = doses.resolve_dose(scope, data)
    return _save(scope, resolved, predose_findings(scope, resolved), acknowledged, context)


def log_dose_with_findings(
    scope: Scope, data: DoseIn | Mapping[str, object], *, acknowledged: bool, context: str
) -> DoseLoggedOut:
    """:func:`log_dose` as a typed result: the dose, its findings and the acknowledgement."""
    logged = log_dose(scope, data, acknowledged=acknowledged, context=context)
    return DoseLoggedOut(
        **logged.dose.model_dump(),
        findings=safety.findings_out(logged.findings),
        acknowledged=logged.acknowledged,
    )


def submit_dose(
    scope: Scope, data: DoseIn | Mapping[str, object], *, acknowledged: bool, context: str
) -> LoggedDose | HeldDose:
    """Check a dose and save it, unless its findings ask to be read and were not yet."""
    resolved = doses.resolve_dose(scope, data)
    findings = predose_findings(scope, resolved)
    if not acknowledged and safety.needs_acknowledgement(findings):
        return HeldDose(findings=safety.findings_out(findings))
    return _save(scope, resolved, findings, acknowledged, context)


def _save(
    scope: Scope,
    resolved: ResolvedDose,
    findings: list[Finding],
    acknowledged: bool,
    context: str,
) -> LoggedDose:
    dose = doses.add_dose(scope, resolved)
    record = safety.acknowledge(scope, findings, dose.id, context) if acknowledged else None
    return LoggedDose(dose=dose, findings=findings, acknowledged=record is not None)
