"""``bedside plan tonight``: intake time, wind-down steps, bedtime regularity."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, print_json

plan_app = typer.Typer(help="Plan the evening.")


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(plan_app, name="plan")


@plan_app.command("tonight")
def tonight(
    ctx: typer.Context,
    night: Annotated[
        str | None, typer.Option("--date", help="Plan another night, YYYY-MM-DD.")
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="Show each finding's summary, what to do and sources.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Tonight's intake time, wind-down routine and how regular your bedtimes have been."""
    from bedside.services.planning import plan_tonight

    when = date_option(night, "date")
    with scope(ctx) as s:
        plan = plan_tonight(s, when)
    if as_json:
        print_json(plan)
        return
    typer.echo(f"Night of {plan.night} ({plan.timezone})")
    typer.echo(f"  Intake time   {plan.intake_time[11:16]}  ({plan.lead_min} min before bedtime)")
    typer.echo(f"  Bedtime       {plan.bedtime[11:16]}")
    typer.echo("  Wind-down:")
    for step in plan.wind_down:
        typer.echo(f"    {step.time[11:16]}  {step.text}")
    if plan.bedtime_sd_min is None:
        typer.echo(
            f"  Bedtime regularity: not enough nights yet ({plan.nights_for_sd} of the 3 needed "
            "in the last 14)."
        )
    else:
        typer.echo(
            f"  Bedtime regularity: your bedtimes varied by ±{plan.bedtime_sd_min:.0f} min "
            f"(standard deviation over {plan.nights_for_sd} nights)."
        )
    if plan.experiment is not None:
        typer.echo(f"  Self-experiment: {plan.experiment.instruction}")
    if plan.findings:
        from bedside.cli.findings import print_findings

        typer.echo("Before tonight's dose:")
        print_findings(plan.findings, "", details)
