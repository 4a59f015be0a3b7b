"""Products and their lab batches."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bedside.domain.dosing import ProductForm
from bedside.domain.errors import InputError
from bedside.services.products_schemas import (
    BatchIn,
    BatchOut,
    ProductIn,
    ProductOut,
    ProductUpdate,
)
from bedside.services.records import delete_owned, owned
from bedside.services.scope import Scope, validated
from bedside.storage.models import Batch, Product


def add_product(scope: Scope, data: ProductIn | Mapping[str, object]) -> ProductOut:
    """Store a new product."""
    values = validated(ProductIn, data)
    product = Product(user_id=scope.user.id, **values.model_dump())
    product.batches = []
    scope.session.add(product)
    scope.session.flush()
    return product_out(product)


def update_product(
    scope: Scope, product_id: int, data: ProductIn | Mapping[str, object]
) -> ProductOut:
    """Replace a product's fields."""
    values = validated(ProductIn, data)
    product = owned(scope, Product, product_id, "product")
    for name, value in values.model_dump().items():
        setattr(product, name, value)
    scope.session.flush()
    return product_out(product)


def edit_product(
    scope: Scope, product_id: int, changes: ProductUpdate | Mapping[str, object]
) -> ProductOut:
    """Change the fields given in ``changes``; the others stay as they are."""
    given = validated(ProductUpdate, changes).model_dump(exclude_unset=True)
    current = get_product(scope, product_id).model_dump(exclude={"id", "batches"})
    return update_product(scope, product_id, {**current, **given})


def get_product(scope: Scope, product_id: int) -> ProductOut:
    """One product with its batches."""
    return product_out(owned(scope, Product, product_id, "product"))


def list_products(scope: Scope) -> list[ProductOut]:
    """The person's products, newest first, with batches (two queries whatever the count)."""
    rows = scope.session.scalars(
        select(Product)
        .where(Product.user_id == scope.user.id)
        .options(selectinload(Product.batches))
        .order_by(Product.id.desc())
    )
    return [product_out(p) for p in rows]


def delete_product(scope: Scope, product_id: int) -> None:
    """Delete a product and its batches (doses keep their amounts, losing the link)."""
    delete_owned(scope, Product, product_id, "product")


def add_batch(scope: Scope, product_id: int, data: BatchIn | Mapping[str, object]) -> BatchOut:
    """Add a lab batch to a product."""
    values = _checked_batch(scope, data)
    product = owned(scope, Product, product_id, "product")
    batch = Batch(user_id=scope.user.id, product_id=product.id, **values.model_dump())
    scope.session.add(batch)
    scope.session.flush()
    return batch_out(batch)


def _checked_batch(scope: Scope, data: BatchIn | Mapping[str, object]) -> BatchIn:
    """Validate a batch; a lab test dated after today (in any time zone) is a typo."""
    values = validated(BatchIn, data)
    latest = scope.now.date() + timedelta(days=1)
    if values.tested_on is not None and values.tested_on > latest:
        raise InputError(
            "tested_on", f"the lab test date {values.tested_on} is in the future; check the date"
        )
    return values


def update_batch(scope: Scope, batch_id: int, data: BatchIn | Mapping[str, object]) -> BatchOut:
    """Replace a batch's fields."""
    values = _checked_batch(scope, data)
    batch = owned(scope, Batch, batch_id, "batch")
    for name, value in values.model_dump().items():
        setattr(batch, name, value)
    scope.session.flush()
    return batch_out(batch)


def delete_batch(scope: Scope, batch_id: int) -> None:
    """Delete a batch."""
    delete_owned(scope, Batch, batch_id, "batch")


def product_out(product: Product) -> ProductOut:
    """The output shape of a stored product."""
    return ProductOut(
        id=product.id,
        name=product.name,
        form=ProductForm(product.form),
        strain=product.strain,
        colour=product.colour,
        region_label=product.region_label,
        vendor=product.vendor,
        grams_per_capsule=product.grams_per_capsule,
        note=product.note,
        batches=[batch_out(b) for b in product.batches],
    )


def batch_out(batch: Batch) -> BatchOut:
    """The output shape of a stored batch."""
    return BatchOut(
        id=batch.id,
        product_id=batch.product_id,
        lot=batch.lot,
        mitragynine_pct=batch.mitragynine_pct,
        seven_oh_pct=batch.seven_oh_pct,
        tested_on=batch.tested_on,
        lab=batch.lab,
        contaminants_passed=batch.contaminants_passed,
    )


def get_batch(scope: Scope, batch_id: int) -> BatchOut:
    """One lab batch."""
    return batch_out(owned(scope, Batch, batch_id, "batch"))
