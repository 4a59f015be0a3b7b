"""``bedside backup list/create/restore``: copies of the embedded SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bedside.cli.context import settings_of
from bedside.cli.output import print_json, print_table, user_errors

backup_app = typer.Typer(
    help="Copies of your database (one a day is made automatically; 7 daily and 4 weekly "
    "are kept in the backups folder of your data directory)."
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(backup_app, name="backup")


@backup_app.command("list")
def list_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the copies of this database, newest first."""
    from bedside.services.backups import list_backups

    with user_errors():
        found = list_backups(settings_of(ctx))
    if as_json:
        print_json(found)
        return
    rows = [
        (b.id, b.kind, b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M"), _size(b.size_bytes))
        for b in found
    ]
    print_table("Backups", ["id", "kind", "taken", "size"], rows)


@backup_app.command("create")
def create_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Copy the database now (SQLite's online backup: safe while Bedside is running)."""
    from bedside.services.backups import create_backup

    with user_errors():
        made = create_backup(settings_of(ctx), datetime.now(UTC))
    if as_json:
        print_json(made)
        return
    typer.echo(f"Backup {made.id} saved ({_size(made.size_bytes)}): {made.path}")


@backup_app.command("restore")
def restore_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID|FILE", help="A backup id or a file.")],
    as_json: JsonFlag = False,
) -> None:
    """Put a backup back in place; it is checked first and the current file is kept aside."""
    from bedside.services.backups import restore_backup

    with user_errors():
        done = restore_backup(settings_of(ctx), ref, datetime.now(UTC))
    if as_json:
        print_json(done)
        return
    kept = f"; the replaced file was kept as backup {done.kept_aside.id}" if done.kept_aside else ""
    typer.echo(f"Restored {done.restored_from}{kept}")


def _size(size_bytes: int) -> str:
    """``123456`` → ``120.6 KiB``."""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    if size_bytes < 1024**2:
        return f"{size_bytes / 1024:.1f} KiB"
    return f"{size_bytes / 1024**2:.1f} MiB"
