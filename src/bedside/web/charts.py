"""Charts for the Insights and Experiments pages: server-drawn SVG, inlined under a strict CSP.

The drawing is :mod:`bedside.reports.charts`. matplotlib writes ``style="..."`` attributes
and a ``<style>`` element, which the page's Content-Security-Policy (``style-src 'self'``)
would block; :func:`inline` turns them into SVG presentation attributes (which CSP allows)
and drops the fixed size so a chart scales to the width of a phone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

import pandas as pd
from markupsafe import Markup

from bedside.analysis.nights import NightColumns
from bedside.analysis.periods import PeriodSummary
from bedside.reports.charts import dose_scatter_svg, period_means_svg, timeline_svg

STYLE_ATTR: Final = re.compile(r'\sstyle="([^"]*)"')
STYLE_ELEMENT: Final = re.compile(r"<style[^>]*>.*?</style>", re.S)
METADATA: Final = re.compile(r"<metadata>.*?</metadata>", re.S)
ROOT_SIZE: Final = re.compile(r'^(<svg[^>]*?)\s(?:width|height)="[^"]*"')
TOOK, NOT_TOOK, UNKNOWN = "took kratom", "no kratom", "nothing logged"


def inline(svg: str) -> Markup:
    """An SVG safe to inline under ``style-src 'self'``: styles become attributes."""
    svg = METADATA.sub("", STYLE_ELEMENT.sub("", svg))
    for _ in range(2):
        svg = ROOT_SIZE.sub(r"\1", svg, count=1)
    svg = svg.replace("<svg ", '<svg class="chart-svg" ', 1)
    return Markup(STYLE_ATTR.sub(_attributes, svg))  # noqa: S704 - our own drawing, escaped text


def _attributes(match: re.Match[str]) -> str:
    parts: list[str] = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value:
            parts.append(f' {name}="{value}"')
    return "".join(parts)


def _value(raw: Any) -> float | None:
    if raw is None:
        return None
    number = float(raw)
    return None if math.isnan(number) else number


def _nights(frame: pd.DataFrame) -> list[date]:
    if NightColumns.NIGHT in frame.columns:
        index = frame[NightColumns.NIGHT]
    else:
        index = frame.index.to_series()
    return [pd.Timestamp(n).date() for n in index]


def insights_charts(frame: pd.DataFrame, outcome: str, outcome_label: str) -> list[Markup]:
    """Night timeline marked by took / not / unknown, then dose and timing scatters."""
    if frame.empty or outcome not in frame:
        return []
    nights = _nights(frame)
    values = [_value(v) for v in frame[outcome]]
    took = frame[NightColumns.TOOK] if NightColumns.TOOK in frame else [None] * len(frame)
    conditions = [
        UNKNOWN if _value(t) is None else TOOK if _value(t) == 1 else NOT_TOOK for t in took
    ]
    charts = [
        inline(
            timeline_svg(
                nights, values, conditions,
                outcome_label=outcome_label,
                title=f"{outcome_label.capitalize()} night by night",
            )
        )
    ]  # fmt: skip
    for column, scale, x_label in (
        (NightColumns.DOSE_G, 1.0, "dose (g)"),
        (NightColumns.MINUTES_DOSE_TO_BED, 1 / 60, "hours from dose to bed"),
    ):
        if column not in frame:
            continue
        pairs = [
            (float(x) * scale, y)
            for x, y, t in zip(frame[column], values, took, strict=True)
            if _value(x) is not None and y is not None and _value(t) == 1
        ]
        if len(pairs) >= 2:
            charts.append(
                inline(
                    dose_scatter_svg(
                        [p[0] for p in pairs], [p[1] for p in pairs],
                        x_label=x_label, y_label=outcome_label,
                        title=f"{outcome_label.capitalize()} and {x_label}, dosed nights",
                    )
                )
            )  # fmt: skip
    return charts


def experiment_charts(
    frame: pd.DataFrame,
    schedule: Sequence[Mapping[str, Any]],
    periods: Sequence[Mapping[str, Any]],
    outcome: str,
    outcome_label: str,
) -> list[Markup]:
    """Night timeline marked by assigned condition (washout hollow), then period means."""
    values = frame[outcome] if outcome in frame else pd.Series(dtype=float)
    assigned = [n for n in schedule if n.get("condition") and not n.get("run_in")]
    charts: list[Markup] = []
    if assigned:
        nights = [date.fromisoformat(str(n["night"])) for n in assigned]
        charts.append(
            inline(
                timeline_svg(
                    nights,
                    [_value(values.get(pd.Timestamp(n))) for n in nights],
                    [str(n["condition"]) for n in assigned],
                    outcome_label=outcome_label,
                    title=f"{outcome_label.capitalize()} on each experiment night",
                    washout=[bool(n.get("washout")) for n in assigned],
                )
            )
        )
    summaries = [_period(p) for p in periods if p.get("mean") is not None]
    if summaries:
        charts.append(
            inline(
                period_means_svg(
                    summaries,
                    outcome_label=outcome_label,
                    title=f"{outcome_label.capitalize()}: mean of each period (95% interval)",
                )
            )
        )
    return charts


def _period(p: Mapping[str, Any]) -> PeriodSummary:
    sd = _value(p.get("sd"))
    return PeriodSummary(
        block=p.get("block"),
        period=p.get("period"),
        condition=str(p["condition"]),
        n_nights=int(p.get("n_nights") or 0),
        mean=float(p["mean"]),
        sd=math.nan if sd is None else sd,
        first_day=p.get("first_day"),
        last_day=p.get("last_day"),
        counts=bool(p.get("counts", True)),
    )
