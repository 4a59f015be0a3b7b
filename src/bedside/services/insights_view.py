"""Insights as typed results: the JSON API's answer and the Insights page in one call each.

:func:`bedside.services.insights.insights` builds the JSON-ready answer; here it becomes an
:class:`InsightsOut` (so the OpenAPI schema documents it), and :func:`insights_page` adds
what the page shows beside it: the headline figures and the charts, from one night frame.
Association only: no causal words, no dose advice. Both are remembered per data version
(:mod:`bedside.services.cache`); the analysis libraries load only when computing.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from bedside.analysis.outcomes import OUTCOMES
from bedside.services.cache import remembered
from bedside.services.experiments.views import outcome_choices
from bedside.services.insights_request import DEFAULT_OUTCOME, check_request
from bedside.services.insights_schemas import (
    Difference,
    InsightsFigures,
    InsightsOut,
    InsightsPageOut,
)
from bedside.services.scope import Scope

__all__ = [
    "DEFAULT_OUTCOME",
    "OUTCOME_CHOICES",
    "InsightsFigures",
    "InsightsOut",
    "InsightsPageOut",
    "insights_page",
    "insights_result",
]

#: The outcomes a person can choose, as (name, label) pairs in the declared order.
OUTCOME_CHOICES: Final[tuple[tuple[str, str], ...]] = tuple(outcome_choices())


def insights_result(
    scope: Scope, outcome: str, start: date | None = None, end: date | None = None
) -> InsightsOut:
    """:func:`bedside.services.insights.insights` as a typed result (once per data version)."""
    check_request(outcome, start, end)
    return remembered(
        scope,
        "insights",
        {"outcome": outcome, "from": start, "to": end},
        InsightsOut,
        lambda: _insights_result(scope, outcome, start, end),
    )


def _insights_result(
    scope: Scope, outcome: str, start: date | None, end: date | None
) -> InsightsOut:
    from bedside.services.insights import insights  # pandas: only when computing

    return insights(scope, outcome, start, end)


def insights_page(
    scope: Scope, outcome: str, start: date | None = None, end: date | None = None
) -> InsightsPageOut:
    """The Insights page over one night frame: result, figures and charts.

    Computed once per change of the person's data (:mod:`bedside.services.cache`).
    """
    check_request(outcome, start, end)
    return remembered(
        scope,
        "insights_page",
        {"outcome": outcome, "from": start, "to": end},
        InsightsPageOut,
        lambda: _insights_page(scope, outcome, start, end),
    )


def _insights_page(
    scope: Scope, outcome: str, start: date | None, end: date | None
) -> InsightsPageOut:
    from bedside.services.charts import insights_charts  # pandas: only when computing
    from bedside.services.insights import insights, insights_frame

    frame = insights_frame(scope, start, end)
    result = insights(scope, outcome, start, end, frame=frame)
    charts = (
        [] if result.status == "no_data" else insights_charts(frame, outcome, result.outcome_label)
    )
    return InsightsPageOut(insights=result, figures=insights_figures(result), charts=charts)


def insights_figures(result: InsightsOut) -> InsightsFigures:
    """Unknown nights, what is missing, the logging warning and the adjusted difference."""
    primary = result.result.primary if result.result is not None else None
    adjusted = primary.adjusted if primary is not None else None
    spec = OUTCOMES[result.outcome]
    difference = None
    if primary is not None and adjusted is not None and adjusted.estimate is not None:
        low, high = adjusted.ci90
        if low is not None and high is not None:
            difference = Difference(
                estimate=adjusted.estimate, ci90=(low, high), ratio=primary.ratio
            )
    return InsightsFigures(
        unknown=result.counts.nights_in_range - result.counts.exposure_known,
        missing=primary.eligibility.missing if primary is not None else [],
        logging_warning=primary.logging.warning if primary is not None else None,
        unit=spec.unit,
        direction="higher" if spec.higher_is_better else "lower",
        difference=difference,
    )
