"""``bedside product add/list/show/edit/delete`` and ``bedside product batch ...``."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import fail, print_json, print_table
from bedside.domain.dosing import ProductForm

product_app = typer.Typer(help="Products and their lab batches.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
#: The product id is an argument of these commands, not the --product option.
POSITIONAL_ID = {"product_id": ""}


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(product_app, name="product")


def _product_fields(
    name: str,
    form: ProductForm,
    strain: str | None,
    colour: str | None,
    region_label: str | None,
    vendor: str | None,
    grams_per_capsule: float | None,
    note: str | None,
) -> dict[str, object]:
    return {
        "name": name,
        "form": form,
        "strain": strain,
        "colour": colour,
        "region_label": region_label,
        "vendor": vendor,
        "grams_per_capsule": grams_per_capsule,
        "note": note,
    }


Form = Annotated[ProductForm, typer.Option("--form", help="What kind of product it is.")]
Strain = Annotated[str | None, typer.Option("--strain", help="Strain label, e.g. 'Bali'.")]
Colour = Annotated[str | None, typer.Option("--colour", "--color", help="Vein colour label.")]
RegionLabel = Annotated[str | None, typer.Option("--region-label", help="Origin on the label.")]
Vendor = Annotated[str | None, typer.Option("--vendor")]
PerCapsule = Annotated[
    float | None, typer.Option("--grams-per-capsule", help="For capsules: grams in one.")
]
Note = Annotated[str | None, typer.Option("--note")]
Lot = Annotated[str | None, typer.Option("--lot", help="Lot or batch number of a lab batch.")]
Mitragynine = Annotated[
    float | None, typer.Option("--mitragynine", help="Lab result: mitragynine % w/w.")
]
SevenOh = Annotated[float | None, typer.Option("--seven-oh", help="Lab result: 7-OH % w/w.")]
Tested = Annotated[str | None, typer.Option("--tested-on", help="Lab test date, YYYY-MM-DD.")]
Lab = Annotated[str | None, typer.Option("--lab", help="Lab that tested it.")]
Contaminants = Annotated[
    bool | None,
    typer.Option(
        "--contaminants-passed/--contaminants-failed",
        help="Whether the contaminant panel (metals, microbes) passed.",
    ),
]


def _batch_fields(
    lot: str,
    mitragynine: float | None,
    seven_oh: float | None,
    tested_on: str | None,
    lab: str | None,
    contaminants: bool | None,
) -> dict[str, object]:
    from bedside.domain.timekeeping import parse_night

    return {
        "lot": lot,
        "mitragynine_pct": mitragynine,
        "seven_oh_pct": seven_oh,
        "tested_on": parse_night(tested_on, "tested_on") if tested_on else None,
        "lab": lab,
        "contaminants_passed": contaminants,
    }


@product_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Product name as sold.")],
    form: Form = ProductForm.LEAF_POWDER,
    strain: Strain = None,
    colour: Colour = None,
    region_label: RegionLabel = None,
    vendor: Vendor = None,
    grams_per_capsule: PerCapsule = None,
    note: Note = None,
    lot: Lot = None,
    mitragynine: Mitragynine = None,
    seven_oh: SevenOh = None,
    tested_on: Tested = None,
    lab: Lab = None,
    contaminants: Contaminants = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a product (and, with --lot, its first lab batch)."""
    from bedside.services import products

    fields = _product_fields(
        name, form, strain, colour, region_label, vendor, grams_per_capsule, note
    )
    lab_results = {
        "--mitragynine": mitragynine,
        "--seven-oh": seven_oh,
        "--tested-on": tested_on,
        "--lab": lab,
        "--contaminants-passed/--contaminants-failed": contaminants,
    }
    given = [option for option, value in lab_results.items() if value is not None]
    if lot is None and given:
        fail(f"--lot: {given[0]} belongs to a lab batch; give the batch's --lot too")
    with scope(ctx) as s:
        product = products.add_product(s, fields)
        if lot is not None:
            batch = _batch_fields(lot, mitragynine, seven_oh, tested_on, lab, contaminants)
            products.add_batch(s, product.id, batch)
            product = products.get_product(s, product.id)
    if as_json:
        print_json(product)
    else:
        typer.echo(f"Product {product.id} added: {product.name}")


@product_app.command("batch")
def batch(
    ctx: typer.Context,
    product_id: Annotated[int, typer.Argument(help="The product's id.")],
    lot: Annotated[str, typer.Option("--lot", help="Lot or batch number.")],
    mitragynine: Mitragynine = None,
    seven_oh: SevenOh = None,
    tested_on: Tested = None,
    lab: Lab = None,
    contaminants: Contaminants = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a lab batch to a product."""
    from bedside.services import products

    with scope(ctx, names=POSITIONAL_ID) as s:
        fields = _batch_fields(lot, mitragynine, seven_oh, tested_on, lab, contaminants)
        result = products.add_batch(s, product_id, fields)
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Batch {result.id} added to product {product_id}.")


@product_app.command("list")
def list_(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List your products and batches."""
    from bedside.services import products

    with scope(ctx) as s:
        items = products.list_products(s)
    if as_json:
        print_json(items)
        return
    rows = []
    for p in items:
        lots = ", ".join(
            _lot_text(b.lot, b.mitragynine_pct, b.contaminants_passed) for b in p.batches
        )
        rows.append((p.id, p.name, p.form.value, p.strain, p.colour, p.vendor, lots or "-"))
    print_table("Products", ["id", "name", "form", "strain", "colour", "vendor", "batches"], rows)


def _lot_text(lot: str, mitragynine: float | None, passed: bool | None) -> str:
    parts = [lot]
    if mitragynine is not None:
        parts.append(f"{mitragynine:g}% mitragynine")
    if passed is not None:
        parts.append("panel passed" if passed else "PANEL FAILED")
    return " ".join(parts)


def _panel(passed: bool | None) -> str:
    """The contaminant panel in words: ``passed``, ``FAILED`` or ``not known``."""
    if passed is None:
        return "not known"
    return "passed" if passed else "FAILED"


@product_app.command("show")
def show(ctx: typer.Context, product_id: int, as_json: JsonFlag = False) -> None:
    """Show one product with its batches."""
    from bedside.services import products

    with scope(ctx, names=POSITIONAL_ID) as s:
        product = products.get_product(s, product_id)
    if as_json:
        print_json(product)
        return
    print_table(
        f"Product {product.id}: {product.name} ({product.form.value})",
        ["batch", "lot", "mitragynine %", "7-OH %", "tested", "contaminants"],
        [
            (
                b.id,
                b.lot,
                b.mitragynine_pct,
                b.seven_oh_pct,
                b.tested_on,
                _panel(b.contaminants_passed),
            )
            for b in product.batches
        ],
    )


@product_app.command("edit")
def edit(
    ctx: typer.Context,
    product_id: int,
    name: Annotated[str | None, typer.Option("--name")] = None,
    form: Annotated[ProductForm | None, typer.Option("--form")] = None,
    strain: Strain = None,
    colour: Colour = None,
    region_label: RegionLabel = None,
    vendor: Vendor = None,
    grams_per_capsule: PerCapsule = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a product (options not given stay as they are)."""
    from bedside.services.products import edit_product

    given = {
        "name": name,
        "form": form,
        "strain": strain,
        "colour": colour,
        "region_label": region_label,
        "vendor": vendor,
        "grams_per_capsule": grams_per_capsule,
        "note": note,
    }
    with scope(ctx, names=POSITIONAL_ID) as s:
        result = edit_product(s, product_id, {k: v for k, v in given.items() if v is not None})
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Product {product_id} updated.")


@product_app.command("delete")
def delete(ctx: typer.Context, product_id: int) -> None:
    """Delete a product and its batches (doses keep their amounts)."""
    from bedside.services import products

    with scope(ctx, names=POSITIONAL_ID) as s:
        products.delete_product(s, product_id)
    typer.echo(f"Product {product_id} deleted.")
