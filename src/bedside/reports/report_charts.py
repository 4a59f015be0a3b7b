"""The clinician report's charts: four small SVGs that read well in print (grey scale too).

Drawn with the same machinery as :mod:`bedside.reports.charts` (deterministic SVG, text
kept as text, a title and description for screen readers). Nights with nothing logged are
gaps, never zeros; dose nights differ from other nights by marker shape as well as colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from bedside.reports.charts import (
    MARKERS,
    PALETTE,
    Layout,
    SleepWindow,
    _daily_line,
    _figure,
    _fit,
    _to_svg,
    sleep_window_svg,
)
from bedside.reports.model import ReportNight

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Print sizes in points (A4 column): the full-width chart and the two side by side.
FULL: Final = Layout(7.2 * 72, 1.45 * 72, 7.5, 10.0, 9, True, False)
HALF: Final = Layout(3.55 * 72, 1.4 * 72, 7.5, 9.0, 4, True, False)
#: The sleep window beside the two half charts: as tall as both, every night one thin row;
#: its title is the report's caption (a drawn one would collide with the legend on top).
WINDOW: Final = Layout(
    3.55 * 72, 2 * HALF.height, 7.5, 9.0, 4, False, True,
    row_height=3.2, max_height=2 * HALF.height, mark_size=3.4,
)  # fmt: skip


def _dates(nights: Sequence[date]) -> Any:
    import numpy as np

    return np.array(list(nights), dtype="datetime64[D]")


def _dated_axis(fig: Figure, ax: Axes, nights: Sequence[ReportNight], layout: Layout) -> None:
    """The whole period on the x axis (gaps stay gaps), short level day-month labels."""
    from matplotlib.dates import AutoDateLocator, DateFormatter

    if nights:
        first, last = _dates([nights[0].night, nights[-1].night])
        ax.set_xlim(first - 1, last + 1)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=layout.max_ticks))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    ax.tick_params(labelsize=layout.text)
    _fit(fig, ax, layout)


def _hours(minutes: float | None) -> float:
    return math.nan if minutes is None else minutes / 60.0


def sleep_chart(nights: Sequence[ReportNight]) -> str:
    """Total sleep per night (diary and wearable), dose nights marked by shape."""
    fig = _figure(FULL)
    ax = fig.add_subplot()
    days = [n.night for n in nights]
    diary = [_hours(n.diary_tst_min) for n in nights]
    worn = [_hours(n.wearable_tst_min) for n in nights]
    if any(not math.isnan(v) for v in worn):
        x, y = _daily_line(days, worn)
        ax.plot(x, y, color="#777777", linewidth=1.0, linestyle="--", label="wearable TST")
    x, y = _daily_line(days, diary)
    ax.plot(x, y, color="#bbbbbb", linewidth=0.8, zorder=1)
    for i, (dosed, label) in enumerate(
        ((True, "diary TST, dose night"), (False, "diary TST, no dose"))
    ):
        pick = [k for k, n in enumerate(nights) if n.dosed == dosed and n.diary_tst_min is not None]
        if not pick:
            continue
        ax.plot(
            _dates([days[k] for k in pick]), [diary[k] for k in pick], linestyle="none",
            marker=MARKERS[i], markersize=4.5, label=label, color=PALETTE[i],
            markerfacecolor=PALETTE[i] if dosed else "white",
        )  # fmt: skip
    ax.set_ylabel("hours asleep", fontsize=FULL.text)
    ax.set_title("Total sleep time per night (gaps: nothing logged)", fontsize=10)
    ax.legend(fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _dated_axis(fig, ax, nights, FULL)
    known = sum(1 for v in diary if not math.isnan(v))
    return _to_svg(
        fig,
        "Total sleep time per night",
        f"Diary total sleep on {known} nights, dose nights filled; wearable sleep dashed.",
    )


def pain_chart(nights: Sequence[ReportNight]) -> str:
    """The highest pain and soreness rating of each night (0-10)."""
    fig = _figure(HALF)
    ax = fig.add_subplot()
    days = [n.night for n in nights]
    series = (
        ("pain", [n.pain_max for n in nights]),
        ("soreness", [n.soreness_max for n in nights]),
    )
    for i, (label, values) in enumerate(series):
        ys = [math.nan if v is None else float(v) for v in values]
        if all(math.isnan(v) for v in ys):
            continue
        x, y = _daily_line(days, ys)
        colour = PALETTE[i + 1]
        ax.plot(x, y, color=colour, linewidth=0.7, marker=MARKERS[i + 1], markersize=2.8,
                label=label)  # fmt: skip
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel("rating (0-10)", fontsize=HALF.text)
    ax.set_title("Highest pain and soreness per night", fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _dated_axis(fig, ax, nights, HALF)
    rated = sum(1 for n in nights if n.pain_max is not None)
    return _to_svg(
        fig, "Pain and soreness per night", f"Highest pain rating on {rated} nights, and soreness."
    )


def timing_chart(nights: Sequence[ReportNight]) -> str:
    """When the first dose of each dose night was taken, in hours before bedtime."""
    from matplotlib.ticker import MultipleLocator

    fig = _figure(HALF)
    ax = fig.add_subplot()
    dosed = [n for n in nights if n.minutes_before_bedtime is not None]
    ax.axhline(0.0, color="#999999", linewidth=0.8)
    ax.plot(
        _dates([n.night for n in dosed]), [_hours(n.minutes_before_bedtime) for n in dosed],
        linestyle="none", marker=MARKERS[0], markersize=3.5, color=PALETTE[0],
    )  # fmt: skip
    hours = [_hours(n.minutes_before_bedtime) for n in dosed]
    ax.set_ylim(min(0.0, *hours) - 0.25, max(0.0, *hours) + 0.25)
    ax.yaxis.set_major_locator(MultipleLocator(1.0))
    ax.set_ylabel("hours before bed", fontsize=HALF.text)
    ax.set_title("First dose, hours before bedtime", fontsize=9)
    _dated_axis(fig, ax, nights, HALF)
    return _to_svg(
        fig,
        "Dose timing relative to bedtime",
        f"Hours from the first dose to bedtime on {len(dosed)} dose nights.",
    )


def window_chart(nights: Sequence[ReportNight]) -> str:
    """History's sleep-window chart in print: in bed to final awakening, doses marked."""
    windows = [
        SleepWindow(
            night=n.night, bedtime=n.bedtime, final_wake=n.final_wake, doses=tuple(n.dose_times)
        )
        for n in nights
    ]
    return sleep_window_svg(windows, title="In bed to final awakening, and doses", size=WINDOW)


def report_charts(nights: Sequence[ReportNight]) -> list[tuple[str, str]]:
    """(title, SVG) of each chart that has something to show: sleep (full width) first,
    then the sleep window, then pain and dose timing (the two stacked beside it)."""
    charts = []
    if any(n.diary_tst_min is not None or n.wearable_tst_min is not None for n in nights):
        charts.append(("Sleep", sleep_chart(nights)))
    if any(n.bedtime is not None or n.dose_times for n in nights):
        charts.append(("Sleep window", window_chart(nights)))
    if any(n.pain_max is not None or n.soreness_max is not None for n in nights):
        charts.append(("Pain and soreness", pain_chart(nights)))
    if any(n.minutes_before_bedtime is not None for n in nights):
        charts.append(("Dose timing", timing_chart(nights)))
    return charts
