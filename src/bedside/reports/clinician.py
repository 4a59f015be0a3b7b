"""Render the clinician report: one Jinja2 print template to HTML, and to PDF with WeasyPrint.

The document is self-contained (print CSS inline, charts as ``data:`` images), and the PDF
is drawn without any network access: the URL fetcher refuses everything but ``data:``.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bedside.reports.finding_text import brief_summary, caveats
from bedside.reports.model import ClinicianReport, Spread
from bedside.reports.report_charts import report_charts

TEMPLATES_DIR = Path(__file__).parent / "templates"
MINUS = "\N{MINUS SIGN}"
EN_DASH = "\N{EN DASH}"


def number(value: float | None, digits: int = 0) -> str:
    """A number for people: rounded, trailing zeros dropped; ``unknown`` when missing."""
    if value is None:
        return "unknown"
    text = f"{value:.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace("-", MINUS)


def spread_text(value: Spread, digits: int = 0, unit: str = "") -> str:
    """``median 412 (range 355–470) min, 40 nights`` style text, or ``not logged``."""
    if value.n == 0 or value.median is None:
        return "not logged"
    suffix = f" {unit}" if unit else ""
    median = number(value.median, digits)
    if value.n == 1:
        return f"{median}{suffix} (1 entry)"
    span = f"{number(value.low, digits)}{EN_DASH}{number(value.high, digits)}"
    return f"{median}{suffix} (range {span}; n = {value.n})"


def hours_minutes(minutes: float | None) -> str:
    """Minutes as ``6 h 55 min``."""
    if minutes is None:
        return "unknown"
    total = round(minutes)
    sign = MINUS if total < 0 else ""
    hours, rest = divmod(abs(total), 60)
    return f"{sign}{hours} h {rest:02d} min" if hours else f"{sign}{rest} min"


def label(value: str) -> str:
    """``upper_back`` → ``Upper back``."""
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def capitalize_first(text: str) -> str:
    """``as of 2024 · checked …`` → ``As of 2024 · checked …`` (the rest untouched)."""
    return text[:1].upper() + text[1:]


def svg_image(svg: str, alt: str) -> Markup:
    """An ``<img>`` with the SVG as a ``data:`` URI (works in print and under a strict CSP)."""
    encoded = base64.b64encode(svg.encode()).decode()
    return Markup('<img class="report-chart" alt="{}" src="data:image/svg+xml;base64,{}">').format(
        alt, encoded
    )


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=number,
        spread=spread_text,
        hm=hours_minutes,
        label=label,
        brief=brief_summary,
        caveats=caveats,
        capitalize_first=capitalize_first,
    )
    return env


def _context(report: ClinicianReport, drawn: Sequence[tuple[str, str]] | None) -> dict[str, Any]:
    pairs = report_charts(report.nights) if drawn is None else drawn
    charts = [(title, svg_image(svg, title)) for title, svg in pairs]
    figures = {(f.source, f.key): f for f in report.sleep.figures}
    return {"r": report, "charts": charts, "figures": figures}


def render_body(report: ClinicianReport, charts: Sequence[tuple[str, str]] | None = None) -> Markup:
    """The report's sections (no page shell), for the web page to place in its layout.

    ``charts``: the (title, SVG) pairs of :func:`report_charts` when already drawn.
    """
    html = _environment().get_template("_report_body.html").render(_context(report, charts))
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def render_html(report: ClinicianReport) -> str:
    """The whole printable document: A4 print CSS and the sections."""
    return _environment().get_template("clinician.html").render(_context(report, None))


def _local_only(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """WeasyPrint's URL fetcher, limited to ``data:`` URLs: the PDF never reaches out.

    For WeasyPrint releases before the :class:`weasyprint.urls.URLFetcher` class (up to 66).
    """
    from weasyprint import default_url_fetcher

    if not url.startswith("data:"):
        raise ValueError("the report loads nothing from outside the document")
    result: dict[str, Any] = default_url_fetcher(url, timeout, ssl_context)
    return result


def offline_fetcher() -> Any:
    """A URL fetcher that loads ``data:`` URLs only, for the installed WeasyPrint.

    Newer releases (67 and later) take an instance of their ``URLFetcher`` class, which can
    be limited to the ``data`` protocol; older ones take a function.
    """
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _local_only
    return URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def render_pdf(report: ClinicianReport) -> bytes:
    """The report as an A4 PDF."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(report), url_fetcher=offline_fetcher()).write_pdf()
    return pdf
