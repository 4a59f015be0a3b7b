"""Logging a dose with its pre-dose check: findings first, the person decides.

Every front end goes through one path: the dose is resolved once
(:func:`bedside.services.doses.resolve_dose`: product and batch, grams, time), the pre-dose
check runs on that resolved dose (:func:`predose_findings`), and the same resolved dose is
saved. The web form uses :func:`submit_dose`, which holds a dose whose findings ask for an
acknowledgement (``avoid`` findings, a second dose soon after the first) until the person
ticks that they read them; the JSON API and the CLI use :func:`log_dose`, which logs it and
returns the findings. Either way the acknowledgement is
recorded with the dose it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, Field

from bedside.domain.dosing import DoseUnit
from bedside.domain.errors import BedsideError
from bedside.safety.findings import Finding
from bedside.safety.predose import Caps, within_caps
from bedside.services import doses, safety
from bedside.services.doses import ResolvedDose
from bedside.services.products import list_products
from bedside.services.safety_schemas import FindingOut
from bedside.services.schemas import DoseIn, DoseOut, ProductOut
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


class RepeatOffer(BaseModel):
    """The last dose, offered as "Log the same as last time" because it is within the caps.

    ``acknowledge_first`` lists the findings that logging it now would raise and that ask to
    be read first (a second dose tonight, an ``avoid`` finding): the offer then needs the
    tick, it is not one tap.
    """

    dose: DoseOut
    acknowledge_first: list[str] = Field(default_factory=list)


def repeat_offer(scope: Scope) -> RepeatOffer | None:
    """Offer to log the last dose again now, only when its amount is within the caps.

    No amount is ever suggested: the offer repeats what the person chose last time, or
    there is none and the form starts empty.
    """
    last = doses.last_dose(scope)
    profile = scope.require_profile()
    if last is None or not within_caps(last.grams, Caps(profile.cap_dose_g, profile.cap_day_g)):
        return None
    again = DoseIn(
        amount=last.amount,
        unit=last.unit,
        product_id=last.product_id,
        grams_per_capsule=last.grams / last.amount
        if last.unit is DoseUnit.CAPSULES and last.grams is not None and last.amount
        else None,
        reason=last.reason,
    )
    try:
        findings = predose_findings(scope, doses.resolve_dose(scope, again))
    except BedsideError:
        return None
    ask = [f.id for f in findings if safety.asks_acknowledgement(f)]
    return RepeatOffer(dose=last, acknowledge_first=ask)


class DoseFormOut(BaseModel):
    """What the dose form offers: the person's products (with batches) and the repeat offer."""

    products: list[ProductOut]
    repeat: RepeatOffer | None = None


def dose_form(scope: Scope, *, offer_repeat: bool) -> DoseFormOut:
    """The dose form's choices; ``offer_repeat`` for a new dose (never when editing one)."""
    return DoseFormOut(
        products=list_products(scope), repeat=repeat_offer(scope) if offer_repeat else None
    )
