"""``bedside db upgrade``: bring the database schema up to date (run it on every deploy)."""

from __future__ import annotations

import typer

from bedside.cli.context import application

db_app = typer.Typer(help="The database schema.")


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create or migrate the schema to the newest revision (a no-op when up to date)."""
    with application(ctx) as app:
        revision = app.database.current_revision()
        shown = app.settings.display_url
    typer.echo(f"{shown} is at schema revision {revision}")
