"""Findings printed for people: one line each, details on request, no table library.

Apart from :mod:`bedside.cli.safety` so that ``bedside dose add`` and ``bedside plan``
print their findings without building the safety commands.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from bedside.services.finding_schema import FindingOut

_DIM: dict[str, Any] = {"dim": True}
SEVERITY_STYLE: dict[str, dict[str, Any]] = {
    "avoid": {"fg": "red", "bold": True},
    "caution": {"fg": "yellow"},
    "monitor": {"fg": "cyan"},
    "info": _DIM,
}


def print_findings(
    findings: Sequence[FindingOut],
    empty: str,
    details: bool = True,
    more: str = "run again with --details",
) -> None:
    """Findings for people: severity and title, one line each.

    ``details``: also the summary, what to do, sources and dates under each finding;
    without it, one closing line says how to see them. Colours only on a terminal (and not
    when ``NO_COLOR`` is set); no table library is loaded for these few lines.
    """
    if not findings:
        typer.echo(empty)
        return
    for finding in findings:
        severity = finding.severity.value
        label = _coloured(severity.upper(), SEVERITY_STYLE.get(severity, {}))
        typer.echo(f"{label}  {finding.title}")
        if not details:
            continue
        typer.echo(f"    {finding.summary}")
        if finding.action:
            typer.echo(f"    What to do: {finding.action}")
        sources = ", ".join(finding.sources)
        typer.echo(_coloured(f"    Sources: {sources} ({finding.dates})", _DIM))
    if not details:
        typer.echo(_coloured(f"Why, what to do and sources: {more}.", _DIM))


def _coloured(text: str, style: Mapping[str, Any]) -> str:
    """``text`` in ``style`` (``typer.echo`` drops the colour when not on a terminal)."""
    if not style or os.environ.get("NO_COLOR"):
        return text
    return typer.style(text, **style)
