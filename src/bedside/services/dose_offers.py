"""What the dose form offers: the person's products and "Log the same as last time".

Kept apart from :mod:`bedside.services.dose_checks` so that logging a dose (the CLI, the
JSON API) loads neither the product schemas nor these models.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from bedside.domain.dosing import DoseUnit
from bedside.domain.errors import BedsideError
from bedside.safety.predose import Caps, within_caps
from bedside.services import doses, safety
from bedside.services.dose_checks import predose_findings
from bedside.services.doses_schemas import DoseIn, DoseOut
from bedside.services.products import list_products
from bedside.services.products_schemas import ProductOut
from bedside.services.scope import Scope


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
