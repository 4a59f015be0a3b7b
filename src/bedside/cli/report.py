"""``bedside report``: the clinician report as text, JSON, HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, fail, print_json


def register(app: typer.Typer) -> None:
    """Add the command to the root app."""
    app.command("report")(report)


def report(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", help="First night, YYYY-MM-DD (default: 8 weeks ago).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last night, YYYY-MM-DD (default: tonight).")
    ] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the report as PDF.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the report as HTML.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """The report to bring to a clinician: sleep, kratom use, pain, safety, signals."""
    from bedside.services.report import build_report, report_html, report_pdf, report_text

    first, last = date_option(start, "from"), date_option(end, "to")
    with scope(ctx) as s:
        result = build_report(s, first, last)
    if pdf is not None:
        _write(pdf, report_pdf(result), "--pdf")
    if html is not None:
        _write(html, report_html(result).encode(), "--html")
    if as_json:
        print_json(result)
    elif pdf is None and html is None:
        typer.echo(report_text(result))


def _write(path: Path, content: bytes, option: str) -> None:
    """Write a file, or exit with a one-line reason."""
    try:
        path.expanduser().write_bytes(content)
    except OSError as exc:
        fail(f"{option}: {path} could not be written ({exc.strerror or type(exc).__name__})")
    typer.echo(f"wrote {path}", err=True)
