"""``bedside import SOURCE FILE``, ``bedside sleep list`` and ``bedside sleep priority``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, number, print_json, print_table, short_time

if TYPE_CHECKING:
    from bedside.services.sleep_priority import SleepPriorityOut

sleep_app = typer.Typer(help="Sleep from the diary and from wearables, side by side.")
priority_app = typer.Typer(invoke_without_command=True)
sleep_app.add_typer(priority_app, name="priority")

SOURCES_HELP = (
    "apple-health, fitbit, oura, garmin, withings, sleep-as-android, plees, sleepmeter, csv, "
    "or auto to detect it"
)


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.command("import")(import_)
    app.add_typer(sleep_app, name="sleep")


def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=SOURCES_HELP)],
    file: Annotated[Path, typer.Argument(help="The export file (zip, xml, json or csv).")],
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            help="IANA zone you were in (e.g. Europe/London), for files that write local times "
            "without a UTC offset (Fitbit, CSV); default: your profile's time zone.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a wearable or app export (safe to repeat: only new records are added)."""
    from bedside.services.import_start import head_start

    chosen = None if source == "auto" else source
    names = {"source": "SOURCE", "zone": "--timezone"}
    # A large export starts parsing at once, while the import service loads and the
    # database starts up.
    with head_start(chosen, file) as early:
        from bedside.services.imports import import_file

        with ImportProgressBar(file, quiet=as_json) as on_progress, scope(ctx, names) as s:
            summary = import_file(s, chosen, file, on_progress, zone=timezone, early=early)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    added = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in summary.added.items() if n)
    dupes = sum(summary.duplicates.values())
    ignored = ", ".join(
        f"{n:,} {k}" for k, n in sorted(summary.ignored.items(), key=lambda x: -x[1])
    )
    typer.echo(f"Imported {file.name} ({summary.source}) in {summary.seconds:.1f} s")
    typer.echo(f"  added:     {added or 'nothing new'}")
    typer.echo(f"  skipped:   {dupes:,} already imported")
    typer.echo(f"  ignored:   {ignored or 'nothing'}")
    typer.echo(f"  nights updated: {summary.nights_updated}")
    for note in summary.notes:
        typer.echo(f"  note: {note}")


class ImportProgressBar:
    """A Rich progress bar over the file's bytes, with records, elapsed and remaining time.

    Drawn on stderr and only when stderr is a terminal, so piped or captured output (and
    ``--json``) stays exactly the summary.
    """

    def __init__(self, file: Path, quiet: bool) -> None:
        self.file = file
        self.quiet = quiet or not file.is_file()
        self.bar: object = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if self.quiet:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        if not console.is_terminal:
            return None
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[records]:,} records"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        progress.start()
        task = progress.add_task(self.file.name, total=self.file.stat().st_size, records=0)
        self.bar = progress

        def update(done: int, records: int) -> None:
            progress.update(task, completed=done, records=records)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]


@sleep_app.command("list")
def list_(
    ctx: typer.Context,
    from_: Annotated[str | None, typer.Option("--from", help="First night, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last night, YYYY-MM-DD.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="diary or wearable (default: both).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Nights with diary and wearable sleep side by side, each labelled with its source."""
    from bedside.services.sleep import list_sleep

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        rows = list_sleep(s, start, end, source)
    if as_json:
        print_json(rows)
        return
    print_table(
        "Sleep (minutes)",
        [
            "night",
            "source",
            "bed",
            "asleep",
            "in\nbed",
            "deep",
            "core",
            "REM",
            "awake",
            "wakes",
            "HR",
        ],
        [
            (
                r.night,
                _source(r.source, r.devices),
                short_time(r.sleep_start)[11:] if r.sleep_start else "",
                number(r.asleep_min),
                number(r.in_bed_min),
                number(r.deep_min),
                number(r.core_min),
                number(r.rem_min),
                number(r.awake_min),
                r.awakenings,
                number(r.hr_mean),
            )
            for r in rows
        ],
    )


def _source(source: str, devices: list[str]) -> str:
    """The device a wearable night came from (``diary`` for the sleep diary)."""
    if source == "diary" or not devices:
        return str(source)
    return ", ".join(devices)


#: Service fields as the priority commands spell them.
PRIORITY_NAMES = {"order": "CLASS"}
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@priority_app.callback()
def priority(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Which device wins when several recorded the same minutes: show the order, best first.

    Change it with `bedside sleep priority set CLASS [CLASS ...]`; go back to the default with
    `bedside sleep priority reset`. Stage detail still beats the order: a Watch that recorded
    stages wins over an iPhone that did not, whatever the order.
    """
    if ctx.invoked_subcommand is not None:
        return
    from bedside.services.sleep_priority import get_priority

    with scope(ctx, PRIORITY_NAMES) as s:
        shown = get_priority(s)
    _show_priority(shown, as_json)


@priority_app.command("set")
def priority_set(
    ctx: typer.Context,
    classes: Annotated[
        list[str],
        typer.Argument(
            help="Device classes, best first (apple_watch, oura, garmin, fitbit, withings, "
            "phone_app, iphone, other); the ones left out follow in the default order.",
            metavar="CLASS",
            show_default=False,
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Store a new order and rebuild every wearable night with it."""
    from bedside.services.sleep_priority import set_priority_as_written

    with scope(ctx, PRIORITY_NAMES) as s:
        changed = set_priority_as_written(s, classes)
    _show_priority(changed, as_json)


@priority_app.command("reset")
def priority_reset(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Return to the default order and rebuild every wearable night."""
    from bedside.services.sleep_priority import reset_priority

    with scope(ctx, PRIORITY_NAMES) as s:
        changed = reset_priority(s)
    _show_priority(changed, as_json)


def _show_priority(shown: SleepPriorityOut, as_json: bool) -> None:
    if as_json:
        print_json(shown)
        return
    labels = {c.name: c.label for c in shown.classes}
    title = "Sleep source priority" + (" (default)" if shown.is_default else "")
    print_table(
        title,
        ["rank", "class", "covers"],
        [(rank, name, labels[name]) for rank, name in enumerate(shown.order, 1)],
    )
    if shown.nights_rebuilt is not None:
        typer.echo(f"Saved; nights rebuilt with this order: {shown.nights_rebuilt}")
