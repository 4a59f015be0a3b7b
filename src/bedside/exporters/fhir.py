"""A FHIR R4 ``Bundle`` for a clinician's system: observations and kratom doses.

Pain (0-10) and diary sleep duration carry LOINC codes (72514-3, 93832-4); measures without
a LOINC code are sent as text with Bedside's own code system. Doses are
``MedicationStatement``s with the amount, unit, time and product as text. The subject is an
anonymous ``Patient`` with no name: whoever receives the file knows whose it is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
LOCAL_SYSTEM = "urn:bedside:code"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("1d3c1f33-3f55-4e54-9a8e-6b7c2c1e0b5a")
PATIENT_URL = f"urn:uuid:{uuid.uuid5(NAMESPACE, 'patient')}"
KRATOM_TEXT = "Kratom (Mitragyna speciosa)"


@dataclass(frozen=True, slots=True)
class Measure:
    """One observation: what, when (ISO 8601 with offset), the value and its unit."""

    key: str
    code: str
    system: str
    display: str
    when: str
    value: float
    unit: str
    ucum: str | None
    category: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DoseRecord:
    """One dose as logged."""

    key: str
    when: str
    amount: float
    unit: str
    grams: float | None
    product: str | None
    reason: str | None


def bundle(measures: list[Measure], doses: list[DoseRecord], generated: str) -> dict[str, Any]:
    """The bundle (type ``collection``) as FHIR JSON data."""
    entries = [_entry(PATIENT_URL, {"resourceType": "Patient", "active": True})]
    entries += [_entry(_url(m.key), _observation(m)) for m in measures]
    entries += [_entry(_url(d.key), _statement(d)) for d in doses]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(NAMESPACE, f"bundle-{generated}")),
        "type": "collection",
        "timestamp": generated,
        "entry": entries,
    }


def _url(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource}


def _observation(m: Measure) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": m.value, "unit": m.unit}
    if m.ucum is not None:
        quantity.update(system=UCUM, code=m.ucum)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBS_CATEGORY, "code": m.category}]}],
        "code": {
            "coding": [{"system": m.system, "code": m.code, "display": m.display}],
            "text": m.display,
        },
        "subject": {"reference": PATIENT_URL},
        "effectiveDateTime": m.when,
        "valueQuantity": quantity,
    }
    if m.note:
        resource["note"] = [{"text": m.note}]
    return resource


def _statement(d: DoseRecord) -> dict[str, Any]:
    product = f"{KRATOM_TEXT}: {d.product}" if d.product else KRATOM_TEXT
    dosage: dict[str, Any] = {
        "text": f"{d.amount:g} {d.unit}" + (f" ({d.grams:g} g)" if d.grams is not None else ""),
        "route": {"text": "oral"},
        "doseAndRate": [{"doseQuantity": {"value": d.amount, "unit": d.unit}}],
    }
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "completed",
        "medicationCodeableConcept": {"text": product},
        "subject": {"reference": PATIENT_URL},
        "effectiveDateTime": d.when,
        "dosage": [dosage],
    }
    if d.reason:
        resource["reasonCode"] = [{"text": d.reason}]
    return resource
