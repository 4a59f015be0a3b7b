"""The ``bedside`` command: global options and the command groups."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside import __version__
from bedside.cli import (
    analysis,
    diary,
    doses,
    logs,
    plan,
    products,
    profile,
    safety,
    serve,
    wearables,
)
from bedside.cli.context import CliState

app = typer.Typer(
    name="bedside",
    help="Plan the evening, log in seconds, stay safe, and learn honestly whether it helps you.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bedside {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or database URL to use (default: BEDSIDE_DATABASE_URL, "
            "else bedside.db in your data directory).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Bedside: a private companion for evening kratom use, pain, soreness and sleep."""
    ctx.obj = CliState(db=db)


profile.register(app)
products.register(app)
doses.register(app)
logs.register(app)
diary.register(app)
plan.register(app)
wearables.register(app)
safety.register(app)
serve.register(app)
analysis.register(app)


def run() -> None:
    """Console-script entry point."""
    app()
