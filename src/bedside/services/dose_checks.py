"""Logging a dose with its pre-dose check: findings first, the person decides.

The web form runs :func:`planned_dose_findings` before saving, so a dose that meets an
``avoid`` finding is only saved once the person has ticked that they read it; the JSON API and
the CLI log it and return the findings. Either way :func:`log_dose` records the
acknowledgement with the dose it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bedside.domain.dosing import DoseUnit, to_grams
from bedside.safety.findings import Finding
from bedside.services import doses, safety
from bedside.services.records import owned
from bedside.services.schemas import DoseIn, DoseOut
from bedside.services.scope import Scope, validated
from bedside.storage.models import Batch, Product


@dataclass(frozen=True)
class LoggedDose:
    """A dose just logged, its pre-dose findings and whether an acknowledgement was recorded."""

    dose: DoseOut
    findings: list[Finding]
    acknowledged: bool


def planned_dose_findings(scope: Scope, data: DoseIn | Mapping[str, object]) -> list[Finding]:
    """The pre-dose check for a dose that is not saved yet (invalid input raises InputError)."""
    values = validated(DoseIn, data)
    product = batch = None
    if values.product_id is not None:
        product = owned(scope, Product, values.product_id, "product")
    if values.batch_id is not None:
        batch = owned(scope, Batch, values.batch_id, "batch")
    if batch is None and product is not None and product.batches:
        batch = product.batches[-1]
    per_capsule = values.grams_per_capsule
    if per_capsule is None and product is not None:
        per_capsule = product.grams_per_capsule
    if values.unit is not DoseUnit.CAPSULES:
        per_capsule = None
    grams = to_grams(values.amount, values.unit, per_capsule)
    at = scope.instant(values.time, values.night)
    product_id = product.id if product else (batch.product_id if batch else None)
    check = safety.predose_check(scope, at, grams, product_id, batch.id if batch else None)
    return list(check.findings)


def log_dose(
    scope: Scope,
    data: DoseIn | Mapping[str, object],
    *,
    acknowledged: bool,
    context: str,
    findings: list[Finding] | None = None,
) -> LoggedDose:
    """Save the dose, and record the acknowledgement of its ``avoid`` findings when given.

    ``findings`` are the ones the person was shown before saving; when None the check runs
    on the saved dose.
    """
    dose = doses.add_dose(scope, data)
    checked = findings if findings is not None else safety.dose_findings(scope, dose.id)
    record = safety.acknowledge(scope, checked, dose.id, context) if acknowledged else None
    return LoggedDose(dose=dose, findings=checked, acknowledged=record is not None)
