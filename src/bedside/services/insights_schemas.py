"""Typed results of the insights use cases, importable without pandas.

The JSON API declares these as response models when the app starts, so this module holds
only Pydantic models; the analysis that fills them lives in
:mod:`bedside.services.insights_view` and is imported when a request needs it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from bedside.analysis.week_one_figures import AverageOut, LoggingFeedback, OutcomeFeedback
from bedside.services.charts_schemas import ChartOut

__all__ = [
    "AdjustedDifferenceOut",
    "AnalysisResult",
    "AverageOut",
    "BayesSummaryOut",
    "BenefitProbabilitiesOut",
    "Difference",
    "InsightCounts",
    "InsightsFigures",
    "InsightsOut",
    "InsightsPageOut",
    "InsightsResultOut",
    "LoggingFeedback",
    "OutcomeFeedback",
    "RatioOut",
    "Real",
    "TermEstimateOut",
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


#: A number the analysis computed; null where it is not a number (JSON has no NaN).
Real: TypeAlias = float | None


class AnalysisResult(BaseModel):
    """A result of :mod:`bedside.analysis` (a frozen dataclass there) as a typed model.

    Filled from ``to_jsonable(result)``, so its numbers are exactly the analysis's, unrounded;
    the fields are the dataclass's, in its order (a test keeps them in step).
    """

    model_config = ConfigDict(extra="forbid")


class EligibilityOut(AnalysisResult):
    """Whether a rule is met, the counts it used, and what is missing if not."""

    ok: bool
    counts: dict[str, int]
    missing: list[str]


class TermEstimateOut(AnalysisResult):
    """One coefficient of a night-level AR(1) model, ready to show."""

    term: str
    estimate: Real
    se: Real
    ci95: tuple[Real, Real]
    ci90: tuple[Real, Real]
    p_value: Real
    phi: Real
    n_nights: int
    phi_at_bound: bool


class HacEstimateOut(AnalysisResult):
    """OLS estimate with Newey-West standard error (a sensitivity analysis)."""

    estimate: Real
    se: Real
    ci90: tuple[Real, Real]
    max_lags: int


class RatioOut(AnalysisResult):
    """A log-scale difference back on the outcome"s scale: ratio of medians."""

    estimate: Real
    ci90: tuple[Real, Real]


class BenefitProbabilitiesOut(AnalysisResult):
    """Posterior summary under one prior (difference scale: treatment - control)."""

    prior: str
    posterior_mean: Real
    interval95: tuple[Real, Real]
    p_benefit: Real
    p_benefit_over_mid: Real


class BayesSummaryOut(AnalysisResult):
    """Sceptical-prior answer (shown to users) and the flat-prior comparison."""

    sceptical: BenefitProbabilitiesOut | None
    flat: BenefitProbabilitiesOut
    prior_sd: Real
    prior_sensitive: bool
    note: str | None


class LoggingRatesOut(AnalysisResult):
    """How often the outcome was logged on nights with and without the exposure."""

    took_nights: int
    took_logged: int
    not_took_nights: int
    not_took_logged: int
    unknown_exposure_nights: int
    gap_points: Real
    warning: str | None


class PatternMixtureOut(AnalysisResult):
    """The estimate if missing exposure nights were one MID worse."""

    missing_took_nights: int
    shifted_estimate: Real
    shifted_ci90: tuple[Real, Real]
    direction: Literal["better", "worse", "unclear"]
    shifted_direction: Literal["better", "worse", "unclear"]


class AdjustedDifferenceOut(AnalysisResult):
    """Exposure vs no exposure for one outcome (treatment - control, model scale)."""

    outcome: str
    label: str
    eligibility: EligibilityOut
    n_took: int
    n_not_took: int
    adjusted: TermEstimateOut | None
    unadjusted: TermEstimateOut | None
    hac: HacEstimateOut | None
    ratio: RatioOut | None
    adjusted_for: list[str]
    not_adjusted_for: dict[str, str]
    mid: Real
    model_mid: Real
    bayes: BayesSummaryOut | None
    logging: LoggingRatesOut
    pattern_mixture: PatternMixtureOut | None
    notes: list[str]


class PanelEntryOut(AnalysisResult):
    """One secondary outcome with its BH q-value and whether it is flagged."""

    result: AdjustedDifferenceOut
    q_value: Real
    flagged: bool


class SecondaryPanelOut(AnalysisResult):
    """The exploratory panel of secondary outcomes."""

    label: str
    entries: list[PanelEntryOut]
    n_examined: int
    q: Real


class CategoryContrastOut(AnalysisResult):
    """One category against the reference (lowest) category."""

    category: str
    n_nights: int
    estimate: Real
    ci90: tuple[Real, Real]


class DoseResponseOut(AnalysisResult):
    """Slope per unit of dose (or per hour before bed) among dosed nights."""

    outcome: str
    exposure: str
    unit: str
    label: str
    eligibility: EligibilityOut
    slope: TermEstimateOut | None
    observed_range: tuple[Real, Real] | None
    reference_category: str | None
    categories: list[CategoryContrastOut]
    adjusted_for: list[str]
    not_adjusted_for: dict[str, str]
    model_mid: Real
    notes: list[str]


class InsightsResultOut(AnalysisResult):
    """Everything the insights screen shows."""

    primary: AdjustedDifferenceOut
    secondary: SecondaryPanelOut
    dose: DoseResponseOut
    timing: DoseResponseOut
    summary: list[str]
    dose_summary: list[str]
    does_not_show: list[str]


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
    result: InsightsResultOut | None


class Difference(BaseModel):
    """The adjusted difference on nights with kratom, with its 90% range."""

    estimate: float
    ci90: tuple[float, float]
    ratio: RatioOut | None = Field(description="Ratio of medians, for skewed outcomes.")


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
