"""``bedside study ...``: a researcher's consented study and its de-identified export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bedside.cli.accounts import JsonFlag, accounts
from bedside.cli.output import print_json, print_table

study_app = typer.Typer(help="Consented, de-identified studies (server mode).")


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(study_app, name="study")


@study_app.command("create")
def study_create(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", help="The study's title.")],
    owner: Annotated[str, typer.Option("--owner", help="The researcher's account e-mail.")],
    consent: Annotated[
        str | None, typer.Option("--consent", help="The plain consent text participants read.")
    ] = None,
    collects: Annotated[
        str,
        typer.Option("--collects", help="Comma-separated: diary,doses,pain,soreness,wearables."),
    ] = "diary,doses,pain,soreness,wearables",
    start: Annotated[str | None, typer.Option("--start", help="First night (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last night (YYYY-MM-DD).")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Create a study and print its enrolment code."""
    from bedside.services.studies import create_study_from

    with accounts(ctx) as session:
        study = create_study_from(session, owner, title, consent, collects, start, end, _now())
    if json_out:
        print_json(study)
    else:
        typer.echo(f"Study {study.id} created; enrolment code {study.enrolment_code}")


@study_app.command("list")
def study_list(
    ctx: typer.Context,
    owner: Annotated[str, typer.Option("--owner", help="The researcher's account e-mail.")],
    json_out: JsonFlag = False,
) -> None:
    """A researcher's studies with their codes."""
    from bedside.services.studies import studies_of_email

    with accounts(ctx) as session:
        studies = studies_of_email(session, owner)
    if json_out:
        print_json(studies)
        return
    rows = [(s.id, s.title, s.enrolment_code, s.starts_on, s.ends_on) for s in studies]
    print_table("Studies", ["id", "title", "code", "from", "to"], rows)


@study_app.command("export")
def study_export(
    ctx: typer.Context,
    study_id: Annotated[int, typer.Argument(help="The study's id.", min=1)],
    directory: Annotated[Path, typer.Argument(help="Folder to write the CSV files into.")],
    json_out: JsonFlag = False,
) -> None:
    """Write the de-identified CSV files and data dictionary of a study."""
    from bedside.services.study_export import export_study

    with accounts(ctx) as session:
        written = export_study(session, study_id, directory, _now())
    if json_out:
        print_json(written)
    else:
        typer.echo(
            f"Wrote {len(written.files)} files for {written.participants} participants "
            f"to {written.path}"
        )


def _now() -> datetime:
    from bedside.services.scope import utc_now

    return utc_now()


__all__ = ["study_app"]
