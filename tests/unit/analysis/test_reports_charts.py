"""SVG charts: valid, accessible, deterministic, matplotlib imported lazily."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from bedside.analysis.periods import PeriodSummary
from bedside.reports.charts import dose_scatter_svg, period_means_svg, timeline_svg

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
