"""Doses: log, list, edit and delete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bedside.domain.dosing import DoseReason, DoseUnit, mitragynine_mg, to_grams
from bedside.domain.errors import InputError
from bedside.domain.timekeeping import local_iso, night_of, zone
from bedside.services.doses_schemas import DoseIn, DoseOut, DoseUpdate
from bedside.services.records import by_nights, delete_owned, owned
from bedside.services.scope import Scope, validated
from bedside.storage.models import Batch, Dose, Product


@dataclass(frozen=True)
class ResolvedDose:
    """A dose as entered, with its time, product, batch and grams worked out.

    The pre-dose check and the saved row both come from this one value, so the check a person
    sees before saving is the check of the dose that gets saved.
    """

    values: DoseIn
    at: datetime
    grams: float | None
    per_capsule: float | None
    product: Product | None
    batch: Batch | None

    @property
    def product_id(self) -> int | None:
        """The product's id, if any."""
        return self.product.id if self.product is not None else None

    @property
    def batch_id(self) -> int | None:
        """The batch's id, if any."""
        return self.batch.id if self.batch is not None else None


def resolve_dose(scope: Scope, data: DoseIn | Mapping[str, object]) -> ResolvedDose:
    """Validate a dose and work out its instant, product, batch and grams (nothing is saved).

    A batch given alone brings its product (and the product's grams per capsule); a product
    given alone takes its newest batch. Capsules need a weight per capsule.
    """
    values = validated(DoseIn, data)
    product, batch = _product_and_batch(scope, values.product_id, values.batch_id)
    per_capsule = values.grams_per_capsule
    if per_capsule is None and product is not None:
        per_capsule = product.grams_per_capsule
    if values.unit is not DoseUnit.CAPSULES:
        per_capsule = None
    elif per_capsule is None:
        raise InputError(
            "grams_per_capsule",
            "give the grams per capsule (or set it on the product) so the dose can be counted",
        )
    return ResolvedDose(
        values=values,
        at=scope.instant(values.time, values.night),
        grams=to_grams(values.amount, values.unit, per_capsule),
        per_capsule=per_capsule,
        product=product,
        batch=batch,
    )


def add_dose(scope: Scope, data: DoseIn | Mapping[str, object] | ResolvedDose) -> DoseOut:
    """Log a dose."""
    resolved = data if isinstance(data, ResolvedDose) else resolve_dose(scope, data)
    dose = Dose(user_id=scope.user.id)
    _fill(scope, dose, resolved)
    scope.session.add(dose)
    scope.session.flush()
    return dose_out(dose)


def update_dose(scope: Scope, dose_id: int, data: DoseIn | Mapping[str, object]) -> DoseOut:
    """Replace a dose's fields."""
    dose = owned(scope, Dose, dose_id, "dose")
    _fill(scope, dose, resolve_dose(scope, data))
    scope.session.flush()
    return dose_out(dose)


def edit_dose(scope: Scope, dose_id: int, changes: DoseUpdate | Mapping[str, object]) -> DoseOut:
    """Change the fields given in ``changes``; the others stay as they are.

    A new product without a batch takes that product's newest batch, not the old batch. A
    capsule dose keeps the capsule weight it was counted with unless a weight or another
    product is given.
    """
    given = validated(DoseUpdate, changes).model_dump(exclude_unset=True)
    current = get_dose(scope, dose_id)
    fields: dict[str, object] = {
        "time": current.time,
        "amount": current.amount,
        "unit": current.unit,
        "grams_per_capsule": None,
        "product_id": current.product_id,
        "batch_id": None if "product_id" in given else current.batch_id,
        "reason": current.reason,
        "pain_before": current.pain_before,
        "note": current.note,
    }
    fields.update(given)
    if (
        fields["unit"] == DoseUnit.CAPSULES
        and current.unit is DoseUnit.CAPSULES
        and fields["grams_per_capsule"] is None
        and "product_id" not in given
        and current.grams
    ):
        # keep the capsule weight the dose was counted with (g or mg doses have none)
        fields["grams_per_capsule"] = current.grams / current.amount
    return update_dose(scope, dose_id, fields)


def _fill(scope: Scope, dose: Dose, resolved: ResolvedDose) -> None:
    values = resolved.values
    dose.taken_at = resolved.at
    dose.tz = scope.tz.key
    dose.night = night_of(resolved.at, scope.tz)
    dose.amount = values.amount
    dose.unit = values.unit.value
    dose.grams_per_capsule = resolved.per_capsule
    dose.grams = resolved.grams
    dose.product = resolved.product
    dose.batch = resolved.batch
    dose.reason = values.reason.value if values.reason else None
    dose.pain_before = values.pain_before
    dose.note = values.note


def _product_and_batch(
    scope: Scope, product_id: int | None, batch_id: int | None
) -> tuple[Product | None, Batch | None]:
    """Resolve the product and batch; a product alone takes its newest batch."""
    product = owned(scope, Product, product_id, "product") if product_id is not None else None
    if batch_id is not None:
        batch = owned(scope, Batch, batch_id, "batch")
        if product is not None and batch.product_id != product.id:
            raise InputError("batch_id", f"batch {batch_id} belongs to another product")
        return batch.product, batch
    if product is not None and product.batches:
        return product, product.batches[-1]
    return product, None


def get_dose(scope: Scope, dose_id: int) -> DoseOut:
    """One dose."""
    return dose_out(owned(scope, Dose, dose_id, "dose"))


def list_doses(scope: Scope, start: date | None = None, end: date | None = None) -> list[DoseOut]:
    """Doses whose night lies in ``[start, end]``, oldest first (one query)."""
    query = by_nights(scope, Dose, start, end, Dose.taken_at).options(
        joinedload(Dose.product), joinedload(Dose.batch)
    )
    return [dose_out(d) for d in scope.session.scalars(query)]


def last_dose(scope: Scope) -> DoseOut | None:
    """The most recent dose, used to pre-fill the next one."""
    query = (
        select(Dose)
        .where(Dose.user_id == scope.user.id)
        .order_by(Dose.taken_at.desc())
        .limit(1)
        .options(joinedload(Dose.product), joinedload(Dose.batch))
    )
    dose = scope.session.scalars(query).first()
    return dose_out(dose) if dose else None


def delete_dose(scope: Scope, dose_id: int) -> None:
    """Delete a dose."""
    delete_owned(scope, Dose, dose_id, "dose")


def dose_out(dose: Dose) -> DoseOut:
    """The output shape of a stored dose."""
    batch = dose.batch
    return DoseOut(
        id=dose.id,
        time=local_iso(dose.taken_at, zone(dose.tz)),
        night=dose.night,
        amount=dose.amount,
        unit=DoseUnit(dose.unit),
        grams=dose.grams,
        mitragynine_mg=mitragynine_mg(dose.grams, batch.mitragynine_pct if batch else None),
        product_id=dose.product_id,
        product_name=dose.product.name if dose.product else None,
        batch_id=dose.batch_id,
        lot=batch.lot if batch else None,
        reason=DoseReason(dose.reason) if dose.reason else None,
        pain_before=dose.pain_before,
        note=dose.note,
    )
