"""``bedside dose add/list/edit/delete``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.logging_common import (
    JsonFlag,
    Lister,
    Night,
    Note,
    Remover,
    Time,
    add_delete_command,
    add_list_command,
    drop_none,
)
from bedside.cli.output import date_option, number, print_json, short_time, short_when
from bedside.domain.dosing import DoseReason, DoseUnit

if TYPE_CHECKING:
    from bedside.services.doses_schemas import DoseOut

dose_app = typer.Typer(help="Log and review doses.")


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(dose_app, name="dose")


def _dose_fields(
    time: str | None,
    night: str | None,
    amount: float | None,
    unit: DoseUnit | None,
    grams_per_capsule: float | None,
    product: int | None,
    batch: int | None,
    reason: DoseReason | None,
    pain_before: int | None,
    note: str | None,
) -> dict[str, object]:
    return drop_none(
        {
            "time": time,
            "night": date_option(night, "night"),
            "amount": amount,
            "unit": unit,
            "grams_per_capsule": grams_per_capsule,
            "product_id": product,
            "batch_id": batch,
            "reason": reason,
            "pain_before": pain_before,
            "note": note,
        }
    )


Amount = Annotated[float, typer.Option("--amount", help="How much, in --unit.")]
Unit = Annotated[DoseUnit, typer.Option("--unit", help="g, mg or capsules.")]
PerCapsule = Annotated[float | None, typer.Option("--grams-per-capsule")]
ProductOpt = Annotated[int | None, typer.Option("--product", help="Product id.")]
BatchOpt = Annotated[int | None, typer.Option("--batch", help="Batch id (default: newest).")]
Reason = Annotated[DoseReason | None, typer.Option("--reason")]
PainBefore = Annotated[int | None, typer.Option("--pain-before", help="Pain 0-10 before it.")]


@dose_app.command("add")
def dose_add(
    ctx: typer.Context,
    amount: Amount,
    unit: Unit = DoseUnit.GRAMS,
    time: Time = None,
    night: Night = None,
    grams_per_capsule: PerCapsule = None,
    product: ProductOpt = None,
    batch: BatchOpt = None,
    reason: Reason = None,
    pain_before: PainBefore = None,
    note: Note = None,
    acknowledge: Annotated[
        bool,
        typer.Option(
            "--acknowledge", help="Record that you have read any 'avoid' findings for this dose."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Log a dose, with the pre-dose check's findings (your regular medicines included).

    Nothing is blocked: the dose is saved and the findings are shown with it.
    """
    from bedside.services.dose_checks import log_dose_with_findings

    fields = _dose_fields(
        time, night, amount, unit, grams_per_capsule, product, batch, reason, pain_before, note
    )
    with scope(ctx) as s:
        dose = log_dose_with_findings(s, fields, acknowledged=acknowledge, context="cli")
    findings, acknowledged = dose.findings, dose.acknowledged
    if as_json:
        print_json(dose.model_dump(mode="json"))
        return
    mg = f", {dose.mitragynine_mg:.0f} mg mitragynine" if dose.mitragynine_mg else ""
    typer.echo(
        f"Dose {dose.id} logged: {dose.amount:g} {dose.unit.value} at {short_time(dose.time)}{mg}"
    )
    if findings:
        from bedside.cli.findings import print_findings

        print_findings(findings, "")
        if acknowledged:
            typer.echo("Your acknowledgement of the 'avoid' findings was recorded.")


@dose_app.command("edit")
def dose_edit(
    ctx: typer.Context,
    dose_id: int,
    amount: Annotated[float | None, typer.Option("--amount")] = None,
    unit: Annotated[DoseUnit | None, typer.Option("--unit")] = None,
    time: Time = None,
    night: Night = None,
    grams_per_capsule: PerCapsule = None,
    product: ProductOpt = None,
    batch: BatchOpt = None,
    reason: Reason = None,
    pain_before: PainBefore = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a dose (options not given stay as they are)."""
    from bedside.services.doses import edit_dose

    given = _dose_fields(
        time, night, amount, unit, grams_per_capsule, product, batch, reason, pain_before, note
    )
    with scope(ctx, names={"dose_id": ""}) as s:
        result = edit_dose(s, dose_id, given)
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Dose {dose_id} updated.")


def _list_doses() -> Lister[DoseOut]:
    from bedside.services.doses import list_doses

    return list_doses


def _delete_dose() -> Remover:
    from bedside.services.doses import delete_dose

    return delete_dose


add_list_command(
    dose_app,
    "Doses",
    _list_doses,
    ["id", "night", "taken", "amount", "grams", "mitr.\nmg", "product", "reason"],
    lambda d: (
        d.id,
        d.night,
        short_when(d.time),
        f"{d.amount:g} {d.unit.value}",
        number(d.grams, 2),
        number(d.mitragynine_mg),
        d.product_name,
        d.reason.value if d.reason else None,
    ),
)
add_delete_command(dose_app, "dose", _delete_dose)
