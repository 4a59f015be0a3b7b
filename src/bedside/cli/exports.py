"""``bedside export csv|json|fhir|ics``, ``bedside restore`` and ``bedside delete-all``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import fail, print_json

if TYPE_CHECKING:
    from bedside.services.backup import ExportOut

export_app = typer.Typer(help="Take your data with you: open formats, a backup, reminders.")
#: Errors about the file the person named: the message names the file itself.
FILE_NAMES = {"path": "", "file": ""}
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(export_app, name="export")
    app.command("restore")(restore)
    app.command("delete-all")(delete_all)


def _report(result: ExportOut, as_json: bool, what: str) -> None:
    if as_json:
        print_json(result)
        return
    typer.echo(f"Wrote {what} to {result.path} (readable only by you).")
    for name, count in result.counts.items():
        if count:
            typer.echo(f"  {name}: {count}")


@export_app.command("csv")
def export_csv(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Directory for the CSV files.")],
    as_json: AsJson = False,
) -> None:
    """One CSV per entity plus data-dictionary.csv (file, column, type, unit, meaning)."""
    from bedside.services.backup import export_csv as run

    with scope(ctx, FILE_NAMES) as s:
        result = run(s, directory)
    _report(result, as_json, f"{len(result.files)} CSV files")


@export_app.command("json")
def export_json(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The backup file to write (.json).")],
    as_json: AsJson = False,
) -> None:
    """A complete, versioned backup that `bedside restore` reads back."""
    from bedside.services.backup import export_json as run

    with scope(ctx, FILE_NAMES) as s:
        result = run(s, file)
    _report(result, as_json, "the backup")


@export_app.command("fhir")
def export_fhir(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The FHIR bundle to write (.json).")],
    as_json: AsJson = False,
) -> None:
    """A FHIR R4 Bundle: pain, soreness and sleep Observations, doses as MedicationStatements."""
    from bedside.services.exports import export_fhir as run

    with scope(ctx, FILE_NAMES) as s:
        result = run(s, file)
    _report(result, as_json, "the FHIR R4 bundle")


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The calendar file to write (.ics).")],
    morning: Annotated[
        str | None, typer.Option("--morning", help="Diary reminder time, HH:MM (default 08:00).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Daily intake and morning diary reminders (with alarms), plus a running experiment."""
    from bedside.services.exports import export_ics as run

    with scope(ctx, FILE_NAMES) as s:
        result = run(s, file, morning)
    _report(result, as_json, "the reminders calendar")


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `bedside export json`.")],
    merge: Annotated[
        bool, typer.Option("--merge", help="Add what is missing to the data already here.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Restore a backup into an empty database, or merge it without duplicates."""
    from bedside.services.restore import restore_file

    with scope(ctx, FILE_NAMES) as s:
        result = restore_file(s, file, merge)
    if as_json:
        print_json(result)
        return
    added, skipped = sum(result.added.values()), sum(result.skipped.values())
    verb = "Merged" if merge else "Restored"
    typer.echo(f"{verb} {added} entries from {file}; {skipped} were already here.")
    for name, count in result.added.items():
        if count:
            typer.echo(f"  {name}: {count}")


def delete_all(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Yes, delete everything.")] = False,
    as_json: AsJson = False,
) -> None:
    """Delete every entry, product, import and setting of yours (keeps only your time zone)."""
    from bedside.services.delete_all import CONFIRM_WORD
    from bedside.services.delete_all import delete_all as run

    if not yes:
        fail("this deletes all your data for good; run `bedside delete-all --yes` to go ahead")
    with scope(ctx) as s:
        result = run(s, CONFIRM_WORD)
    if as_json:
        print_json(result)
        return
    typer.echo(f"Deleted {result.total} rows; an empty profile is ready.")
    for name, count in result.deleted.items():
        if count:
            typer.echo(f"  {name}: {count}")
