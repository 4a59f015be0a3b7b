"""``bedside report``: the clinician report as text, JSON, HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, print_json, user_errors


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
    from bedside.services.report import build_report, report_text, save_report

    first, last = date_option(start, "from"), date_option(end, "to")
    with scope(ctx) as s:
        result = build_report(s, first, last)
    with user_errors({"path": "--pdf" if pdf is not None else "--html"}):
        for path in save_report(result, pdf, html):
            typer.echo(f"wrote {path}", err=True)
    if as_json:
        print_json(result)
    elif pdf is None and html is None:
        typer.echo(report_text(result))
