"""Chart series for the Insights, Experiments and History pages: SVG safe under a strict CSP.

The drawing is :mod:`bedside.reports.charts`. matplotlib writes ``style="..."`` attributes
and a ``<style>`` element, which the page's Content-Security-Policy (``style-src 'self'``)
would block; :func:`inline` turns them into SVG presentation attributes (which CSP allows)
and drops the fixed size so a chart scales to the width it is given.

Every chart is a :class:`ChartOut`: a phone and a wide rendering (the stylesheet shows one
of them, so text stays at least 12 CSS px on a 375 px phone and on a desktop), a caption,
and a text alternative: a summary sentence and, where it helps, a small table. Night frames
stay here: the web pages only ever receive these typed results.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

import pandas as pd

from bedside.analysis.nights import NightColumns
from bedside.analysis.periods import PeriodSummary
from bedside.reports.charts import (
    NOT_TOOK,
    TOOK,
    UNKNOWN,
    ChartSize,
    SleepWindow,
    dose_scatter_svg,
    period_means_svg,
    sleep_window_svg,
    timeline_svg,
)
from bedside.services.charts_schemas import ChartOut
from bedside.services.history import NightOut

STYLE_ATTR: Final = re.compile(r'\sstyle="([^"]*)"')
STYLE_ELEMENT: Final = re.compile(r"<style[^>]*>.*?</style>", re.S)
METADATA: Final = re.compile(r"<metadata>.*?</metadata>", re.S)
ROOT_SIZE: Final = re.compile(r'^(<svg[^>]*?)\s(?:width|height)="[^"]*"')
ID_ATTR: Final = re.compile(r'\sid="([^"]+)"')
SIZES: Final[tuple[ChartSize, ...]] = ("phone", "wide")


def inline(svg: str, prefix: str = "") -> str:
    """An SVG safe to inline under ``style-src 'self'``: styles become attributes.

    ``prefix`` is put in front of every ``id`` (and the references to it), so the two
    renderings of a chart and the charts of one page never share an id.
    """
    svg = METADATA.sub("", STYLE_ELEMENT.sub("", svg))
    for _ in range(2):
        svg = ROOT_SIZE.sub(r"\1", svg, count=1)
    if prefix:
        for name in dict.fromkeys(ID_ATTR.findall(svg)):
            svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
            svg = svg.replace(f"#{name})", f"#{prefix}{name})")
            svg = svg.replace(f'#{name}"', f'#{prefix}{name}"')
            svg = re.sub(
                rf'(aria-labelledby="[^"]*)\b{re.escape(name)}\b', rf"\1{prefix}{name}", svg
            )
    svg = svg.replace("<svg ", '<svg class="chart-svg" ', 1)
    return STYLE_ATTR.sub(_attributes, svg)


def _view(
    key: str,
    title: str,
    draw: Callable[[ChartSize], str],
    summary: str,
    headers: tuple[str, ...] = (),
    rows: Sequence[tuple[str, ...]] = (),
) -> ChartOut:
    """Both renderings of one chart, ids prefixed with ``key`` and the size."""
    drawn = {size: inline(draw(size), f"{key}{size[0]}-") for size in SIZES}
    return ChartOut(
        title=title, phone=drawn["phone"], wide=drawn["wide"], summary=summary,
        headers=headers, rows=list(rows),
    )  # fmt: skip


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


def insights_charts(frame: pd.DataFrame, outcome: str, outcome_label: str) -> list[ChartOut]:
    """Night timeline marked by took / not / unknown, then dose and timing scatters."""
    if frame.empty or outcome not in frame:
        return []
    nights = _nights(frame)
    values = [_value(v) for v in frame[outcome]]
    took = frame[NightColumns.TOOK] if NightColumns.TOOK in frame else [None] * len(frame)
    conditions = [
        UNKNOWN if _value(t) is None else TOOK if _value(t) == 1 else NOT_TOOK for t in took
    ]
    title = f"{outcome_label.capitalize()} night by night"
    headers, rows = _by_category(values, conditions)
    charts = [
        _view(
            "ins0",
            title,
            lambda size: timeline_svg(
                nights, values, conditions, outcome_label=outcome_label, title=title, size=size
            ),
            _timeline_summary(outcome_label, nights, values),
            headers,
            rows,
        )
    ]
    for k, (column, scale, x_label) in enumerate(
        (
            (NightColumns.DOSE_G, 1.0, "dose (g)"),
            (NightColumns.MINUTES_DOSE_TO_BED, 1 / 60, "hours from dose to bed"),
        ),
        start=1,
    ):
        if column not in frame:
            continue
        pairs = [
            (float(x) * scale, y)
            for x, y, t in zip(frame[column], values, took, strict=True)
            if _value(x) is not None and y is not None and _value(t) == 1
        ]
        if len(pairs) >= 2:
            charts.append(_scatter(f"ins{k}", pairs, x_label, outcome_label))
    return charts


def _scatter(key: str, pairs: Sequence[tuple[float, float]], x_label: str, label: str) -> ChartOut:
    title = f"{label.capitalize()} and {x_label}, dosed nights"
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    summary = (
        f"{len(pairs)} nights with kratom: {x_label} from {min(xs):.1f} to {max(xs):.1f}, "
        f"{label} from {min(ys):g} to {max(ys):g}. Each point is one night; no line is fitted."
    )
    return _view(
        key,
        title,
        lambda size: dose_scatter_svg(
            xs, ys, x_label=x_label, y_label=label, title=title, size=size
        ),
        summary,
    )


def _timeline_summary(label: str, nights: Sequence[date], values: Sequence[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not nights:
        return f"No nights with {label} logged."
    return (
        f"{label.capitalize()} on {len(known)} logged nights from {min(nights):%d %b %Y} to "
        f"{max(nights):%d %b %Y}, marked by whether kratom was logged."
    )


def _by_category(
    values: Sequence[float | None], conditions: Sequence[str | None]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A small table: per category shown, its nights and the middle and range of values."""
    rows: list[tuple[str, ...]] = []
    for condition in dict.fromkeys(c for c in conditions if c is not None):
        known = sorted(
            v for v, c in zip(values, conditions, strict=True) if c == condition and v is not None
        )
        if known:
            middle = float(pd.Series(known).median())
            spread = f"{known[0]:g} to {known[-1]:g}"
            rows.append((condition, str(len(known)), f"{middle:g}", spread))
    return ("Nights", "Count", "Median", "Range"), rows


def experiment_charts(
    frame: pd.DataFrame,
    schedule: Sequence[Mapping[str, Any]],
    periods: Sequence[Mapping[str, Any]],
    outcome: str,
    outcome_label: str,
) -> list[ChartOut]:
    """Night timeline marked by assigned condition (washout hollow), then period means."""
    values = frame[outcome] if outcome in frame else pd.Series(dtype=float)
    assigned = [n for n in schedule if n.get("condition") and not n.get("run_in")]
    charts: list[ChartOut] = []
    if assigned:
        nights = [date.fromisoformat(str(n["night"])) for n in assigned]
        ys = [_value(values.get(pd.Timestamp(n))) for n in nights]
        conditions: list[str | None] = [str(n["condition"]) for n in assigned]
        washout = [bool(n.get("washout")) for n in assigned]
        title = f"{outcome_label.capitalize()} on each experiment night"
        headers, rows = _by_category(ys, conditions)
        charts.append(
            _view(
                "exp0",
                title,
                lambda size: timeline_svg(
                    nights,
                    ys,
                    conditions,
                    outcome_label=outcome_label,
                    title=title,
                    washout=washout,
                    size=size,
                ),
                _timeline_summary(outcome_label, nights, ys).replace(
                    "whether kratom was logged", "assigned condition (washout nights hollow)"
                ),
                headers,
                rows,
            )
        )
    summaries = [_period(p) for p in periods if p.get("mean") is not None]
    if summaries:
        title = f"{outcome_label.capitalize()}: mean of each period (95% interval)"
        rows = [
            (str(k + 1), p.condition, str(p.n_nights), f"{p.mean:.2f}", _interval(p))
            for k, p in enumerate(summaries)
        ]
        charts.append(
            _view(
                "exp1",
                title,
                lambda size: period_means_svg(
                    summaries, outcome_label=outcome_label, title=title, size=size
                ),
                f"Mean {outcome_label} of each of the {len(summaries)} periods, in time order, "
                "with its 95% interval.",
                ("Period", "Condition", "Nights", "Mean", "95% interval"),
                rows,
            )
        )
    return charts


def _interval(p: PeriodSummary) -> str:
    low, high = p.interval()
    if math.isnan(low) or math.isnan(high):
        return "unknown"
    return f"{low:.2f} to {high:.2f}"


def history_chart(nights: Sequence[NightOut]) -> ChartOut | None:
    """The sleep-window chart of History: in bed to final awakening, doses marked."""
    windows = [
        SleepWindow(
            night=n.night,
            bedtime=datetime.fromisoformat(n.diary.bedtime) if n.diary else None,
            final_wake=datetime.fromisoformat(n.diary.final_wake) if n.diary else None,
            doses=tuple(datetime.fromisoformat(d.time) for d in n.doses),
        )
        for n in nights
    ]
    if not any(w.bedtime or w.doses for w in windows):
        return None
    title = "Time in bed and doses, night by night"
    rows = [
        (
            f"{w.night:%a %d %b}",
            f"{w.bedtime:%H:%M}" if w.bedtime else "no diary",
            f"{w.final_wake:%H:%M}" if w.final_wake else "no diary",
            ", ".join(f"{t:%H:%M}" for t in w.doses) or "none logged",
        )
        for w in sorted(windows, key=lambda w: w.night, reverse=True)
        if w.bedtime or w.doses
    ]
    dosed = sum(1 for w in windows if w.doses)
    with_diary = sum(1 for w in windows if w.bedtime)
    summary = (
        f"{len(windows)} nights: {with_diary} with a bar from bedtime to final awakening "
        f"(from the diary) and {dosed} with doses marked at the time taken."
    )
    return _view(
        "hist",
        title,
        lambda size: sleep_window_svg(windows, title=title, size=size),
        summary,
        ("Night", "In bed", "Final awakening", "Doses"),
        rows,
    )


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
