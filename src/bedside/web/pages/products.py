"""Products and their lab batches: add, edit, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bedside.domain.errors import BedsideError
from bedside.services import products
from bedside.services.products_schemas import BatchOut, ProductOut
from bedside.web.forms import FormValues, errors_of, pick, submitted_form
from bedside.web.pages.common import page_scope, see_other
from bedside.web.rendering import number, render

router = APIRouter(include_in_schema=False)

PRODUCT_FIELDS = (
    "name",
    "form",
    "strain",
    "colour",
    "region_label",
    "vendor",
    "grams_per_capsule",
    "note",
)
BATCH_FIELDS = ("lot", "mitragynine_pct", "seven_oh_pct", "tested_on", "lab")
CONTAMINANTS = {"passed": True, "failed": False}


def product_data(values: FormValues) -> dict[str, object]:
    """Product fields from the form."""
    return pick(values, PRODUCT_FIELDS)


def batch_data(values: FormValues) -> dict[str, object]:
    """Batch fields from the form (contaminant panel: passed, failed or not known)."""
    data = pick(values, BATCH_FIELDS)
    data["contaminants_passed"] = CONTAMINANTS.get(values.get("contaminants").strip())
    return data


def product_values(product: ProductOut) -> FormValues:
    """A stored product as form values."""
    data = product.model_dump(include=set(PRODUCT_FIELDS))
    data["grams_per_capsule"] = number(product.grams_per_capsule, 3) or None
    return FormValues.of(data)


def batch_values(batch: BatchOut) -> FormValues:
    """A stored batch as form values."""
    data: dict[str, Any] = batch.model_dump(include=set(BATCH_FIELDS))
    for name in ("mitragynine_pct", "seven_oh_pct"):
        data[name] = number(data[name], 4) or None
    passed = batch.contaminants_passed
    data["contaminants"] = None if passed is None else ("passed" if passed else "failed")
    return FormValues.of(data)


def _list_page(
    request: Request, values: FormValues, errors: dict[str, str], status: int = 200
) -> Response:
    with page_scope(request) as scope:
        items = products.list_products(scope)
    return render(
        request,
        "products.html",
        {
            "section": "products",
            "title": "Products",
            "products": items,
            "v": values,
            "errors": errors,
        },
        status,
    )


@router.get("/products", name="products_page")
def product_list(request: Request) -> Response:
    """Every product with its batches, and a form to add one."""
    return _list_page(request, FormValues([("form", "leaf_powder")]), {})


@router.post("/products", name="products_add")
def product_add(request: Request, values: FormValues = Depends(submitted_form)) -> Response:
    """Add a product (with a first batch when a lot is given)."""
    try:
        with page_scope(request) as scope:
            product = products.add_product(scope, product_data(values))
            if values.get("lot").strip():
                products.add_batch(scope, product.id, batch_data(values))
    except BedsideError as exc:
        return _list_page(request, values, errors_of(exc), 422)
    return see_other(f"/products#product-{product.id}")


def _product_page(
    request: Request,
    product_id: int,
    values: FormValues | None = None,
    batch: FormValues | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with page_scope(request) as scope:
        product = products.get_product(scope, product_id)
    return render(
        request,
        "product.html",
        {
            "section": "products",
            "title": f"Edit {product.name}",
            "product": product,
            "v": values or product_values(product),
            "b": batch or FormValues(),
            "errors": errors or {},
        },
        status,
    )


@router.get("/products/{product_id}", name="product_page")
def product_edit_form(request: Request, product_id: int) -> Response:
    """A product's edit form, its batches and a form to add a batch."""
    return _product_page(request, product_id)


@router.post("/products/{product_id}", name="product_edit_submit")
def product_edit(
    request: Request, product_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Save a product's fields."""
    with page_scope(request) as scope:
        products.get_product(scope, product_id)  # a 404 page when it is gone
    try:
        with page_scope(request) as scope:
            products.update_product(scope, product_id, product_data(values))
    except BedsideError as exc:
        return _product_page(request, product_id, values, None, errors_of(exc), 422)
    return see_other(f"/products#product-{product_id}")


@router.post("/products/{product_id}/batches", name="batch_add_submit")
def batch_add(
    request: Request, product_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Add a lab batch to a product."""
    try:
        with page_scope(request) as scope:
            products.add_batch(scope, product_id, batch_data(values))
    except BedsideError as exc:
        return _product_page(request, product_id, None, values, errors_of(exc), 422)
    return see_other(f"/products/{product_id}#batches")


@router.get("/batches/{batch_id}/edit", name="batch_edit_page")
def batch_edit_form(request: Request, batch_id: int) -> Response:
    """A batch's edit form."""
    with page_scope(request) as scope:
        batch = products.get_batch(scope, batch_id)
    return _batch_page(request, batch, batch_values(batch), {})


def _batch_page(
    request: Request, batch: BatchOut, values: FormValues, errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "batch.html",
        {
            "section": "products",
            "title": f"Edit batch {batch.lot}",
            "batch": batch,
            "b": values,
            "errors": errors,
        },
        status,
    )


@router.post("/batches/{batch_id}/edit", name="batch_edit_submit")
def batch_edit(
    request: Request, batch_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Save a batch's fields."""
    with page_scope(request) as scope:
        batch = products.get_batch(scope, batch_id)
    try:
        with page_scope(request) as scope:
            products.update_batch(scope, batch_id, batch_data(values))
    except BedsideError as exc:
        return _batch_page(request, batch, values, errors_of(exc), 422)
    return see_other(f"/products/{batch.product_id}#batches")


def _confirm(request: Request, what: str, action: str, cancel: str) -> Response:
    return render(
        request,
        "confirm_delete.html",
        {
            "section": "products",
            "title": "Delete?",
            "what": what + " (doses keep their amounts but lose the link)",
            "action": action,
            "cancel": cancel,
        },
    )


@router.get("/products/{product_id}/delete", name="product_delete_page")
def product_delete_confirm(request: Request, product_id: int) -> Response:
    """Ask before deleting a product and its batches."""
    with page_scope(request) as scope:
        product = products.get_product(scope, product_id)
    what = f"the product {product.name} and its {len(product.batches)} batch(es)"
    return _confirm(request, what, f"/products/{product_id}/delete", f"/products/{product_id}")


@router.post("/products/{product_id}/delete", name="product_delete_submit")
def product_delete(
    request: Request, product_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Delete a product and its batches."""
    with page_scope(request) as scope:
        products.delete_product(scope, product_id)
    return see_other("/products")


@router.get("/batches/{batch_id}/delete", name="batch_delete_page")
def batch_delete_confirm(request: Request, batch_id: int) -> Response:
    """Ask before deleting a batch."""
    with page_scope(request) as scope:
        batch = products.get_batch(scope, batch_id)
    return _confirm(
        request,
        f"batch {batch.lot}",
        f"/batches/{batch_id}/delete",
        f"/products/{batch.product_id}",
    )


@router.post("/batches/{batch_id}/delete", name="batch_delete_submit")
def batch_delete(
    request: Request, batch_id: int, values: FormValues = Depends(submitted_form)
) -> Response:
    """Delete a batch."""
    with page_scope(request) as scope:
        product_id = products.get_batch(scope, batch_id).product_id
        products.delete_batch(scope, batch_id)
    return see_other(f"/products/{product_id}#batches")
