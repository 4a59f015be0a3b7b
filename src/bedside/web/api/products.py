"""API: products and their lab batches."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services import products
from bedside.services.products_schemas import BatchIn, BatchOut, ProductIn, ProductOut
from bedside.web.api.common import Id, api_scope, no_content

router = APIRouter(tags=["products"])


@router.get("/products", name="list_products")
def list_products(request: Request) -> list[ProductOut]:
    """Every product with its batches, newest first."""
    with api_scope(request) as scope:
        return products.list_products(scope)


@router.post("/products", name="create_product", status_code=201)
def create_product(request: Request, body: ProductIn) -> ProductOut:
    """Add a product."""
    with api_scope(request) as scope:
        return products.add_product(scope, body)


@router.get("/products/{product_id}", name="get_product")
def get_product(request: Request, product_id: Id) -> ProductOut:
    """One product with its batches."""
    with api_scope(request) as scope:
        return products.get_product(scope, product_id)


@router.put("/products/{product_id}", name="update_product")
def update_product(request: Request, product_id: Id, body: ProductIn) -> ProductOut:
    """Replace a product's fields."""
    with api_scope(request) as scope:
        return products.update_product(scope, product_id, body)


@router.delete("/products/{product_id}", name="delete_product", status_code=204)
def delete_product(request: Request, product_id: Id) -> Response:
    """Delete a product and its batches (doses keep their amounts, losing the link)."""
    with api_scope(request) as scope:
        products.delete_product(scope, product_id)
    return no_content()


@router.get("/products/{product_id}/batches", name="list_batches")
def list_batches(request: Request, product_id: Id) -> list[BatchOut]:
    """A product's batches, oldest first."""
    with api_scope(request) as scope:
        return products.get_product(scope, product_id).batches


@router.post("/products/{product_id}/batches", name="create_batch", status_code=201)
def create_batch(request: Request, product_id: Id, body: BatchIn) -> BatchOut:
    """Add a lab batch to a product."""
    with api_scope(request) as scope:
        return products.add_batch(scope, product_id, body)


@router.get("/batches/{batch_id}", name="get_batch")
def get_batch(request: Request, batch_id: Id) -> BatchOut:
    """One batch."""
    with api_scope(request) as scope:
        return products.get_batch(scope, batch_id)


@router.put("/batches/{batch_id}", name="update_batch")
def update_batch(request: Request, batch_id: Id, body: BatchIn) -> BatchOut:
    """Replace a batch's fields."""
    with api_scope(request) as scope:
        return products.update_batch(scope, batch_id, body)


@router.delete("/batches/{batch_id}", name="delete_batch", status_code=204)
def delete_batch(request: Request, batch_id: Id) -> Response:
    """Delete a batch."""
    with api_scope(request) as scope:
        products.delete_batch(scope, batch_id)
    return no_content()
