"""Server-side SVG charts for the insights, experiment and clinician pages.

Each function returns the text of one ``<svg>`` element, ready to inline in HTML: no XML
prolog, ``role="img"``, and a ``<title>`` and ``<desc>`` referenced by
``aria-labelledby`` so screen readers announce what the chart shows. Conditions differ
by marker shape as well as colour (Okabe-Ito palette, safe for colour blindness).
Output is deterministic (fixed hash salt, no date metadata) so pages can be cached and
compared.

matplotlib is imported inside the functions (it is slow to import and not needed by
the CLI's other commands) and the Agg backend is selected there, never at import time.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bedside.analysis.periods import PeriodSummary

PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
MARKERS: Final = ("o", "s", "^", "D", "v", "P")


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
            ax.scatter(
                xs, vs, marker=MARKERS[i % len(MARKERS)], s=28, label=label, zorder=2,
                facecolors="none" if hollow else colour, edgecolors=colour,
            )  # fmt: skip
    ax.set_ylabel(outcome_label)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.autofmt_xdate()
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
    """Outcome against dose (or timing) on dosed nights; no fitted line beyond the data."""
    fig = _figure(5.0, 3.5)
    ax = fig.add_subplot()
    ax.scatter(x, y, s=22, color=PALETTE[0], alpha=0.7, edgecolors="none")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, fontsize=11)
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


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="tight")
    return fig


def _to_svg(fig: Figure, title: str, description: str) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "bedside"}):
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
