"""Typed results of the insights use cases, importable without pandas.

The JSON API declares these as response models when the app starts, so this module holds
only Pydantic models; the analysis that fills them lives in
:mod:`bedside.services.insights_view` and is imported when a request needs it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bedside.analysis.week_one_figures import AverageOut, LoggingFeedback, OutcomeFeedback
from bedside.services.charts_schemas import ChartOut

__all__ = [
    "AverageOut",
    "Difference",
    "InsightCounts",
    "InsightsFigures",
    "InsightsOut",
    "InsightsPageOut",
    "LoggingFeedback",
    "OutcomeFeedback",
    "WeekOneFeedback",
]


class WeekOneFeedback(BaseModel):
    """Descriptive feedback for the first weeks; makes no claim about kratom."""

    # The parts are the frozen dataclasses of bedside.analysis.week_one_figures, taken over
    # as they are: pydantic documents and serialises them like models.

    logging: LoggingFeedback
    outcomes: list[OutcomeFeedback]
    not_yet: str
    sentences: list[str]


class InsightCounts(BaseModel):
    """How many nights the range holds, and what is known about them."""

    nights_in_range: int
    exposure_known: int = Field(description="Nights on which kratom use is known either way.")
    with_kratom: int
    without_kratom: int
    outcome_logged: int


class InsightsOut(BaseModel):
    """Nights with and without kratom compared: association, not proof.

    ``result`` is the full analysis with exact, unrounded numbers (null without data).
    """

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    label: str
    outcome: str
    outcome_label: str
    start: date | None = Field(alias="from", description="First night of the range.")
    end: date | None = Field(alias="to", description="Last night of the range.")
    counts: InsightCounts
    does_not_show: list[str]
    week_one: WeekOneFeedback | None = Field(
        description="Plain first-weeks feedback while fewer than 28 nights are logged."
    )
    status: Literal["no_data", "not_enough_data", "ok"]
    summary: list[str]
    secondary_summary: list[str]
    dose_summary: list[str]
    result: dict[str, Any] | None


class Difference(BaseModel):
    """The adjusted difference on nights with kratom, with its 90% range."""

    estimate: float
    ci90: tuple[float, float]
    ratio: dict[str, Any] | None = Field(description="Ratio of medians, for skewed outcomes.")


class InsightsFigures(BaseModel):
    """The headline figures the Insights page shows, picked out of the full result."""

    unknown: int = Field(description="Nights in range with nothing logged about kratom.")
    missing: list[str]
    logging_warning: str | None
    unit: str
    direction: Literal["higher", "lower"] = Field(description="Which way is better.")
    difference: Difference | None


class InsightsPageOut(BaseModel):
    """The Insights page: the result, its headline figures and its charts."""

    insights: InsightsOut
    figures: InsightsFigures
    charts: list[ChartOut]
