"""SVG charts: valid, accessible, deterministic, matplotlib imported lazily."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from bedside.analysis.periods import PeriodSummary
from bedside.reports.charts import (
    CATEGORY_STYLES,
    OTHER_STYLES,
    PALETTE,
    ChartSize,
    SleepWindow,
    category_style,
    dose_scatter_svg,
    period_means_svg,
    sleep_window_svg,
    timeline_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def _check_accessible(svg: str, title: str) -> ET.Element:
    assert svg.startswith("<svg")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ids = (root.get("aria-labelledby") or "").split()
    assert len(ids) == 2
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].get("id") == ids[0]
    assert children[0].text == title
    assert children[1].tag == f"{SVG}desc" and children[1].get("id") == ids[1]
    assert children[1].text
    return root


def test_timeline_with_gaps_and_washout() -> None:
    nights = [date(2024, 5, 1) + timedelta(days=i) for i in range(14) if i != 4]
    values: list[float | None] = [float(i % 5) for i in range(13)]
    values[2] = None
    conditions = ["kratom" if i < 7 else "no kratom" for i in range(13)]
    washout = [i in (0, 7) for i in range(13)]
    svg = timeline_svg(
        nights, values, conditions, outcome_label="sleep quality", title="Nights <& conditions>",
        washout=washout,
    )  # fmt: skip
    root = _check_accessible(svg, "Nights <& conditions>")
    desc = root[1].text or ""
    assert "12 logged nights from 2024-05-01 to 2024-05-14" in desc
    assert "kratom (washout)" in svg  # legend text stays text (svg.fonttype none)
    assert svg == timeline_svg(
        nights, values, conditions, outcome_label="sleep quality", title="Nights <& conditions>",
        washout=washout,
    )  # fmt: skip


def test_period_means_and_dose_scatter() -> None:
    periods = [
        PeriodSummary(0, 0, "no kratom", 5, 3.2, 0.4, 0, 6, True),
        PeriodSummary(0, 1, "kratom", 5, 3.8, 0.5, 7, 13, True),
    ]
    root = _check_accessible(
        period_means_svg(periods, outcome_label="quality", title="Period means"), "Period means"
    )
    assert "period 2 (kratom): 3.80" in (root[1].text or "")
    scatter = dose_scatter_svg(
        [1.0, 2.0, 2.5], [3.0, 3.5, 3.2], x_label="dose (g)", y_label="quality", title="Dose"
    )
    assert "between 1 and 2.5" in (_check_accessible(scatter, "Dose")[1].text or "")


def test_period_interval_is_a_t_interval() -> None:
    from scipy import stats

    period = PeriodSummary(0, 0, "A", 4, 8.0, 1.0, 0, 3, True)
    lo, hi = period.interval()
    assert hi - 8.0 == pytest.approx(stats.t.ppf(0.975, 3) * 1.0 / 2)
    assert lo == pytest.approx(16.0 - hi)


def test_importing_charts_does_not_import_matplotlib() -> None:
    code = "import sys, bedside.reports.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


#: CSS px a chart is shown at: a card on a 375 px phone, the narrowest wide desktop column.
PHONE_SHOWN_PX, WIDE_SHOWN_PX = 309.0, 606.0
NIGHTS = [date(2024, 5, 1) + timedelta(days=i) for i in range(40)]
VALUES: list[float | None] = [float(1 + i % 5) for i in range(40)]
TOOK_OR_NOT: list[str | None] = [
    "took kratom" if i % 3 else "no kratom" if i % 2 else "nothing logged" for i in range(40)
]


def _windows() -> list[SleepWindow]:
    windows = []
    for i, night in enumerate(NIGHTS[:14]):
        evening = datetime(night.year, night.month, night.day, 22, 30)
        windows.append(
            SleepWindow(
                night=night,
                bedtime=evening + timedelta(minutes=20 * (i % 4)) if i != 5 else None,
                final_wake=evening + timedelta(hours=8, minutes=10 * i) if i != 5 else None,
                doses=(evening - timedelta(minutes=60),) if i % 2 else (),
            )
        )
    return windows


def _timeline(size: ChartSize) -> str:
    return timeline_svg(
        NIGHTS, VALUES, TOOK_OR_NOT, outcome_label="sleep quality", title="Quality", size=size
    )


def _periods(size: ChartSize) -> str:
    periods = [
        PeriodSummary(0, k, "kratom" if k % 2 else "no kratom", 5, 3 + k / 10, 0.4, 0, 6, True)
        for k in range(12)
    ]
    return period_means_svg(periods, outcome_label="sleep quality", title="P", size=size)


def _scatter(size: ChartSize) -> str:
    return dose_scatter_svg(
        [1.0, 2.0, 2.5, 4.0], [3.0, 3.5, 3.2, 4.0], x_label="dose (g)", y_label="quality",
        title="Dose", size=size,
    )  # fmt: skip


def _window(size: ChartSize) -> str:
    return sleep_window_svg(_windows(), size=size)


CHARTS: dict[str, Callable[[ChartSize], str]] = {
    "timeline": _timeline, "periods": _periods, "scatter": _scatter, "window": _window,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize(("size", "shown_px"), [("phone", PHONE_SHOWN_PX), ("wide", WIDE_SHOWN_PX)])
def test_text_is_at_least_12_css_px_where_the_chart_is_shown(
    name: str, size: ChartSize, shown_px: float
) -> None:
    svg = CHARTS[name](size)
    root = ET.fromstring(svg)
    assert root.get("width") is None or "pt" in (root.get("width") or "")  # web drops it
    view_width = float((root.get("viewBox") or "").split()[2])
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes, "no text found"
    assert min(sizes) * shown_px / view_width >= 12.0, (name, size, min(sizes), view_width)


def _marker_colours(svg: str) -> set[str]:
    """Colours of the marker definitions (``<defs>`` paths) of a chart, tick marks aside."""
    defs = re.findall(r'<path id="m[^"]*"[^>]*style="([^"]*)"', svg)
    colours = {c.upper() for d in defs for c in re.findall(r"stroke: (#[0-9a-fA-F]{6})", d)}
    return colours - {"#000000"}


def test_each_category_has_one_colour_whatever_else_is_drawn() -> None:
    alone = timeline_svg(
        NIGHTS[:3], [1.0, 2.0, 3.0], ["took kratom"] * 3, outcome_label="q", title="t"
    )
    both = timeline_svg(
        NIGHTS[:4], [1.0, 2.0, 3.0, 2.0], ["no kratom", "took kratom", "no kratom", None],
        outcome_label="q", title="t",
    )  # fmt: skip
    took = CATEGORY_STYLES["took kratom"][0]
    assert _marker_colours(alone) == {took}
    assert _marker_colours(both) == {took, CATEGORY_STYLES["no kratom"][0]}
    assert category_style("2 g", ["4 g", "2 g"]) == OTHER_STYLES[0]
    assert category_style("4 g", ["2 g", "4 g"]) == OTHER_STYLES[1]
    assert category_style("kratom") == category_style("took kratom")


def test_legend_lists_only_what_is_drawn() -> None:
    svg = timeline_svg(
        NIGHTS[:4],
        [1.0, None, 3.0, None],
        ["took kratom", "no kratom", "took kratom", "nothing logged"],
        outcome_label="q",
        title="t",
    )
    texts = ET.fromstring(svg).itertext()
    shown = " ".join(texts)
    assert "took kratom" in shown
    assert "no kratom" not in shown and "nothing logged" not in shown


def _luminance(colour: str) -> float:
    channels = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_marker_colours_have_3_to_1_contrast_on_the_white_chart() -> None:
    colours = {c for c, _ in (*CATEGORY_STYLES.values(), *OTHER_STYLES)} | set(PALETTE)
    for colour in colours:
        assert 1.05 / (_luminance(colour) + 0.05) >= 3.0, colour


def test_sleep_window_bars_and_doses() -> None:
    svg = sleep_window_svg(_windows(), title="Window")
    root = _check_accessible(svg, "Window")
    desc = root[1].text or ""
    assert "14 nights from 2024-05-01 to 2024-05-14" in desc
    assert "13 with bedtime and final awakening" in desc and "7 doses marked" in desc
    labels = " ".join(root.itertext())
    assert "in bed to final awakening" in labels and "dose" in labels
    assert "22:00" in labels or "21:00" in labels  # the clock, not hours since noon
    assert "Tue 14 May" in labels  # the newest night is labelled
    assert svg == sleep_window_svg(_windows(), title="Window")


def test_sleep_window_in_print_fits_its_layout_with_readable_night_labels() -> None:
    from bedside.reports.report_charts import WINDOW

    windows = [
        SleepWindow(
            night=night,
            bedtime=datetime(night.year, night.month, night.day, 23, 0),
            final_wake=datetime(night.year, night.month, night.day, 23, 0) + timedelta(hours=8),
            doses=(datetime(night.year, night.month, night.day, 21, 30),),
        )
        for night in [date(2024, 5, 1) + timedelta(days=i) for i in range(56)]
    ]
    svg = sleep_window_svg(windows, title="Window", size=WINDOW)
    root = _check_accessible(svg, "Window")
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    assert (width, height) == (WINDOW.width, WINDOW.max_height)  # 56 nights, one column tall
    labels = [t for t in root.itertext() if re.fullmatch(r"\w{3} \d{2} \w{3}", t.strip())]
    assert 0 < len(labels) <= height / (1.5 * WINDOW.text)
    assert "56 doses marked" in (root[1].text or "")
    # the web sizes are unchanged by the print layout: 16 pt per night, up to 900 pt
    for nights, expected in ((14, 70.0 + 16.0 * 14), (56, 900.0)):
        wide = ET.fromstring(sleep_window_svg(windows[:nights], title="Window"))
        assert float((wide.get("viewBox") or "").split()[3]) == expected
