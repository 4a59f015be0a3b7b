"""Server-side SVG charts for the insights, experiment and clinician pages.

Each function returns the text of one ``<svg>`` element, ready to inline in HTML: no XML
prolog, ``role="img"``, and a ``<title>`` and ``<desc>`` referenced by
``aria-labelledby`` so screen readers announce what the chart shows. Conditions differ
by marker shape as well as colour (Okabe-Ito palette, safe for colour blindness).
Output is deterministic (fixed hash salt, no date metadata) so pages can be cached and
compared.

matplotlib is imported inside the functions (it is slow to import and not needed by
the CLI's other commands) and the Agg backend is selected there, never at import time.

Speed (a page draws up to three charts over years of nights): matplotlib is set up once per
process (:func:`_matplotlib`: backend, the SVG options, fonts from matplotlib's own cache,
so nothing is re-read per request); figures use the object-oriented :class:`Figure`, never
pyplot's global registry; the margins are computed from text sizes (:func:`_fit`) instead
of ``layout="tight"``, which lays the whole figure out a second time; a series of markers
is one :class:`~matplotlib.lines.Line2D` (one ``<use>`` per point in one group, where a
scatter writes a group and a style per point), drawn smaller beyond
:data:`MANY_POINTS`; and identical points of the dose scatter are drawn once with the
opacity of the stack they replace.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

    from bedside.analysis.periods import PeriodSummary

PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
MARKERS: Final = ("o", "s", "^", "D", "v", "P")
#: Options every chart is written with: text stays text, ids are deterministic.
SVG_RC: Final[dict[Any, Any]] = {"svg.fonttype": "none", "svg.hashsalt": "bedside"}
#: Marker area (points squared, as ``scatter(s=...)``) and edge width of timeline points,
#: and the smaller ones used once a series has more than ``MANY_POINTS`` points.
MARKER_AREA: Final = 28.0
MANY_POINTS: Final = 200
MANY_MARKER_AREA: Final = 12.0
MARKER_EDGE: Final = 1.5
MANY_MARKER_EDGE: Final = 1.0
#: Dose scatter: marker area and opacity of one point.
SCATTER_AREA: Final = 22.0
SCATTER_ALPHA: Final = 0.7
#: Space between the drawing and the figure's edge (``tight_layout``'s default: 1.08 em).
EDGE_PAD_PT: Final = 1.08 * 10.0


def timeline_svg(
    nights: Sequence[date],
    values: Sequence[float | None],
    conditions: Sequence[str | None],
    *,
    outcome_label: str,
    title: str,
    washout: Sequence[bool] | None = None,
    description: str | None = None,
) -> str:
    """Night-by-night outcome, marked by assigned condition; washout nights hollow."""
    import numpy as np

    fig = _figure(7.5, 3.0)
    ax = fig.add_subplot()
    ys = [math.nan if v is None else float(v) for v in values]
    line_x, line_y = _daily_line(nights, ys)
    ax.plot(line_x, line_y, color="#999999", linewidth=0.8, zorder=1)
    washed = list(washout) if washout is not None else [False] * len(nights)
    for i, condition in enumerate(_distinct(conditions)):
        for hollow in (False, True):
            xs = np.array(
                [
                    n
                    for n, c, w in zip(nights, conditions, washed, strict=True)
                    if c == condition and w == hollow
                ],
                dtype="datetime64[D]",
            )
            vs = [
                y
                for y, c, w in zip(ys, conditions, washed, strict=True)
                if c == condition and w == hollow
            ]
            if not len(xs):
                continue
            colour = PALETTE[i % len(PALETTE)]
            label = f"{condition} (washout)" if hollow else condition
            many = len(xs) > MANY_POINTS
            ax.plot(
                xs, vs, linestyle="none", marker=MARKERS[i % len(MARKERS)], label=label,
                markersize=math.sqrt(MANY_MARKER_AREA if many else MARKER_AREA),
                markeredgewidth=MANY_MARKER_EDGE if many else MARKER_EDGE,
                markerfacecolor="none" if hollow else colour, markeredgecolor=colour, zorder=2,
            )  # fmt: skip
    ax.set_ylabel(outcome_label)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
    _fit(fig, ax, x_rotation=30.0)
    known = [y for y in ys if not math.isnan(y)]
    desc = description or (
        f"{outcome_label} on {len(known)} logged nights"
        + (f" from {min(nights).isoformat()} to {max(nights).isoformat()}" if nights else "")
        + ", marked by condition."
    )
    return _to_svg(fig, title, desc)


def period_means_svg(
    periods: Sequence[PeriodSummary],
    *,
    outcome_label: str,
    title: str,
    description: str | None = None,
) -> str:
    """Each period's mean with its 95% interval, in time order, marked by condition."""
    fig = _figure(7.5, 3.0)
    ax = fig.add_subplot()
    conditions = _distinct([p.condition for p in periods])
    for i, condition in enumerate(conditions):
        xs = [k for k, p in enumerate(periods) if p.condition == condition]
        means = [periods[k].mean for k in xs]
        low = [periods[k].mean - periods[k].interval()[0] for k in xs]
        high = [periods[k].interval()[1] - periods[k].mean for k in xs]
        ax.errorbar(
            xs, means, yerr=[low, high], fmt=MARKERS[i % len(MARKERS)], capsize=3,
            color=PALETTE[i % len(PALETTE)], label=condition,
        )  # fmt: skip
    ax.set_xticks(range(len(periods)))
    ax.set_xticklabels([f"{k + 1}" for k in range(len(periods))], fontsize=8)
    ax.set_xlabel("period (in time order)")
    ax.set_ylabel(outcome_label)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _fit(fig, ax, x_tick_size=8.0)
    parts = [f"period {k + 1} ({p.condition}): {p.mean:.2f}" for k, p in enumerate(periods)]
    desc = description or f"Mean {outcome_label} per period. " + "; ".join(parts) + "."
    return _to_svg(fig, title, desc)


def dose_scatter_svg(
    x: Sequence[float],
    y: Sequence[float],
    *,
    x_label: str,
    y_label: str,
    title: str,
    description: str | None = None,
) -> str:
    """Outcome against dose (or timing) on dosed nights; no fitted line beyond the data.

    Points that coincide (doses and ratings are often round numbers) are drawn once, with
    the opacity of that many stacked points, 1 - (1 - alpha)^n: the same picture with a
    fraction of the SVG elements.
    """
    from matplotlib.colors import to_rgb

    fig = _figure(5.0, 3.5)
    ax = fig.add_subplot()
    stacks: dict[tuple[float, float], int] = {}
    for point in zip(x, y, strict=True):
        stacks[point] = stacks.get(point, 0) + 1
    rgb = to_rgb(PALETTE[0])
    ax.scatter(
        [p[0] for p in stacks], [p[1] for p in stacks], s=SCATTER_AREA, edgecolors="none",
        c=[(*rgb, 1 - (1 - SCATTER_ALPHA) ** n) for n in stacks.values()],
    )  # fmt: skip
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, fontsize=11)
    _fit(fig, ax)
    span = f" between {min(x):g} and {max(x):g}" if len(x) else ""
    desc = description or f"{y_label} against {x_label} on {len(x)} nights{span}."
    return _to_svg(fig, title, desc)


def _daily_line(nights: Sequence[date], ys: Sequence[float]) -> tuple[Any, list[float]]:
    """The series on every calendar day, NaN where nothing was logged (the line breaks)."""
    import numpy as np

    if not nights:
        return np.array([], dtype="datetime64[D]"), []
    by_day = dict(zip(nights, ys, strict=True))
    first = min(nights)
    calendar = [first + timedelta(days=k) for k in range((max(nights) - first).days + 1)]
    return np.array(calendar, dtype="datetime64[D]"), [by_day.get(d, math.nan) for d in calendar]


def _distinct(items: Sequence[str | None]) -> list[str]:
    return [c for c in dict.fromkeys(items) if c is not None]


@functools.cache
def _matplotlib() -> ModuleType:
    """matplotlib, set up once per process: the Agg backend and :data:`SVG_RC`.

    The SVG options are set once in the global settings rather than in an ``rc_context``
    per chart: a context saves and restores every setting on each call, and restoring
    them while another request's chart is being written (pages run in a thread pool)
    could write that chart with text turned into paths. Nothing else in Bedside uses
    matplotlib. The font list comes from matplotlib's cache, read once at import.
    """
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(SVG_RC)
    return matplotlib


def _figure(width: float, height: float) -> Figure:
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _fit(
    fig: Figure, ax: Axes, *, x_rotation: float = 0.0, x_tick_size: float | None = None
) -> None:
    """Margins that fit the tick labels, axis labels, title and a legend right of the axes.

    What ``layout="tight"`` achieves, computed from the sizes of the texts (the tick labels
    the axis will draw, measured with the fonts the SVG names) instead of a second layout
    of the whole figure, which took about half of each chart's time. Two passes, because
    the number of ticks can depend on the size of the axes.
    """
    matplotlib = _matplotlib()
    rc = matplotlib.rcParams
    width, height = (float(v) * 72.0 for v in fig.get_size_inches())
    tick_size = _points(rc["xtick.labelsize"])
    x_size = tick_size if x_tick_size is None else x_tick_size
    label_size, title_size = _points(rc["axes.labelsize"]), float(ax.title.get_fontsize())
    tick_room = rc["xtick.major.size"] + rc["xtick.major.pad"]
    turn = math.radians(x_rotation)
    legend = ax.get_legend()
    legend_width = _legend_width(legend) if legend is not None else 0.0
    title_room = _text_size(ax.get_title(), title_size)[1] + rc["axes.titlepad"]
    x_label_room = _label_room(ax.get_xlabel(), label_size, rc["axes.labelpad"])
    y_label_room = _label_room(ax.get_ylabel(), label_size, rc["axes.labelpad"])
    for _ in range(2):
        y_ticks = [_text_size(t, tick_size) for t in _tick_labels(ax.yaxis)]
        x_ticks = [_text_size(t, x_size) for t in _tick_labels(ax.xaxis)]
        y_tick_w = max((w for w, _ in y_ticks), default=0.0)
        y_tick_h = max((h for _, h in y_ticks), default=0.0)
        x_tick_w = max((w for w, _ in x_ticks), default=0.0)
        x_tick_h = max((h for _, h in x_ticks), default=0.0)
        x_tick_room = x_tick_w * math.sin(turn) + x_tick_h * math.cos(turn)
        left = EDGE_PAD_PT + y_label_room + y_tick_w + tick_room
        if x_rotation:  # labels end at their tick, so the first one reaches left of the axes
            left = max(left, EDGE_PAD_PT + x_tick_w * math.cos(turn))
        bottom = EDGE_PAD_PT + x_label_room + x_tick_room + tick_room
        top = EDGE_PAD_PT + max(title_room, y_tick_h / 2)
        if legend is not None:
            right = EDGE_PAD_PT + legend_width
        else:
            right = EDGE_PAD_PT + (0.0 if x_rotation else x_tick_w / 2)
        # Never squeeze the axes below 40% of the figure, whatever the labels.
        right = min(right, 0.6 * width - left)
        fig.subplots_adjust(
            left=min(left / width, 0.3),
            right=1 - max(right, 0.0) / width,
            bottom=min(bottom / height, 0.45),
            top=1 - min(top / height, 0.25),
        )


def _points(size: Any) -> float:
    """A font size from the settings ("medium", 10.0) in points."""
    from matplotlib.font_manager import FontProperties

    return float(FontProperties(size=size).get_size_in_points())


@functools.lru_cache(maxsize=4096)
def _text_size(text: str, size: float) -> tuple[float, float]:
    """Width and height in points of one line of text in the default font."""
    if not text:
        return (0.0, 0.0)
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    w, h, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return (float(w), max(float(h), size))


def _label_room(text: str, size: float, pad: float) -> float:
    return _text_size(text, size)[1] + pad if text else 0.0


def _tick_labels(axis: Axis) -> list[str]:
    """The major tick labels the axis will draw (inside its view limits)."""
    low, high = sorted(axis.get_view_interval())
    slack = 1e-9 * max(1.0, abs(high - low))
    locs = [float(v) for v in axis.get_majorticklocs() if low - slack <= v <= high + slack]
    return [str(t) for t in axis.get_major_formatter().format_ticks(locs)]


def _legend_width(legend: Any) -> float:
    """Width in points of a frameless legend placed just right of the axes."""
    texts = legend.get_texts()
    if not texts:
        return 0.0
    size = float(texts[0].get_fontsize())
    text_w = max(_text_size(t.get_text(), size)[0] for t in texts)
    spacing = 2 * legend.borderpad + legend.handlelength + legend.handletextpad
    return float(text_w + size * (spacing + legend.borderaxespad))


def _to_svg(fig: Figure, title: str, description: str) -> str:
    matplotlib = _matplotlib()
    if any(matplotlib.rcParams[k] != v for k, v in SVG_RC.items()):
        matplotlib.rcParams.update(SVG_RC)  # someone reset the settings: set them again
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(buffer.getvalue(), title, description)


def _accessible(svg: str, title: str, description: str) -> str:
    """Drop the prolog, add role, title, desc and aria-labelledby to the root element."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    uid = "chart-" + hashlib.sha256(f"{title}\n{description}".encode()).hexdigest()[:10]
    opening = svg[start:end] + f' role="img" aria-labelledby="{uid}-title {uid}-desc">'
    labels = (
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(description)}</desc>'
    )
    return opening + labels + svg[end + 1 :]
