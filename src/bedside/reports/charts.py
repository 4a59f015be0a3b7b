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
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from html import escape
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

    from bedside.analysis.periods import PeriodSummary

#: Okabe-Ito colours that keep a 3:1 contrast against the white chart background (WCAG
#: 1.4.11); orange (#E69F00) and sky blue (#56B4E9) do not, so they only fill, never mark.
PALETTE: Final = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#595959")
MARKERS: Final = ("o", "s", "^", "D", "v", "P")
#: The same category has the same colour and marker in every chart on every page.
TOOK, NOT_TOOK, UNKNOWN = "took kratom", "no kratom", "nothing logged"
CATEGORY_STYLES: Final[dict[str, tuple[str, str]]] = {
    TOOK: ("#D55E00", "o"),  # vermillion circle
    "kratom": ("#D55E00", "o"),
    NOT_TOOK: ("#0072B2", "s"),  # blue square
    UNKNOWN: ("#595959", "X"),  # dark grey cross
}
#: Colours and markers for any other condition (an experiment's own levels), by sorted name.
OTHER_STYLES: Final = (("#009E73", "^"), ("#CC79A7", "D"), ("#0072B2", "v"), ("#D55E00", "P"))
#: The sleep window: a light fill (not a category colour) with a dark edge.
WINDOW_FILL: Final = "#A6D4F2"
WINDOW_EDGE: Final = "#1F4E79"
#: Options every chart is written with: text stays text, ids are deterministic.
SVG_RC: Final[dict[Any, Any]] = {"svg.fonttype": "none", "svg.hashsalt": "bedside"}
#: Marker area (points squared, as ``scatter(s=...)``) and edge width of timeline points,
#: and the smaller ones used once a series has more than ``MANY_POINTS`` points.
MARKER_AREA: Final = 36.0
MANY_POINTS: Final = 200
MANY_MARKER_AREA: Final = 16.0
MARKER_EDGE: Final = 1.5
MANY_MARKER_EDGE: Final = 1.0
#: Dose scatter: marker area and opacity of one point.
SCATTER_AREA: Final = 28.0
SCATTER_ALPHA: Final = 0.7
#: Space between the drawing and the figure's edge (``tight_layout``'s default: 1.08 em).
EDGE_PAD_PT: Final = 1.08 * 10.0

ChartSize = Literal["wide", "phone"]


@dataclass(frozen=True)
class Layout:
    """One rendering size: the figure in points and its font sizes in points.

    The SVG's ``viewBox`` is the figure in points, and pages scale it to the width they
    have, so a font of ``f`` points shows at ``f * shown_width / width`` CSS pixels. The
    phone layout is drawn for the 309 CSS px a card leaves on a 375 px screen (12 pt at
    288 pt wide is 12.9 px); the wide one for the 606-640 px of the desktop column (11 pt
    at 540 pt wide is at least 12.3 px).
    """

    width: float
    height: float
    text: float
    title: float
    max_ticks: int
    draw_title: bool  # pages caption their charts: a drawn title would say it twice
    legend_on_top: bool
    #: The sleep-window chart: points per night row, the tallest it may grow, dose marker size.
    row_height: float = 16.0
    max_height: float = 900.0
    mark_size: float = 8.0


LAYOUTS: Final[dict[str, Layout]] = {
    "wide": Layout(540.0, 230.0, 11.0, 12.0, 7, False, False),
    "phone": Layout(288.0, 250.0, 12.0, 13.0, 4, False, True),
}


def category_style(category: str, others: Sequence[str] = ()) -> tuple[str, str]:
    """Colour and marker of ``category``: fixed for took / no kratom / nothing logged.

    Any other condition takes the next of :data:`OTHER_STYLES` in the sorted order of
    ``others`` (all the conditions of the chart), so two renderings of one experiment agree.
    """
    if category in CATEGORY_STYLES:
        return CATEGORY_STYLES[category]
    rest = sorted(c for c in dict.fromkeys(others) if c not in CATEGORY_STYLES)
    index = rest.index(category) if category in rest else len(rest)
    return OTHER_STYLES[index % len(OTHER_STYLES)]


@dataclass(frozen=True)
class SleepWindow:
    """One night of the sleep-window chart: wall-clock times in the person's zone."""

    night: date
    bedtime: datetime | None
    final_wake: datetime | None
    doses: tuple[datetime, ...] = ()


def timeline_svg(
    nights: Sequence[date],
    values: Sequence[float | None],
    conditions: Sequence[str | None],
    *,
    outcome_label: str,
    title: str,
    washout: Sequence[bool] | None = None,
    description: str | None = None,
    size: ChartSize = "wide",
) -> str:
    """Night-by-night outcome, marked by condition; washout nights hollow.

    The legend lists only the conditions that have a point on the chart.
    """
    import numpy as np

    layout = LAYOUTS[size]
    fig = _figure(layout)
    ax = fig.add_subplot()
    ys = [math.nan if v is None else float(v) for v in values]
    line_x, line_y = _daily_line(nights, ys)
    ax.plot(line_x, line_y, color="#999999", linewidth=0.8, zorder=1)
    washed = list(washout) if washout is not None else [False] * len(nights)
    named = _distinct(conditions)
    for condition in _shown_order(named):
        colour, marker = category_style(condition, named)
        for hollow in (False, True):
            points = [
                (n, y)
                for n, y, c, w in zip(nights, ys, conditions, washed, strict=True)
                if c == condition and w == hollow and not math.isnan(y)
            ]
            if not points:
                continue
            xs = np.array([p[0] for p in points], dtype="datetime64[D]")
            label = f"{condition} (washout)" if hollow else condition
            many = len(points) > MANY_POINTS
            ax.plot(
                xs, [p[1] for p in points], linestyle="none", marker=marker, label=label,
                markersize=math.sqrt(MANY_MARKER_AREA if many else MARKER_AREA),
                markeredgewidth=MANY_MARKER_EDGE if many else MARKER_EDGE,
                markerfacecolor="none" if hollow else colour, markeredgecolor=colour, zorder=2,
            )  # fmt: skip
    _date_axis(ax, nights, layout)
    _texts(ax, layout, title=title, y_label=outcome_label)
    _legend(fig, ax, layout)
    _fit(fig, ax, layout)
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
    size: ChartSize = "wide",
) -> str:
    """Each period's mean with its 95% interval, in time order, marked by condition."""
    layout = LAYOUTS[size]
    fig = _figure(layout)
    ax = fig.add_subplot()
    conditions = _distinct([p.condition for p in periods])
    for condition in _shown_order(conditions):
        colour, marker = category_style(condition, conditions)
        xs = [k for k, p in enumerate(periods) if p.condition == condition]
        means = [periods[k].mean for k in xs]
        low = [periods[k].mean - periods[k].interval()[0] for k in xs]
        high = [periods[k].interval()[1] - periods[k].mean for k in xs]
        ax.errorbar(
            [x + 1 for x in xs], means, yerr=[low, high], fmt=marker, capsize=3,
            color=colour, label=condition,
        )  # fmt: skip
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=layout.max_ticks * 2, integer=True))
    ax.set_xlim(0.5, len(periods) + 0.5)
    _texts(ax, layout, title=title, x_label="period (in time order)", y_label=outcome_label)
    _legend(fig, ax, layout)
    _fit(fig, ax, layout)
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
    size: ChartSize = "wide",
) -> str:
    """Outcome against dose (or timing) on dosed nights; no fitted line beyond the data.

    Points that coincide (doses and ratings are often round numbers) are drawn once, with
    the opacity of that many stacked points, 1 - (1 - alpha)^n: the same picture with a
    fraction of the SVG elements. Every point is a night with kratom, so it has that
    category's colour.
    """
    from matplotlib.colors import to_rgb

    layout = LAYOUTS[size]
    fig = _figure(layout)
    ax = fig.add_subplot()
    stacks: dict[tuple[float, float], int] = {}
    for point in zip(x, y, strict=True):
        stacks[point] = stacks.get(point, 0) + 1
    colour, marker = category_style(TOOK)
    rgb = to_rgb(colour)
    ax.scatter(
        [p[0] for p in stacks], [p[1] for p in stacks], s=SCATTER_AREA, edgecolors="none",
        marker=marker, c=[(*rgb, 1 - (1 - SCATTER_ALPHA) ** n) for n in stacks.values()],
    )  # fmt: skip
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=layout.max_ticks + 1))
    _texts(ax, layout, title=title, x_label=x_label, y_label=y_label)
    _fit(fig, ax, layout)
    span = f" between {min(x):g} and {max(x):g}" if len(x) else ""
    desc = description or f"{y_label} against {x_label} on {len(x)} nights{span}."
    return _to_svg(fig, title, desc)


def sleep_window_svg(
    windows: Sequence[SleepWindow],
    *,
    title: str = "Time in bed and doses, night by night",
    description: str | None = None,
    size: ChartSize | Layout = "wide",
) -> str:
    """One bar per night from bedtime to final awakening, each dose marked on its night.

    The horizontal axis is the clock from the evening into the next morning (hours after
    the night's noon, labelled as clock times); the newest night is at the top, as on
    History. Nights with neither a diary nor a dose have an empty row: unknown, not zero.
    ``size`` is a page size, or a :class:`Layout` of its own (the clinician report's print).
    """
    from matplotlib.collections import PolyCollection

    layout = size if isinstance(size, Layout) else LAYOUTS[size]
    rows = sorted(windows, key=lambda w: w.night)
    height = min(max(layout.height, 70.0 + layout.row_height * len(rows)), layout.max_height)
    fig = _figure(replace(layout, height=height))
    ax = fig.add_subplot()
    bars = [
        (k, _hours(w.night, w.bedtime), _hours(w.night, w.final_wake))
        for k, w in enumerate(rows)
        if w.bedtime is not None and w.final_wake is not None
    ]
    if bars:
        # One collection of rectangles, not a patch per night: a year of nights is 366 bars,
        # and matplotlib updates the axes' limits for every patch added one by one.
        boxes = [[(x0, k - 0.3), (x0, k + 0.3), (x1, k + 0.3), (x1, k - 0.3)] for k, x0, x1 in bars]
        ax.add_collection(
            PolyCollection(
                boxes,
                facecolors=WINDOW_FILL, edgecolors=WINDOW_EDGE,
                linewidths=min(1.0, layout.row_height / 6.0),
                label="in bed to final awakening",
            )
        )  # fmt: skip
    doses = [(k, _hours(w.night, t)) for k, w in enumerate(rows) for t in w.doses]
    if doses:
        colour, marker = category_style(TOOK)
        ax.plot(
            [d[1] for d in doses], [d[0] for d in doses], linestyle="none", marker=marker,
            markersize=layout.mark_size, color=colour, markeredgecolor="white",
            markeredgewidth=min(0.8, layout.mark_size / 10.0), label="dose", zorder=3,
        )  # fmt: skip
    hours = [b[1] for b in bars] + [b[2] for b in bars] + [d[1] for d in doses]
    _clock_axis(ax, hours, coarse=size == "phone")
    # At most 24 night labels, and never closer than one and a half lines of text.
    step = max(1, math.ceil(len(rows) / 24), math.ceil(len(rows) * 1.5 * layout.text / height))
    ticks = list(range(len(rows) - 1, -1, -step))
    ax.set_yticks(ticks, [rows[k].night.strftime("%a %d %b") for k in ticks])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    _texts(ax, layout, title=title, x_label="clock time (evening to morning)")
    _legend(fig, ax, layout)
    _fit(fig, ax, layout)
    desc = description or _window_description(rows, len(bars), len(doses))
    return _to_svg(fig, title, desc)


def _window_description(rows: Sequence[SleepWindow], bars: int, doses: int) -> str:
    if not rows:
        return "No nights in this range."
    first, last = rows[0].night.isoformat(), rows[-1].night.isoformat()
    return (
        f"{len(rows)} nights from {first} to {last}: {bars} with bedtime and final awakening "
        f"from the diary, {doses} dose{'s' if doses != 1 else ''} marked at the time taken."
    )


def _hours(night: date, moment: datetime | None) -> float:
    """Wall-clock hours from noon of ``night`` to ``moment`` (its own local time)."""
    if moment is None:
        return math.nan
    noon = datetime.combine(night, time(12, 0))
    return (moment.replace(tzinfo=None) - noon).total_seconds() / 3600.0


def _clock_axis(ax: Axes, hours: Sequence[float], *, coarse: bool) -> None:
    """From the evening to the morning in whole 3-hour steps, labelled as clock times."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    known = [h for h in hours if not math.isnan(h)]
    low = math.floor(min(known, default=6.0) / 3) * 3
    high = math.ceil(max(known, default=24.0) / 3) * 3
    low, high = min(low, 6), max(high, 21)
    step = 6 if coarse or high - low > 24 else 3
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(FixedLocator(list(range(low, high + 1, step))))
    ax.xaxis.set_minor_locator(FixedLocator(list(range(low, high + 1, 3))))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda h, _: f"{int(h + 12) % 24:02d}:00"))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _date_axis(ax: Axes, nights: Sequence[date], layout: Layout) -> None:
    """A few date ticks, never turned: day and month, or month and year over long ranges."""
    from matplotlib.dates import AutoDateLocator, DateFormatter

    locator = AutoDateLocator(minticks=2, maxticks=layout.max_ticks)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    long = bool(nights) and (max(nights) - min(nights)).days > 180
    formatter = DateFormatter("%b %Y" if long else "%d %b")  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)


def _shown_order(conditions: Sequence[str]) -> list[str]:
    """The categories in the fixed legend order (took, no, unknown), then the rest sorted."""
    fixed = [c for c in (TOOK, "kratom", NOT_TOOK, UNKNOWN) if c in conditions]
    return fixed + sorted(c for c in conditions if c not in fixed)


def _texts(ax: Axes, layout: Layout, *, title: str, x_label: str = "", y_label: str = "") -> None:
    """Axis labels, tick labels and (wide layout only) the title at the layout's sizes."""
    ax.tick_params(axis="both", which="major", labelsize=layout.text)
    if x_label:
        ax.set_xlabel(x_label, fontsize=layout.text)
    if y_label:
        ax.set_ylabel(y_label, fontsize=layout.text)
    if layout.draw_title:
        ax.set_title(title, fontsize=layout.title)


def _legend(fig: Figure, ax: Axes, layout: Layout) -> None:
    """A frameless legend of what is drawn: right of the axes, or above them on a phone."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    common: dict[str, Any] = {
        "fontsize": layout.text, "frameon": False, "handlelength": 1.0, "handletextpad": 0.5,
    }  # fmt: skip
    if not layout.legend_on_top:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), **common)
        return
    room = layout.width - 2 * EDGE_PAD_PT
    widths = [_text_size(label, layout.text)[0] + 1.5 * layout.text for label in labels]
    columns = len(labels)
    while columns > 1 and _row_width(widths, columns, layout.text) > room:
        columns -= 1
    ax.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=columns, borderaxespad=0.3,
        columnspacing=1.0, **common,
    )  # fmt: skip


def _row_width(widths: Sequence[float], columns: int, size: float) -> float:
    """Width of a legend laid out in ``columns`` columns (column-major, as matplotlib)."""
    rows = math.ceil(len(widths) / columns)
    column_widths = [max(widths[c * rows : (c + 1) * rows], default=0.0) for c in range(columns)]
    return sum(column_widths) + size * (1.0 * (columns - 1) + 1.0)


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


def _figure(layout: Layout) -> Figure:
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(layout.width / 72.0, layout.height / 72.0))


def _fit(fig: Figure, ax: Axes, layout: Layout) -> None:
    """Margins that fit the tick labels, axis labels, title and legend.

    What ``layout="tight"`` achieves, computed from the sizes of the texts (the tick labels
    the axis will draw, measured with the fonts the SVG names) instead of a second layout
    of the whole figure, which took about half of each chart's time. Two passes, because
    the number of ticks can depend on the size of the axes.
    """
    rc = _matplotlib().rcParams
    width, height = layout.width, float(fig.get_size_inches()[1]) * 72.0
    size = layout.text
    tick_room = rc["xtick.major.size"] + rc["xtick.major.pad"]
    legend = ax.get_legend()
    title_room = _text_size(ax.get_title(), layout.title)[1] + rc["axes.titlepad"]
    x_label_room = _label_room(ax.get_xlabel(), size, rc["axes.labelpad"])
    y_label_room = _label_room(ax.get_ylabel(), size, rc["axes.labelpad"])
    legend_right = legend_top = 0.0
    if legend is not None and layout.legend_on_top:
        legend_top = _legend_height(legend)
    elif legend is not None:
        legend_right = _legend_width(legend)
    for _ in range(2):
        y_ticks = [_text_size(t, size) for t in _tick_labels(ax.yaxis)]
        x_ticks = [_text_size(t, size) for t in _tick_labels(ax.xaxis)]
        y_tick_w = max((w for w, _ in y_ticks), default=0.0)
        y_tick_h = max((h for _, h in y_ticks), default=0.0)
        x_tick_w = max((w for w, _ in x_ticks), default=0.0)
        x_tick_h = max((h for _, h in x_ticks), default=0.0)
        left = EDGE_PAD_PT + y_label_room + y_tick_w + tick_room
        bottom = EDGE_PAD_PT + x_label_room + x_tick_h + tick_room
        top = EDGE_PAD_PT + max(title_room if layout.draw_title else 0.0, y_tick_h / 2)
        top += legend_top
        right = EDGE_PAD_PT + max(legend_right, x_tick_w / 2)
        # Never squeeze the axes below 40% of the figure, whatever the labels.
        right = min(right, 0.6 * width - left)
        fig.subplots_adjust(
            left=min(left / width, 0.4),
            right=1 - max(right, 0.0) / width,
            bottom=min(bottom / height, 0.45),
            top=1 - min(top / height, 0.45),
        )
    if legend is not None and layout.legend_on_top:  # from the figure's left edge, not the axes'
        legend.set_bbox_to_anchor((EDGE_PAD_PT / width, fig.subplotpars.top), fig.transFigure)


def _legend_height(legend: Any) -> float:
    """Height in points of a frameless legend laid out in rows above the axes."""
    texts = legend.get_texts()
    if not texts:
        return 0.0
    size = float(texts[0].get_fontsize())
    rows = math.ceil(len(texts) / max(1, int(legend._ncols)))
    pads = 2 * legend.borderpad + legend.borderaxespad
    return float(size * (rows * (1.0 + legend.labelspacing) + pads))


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
