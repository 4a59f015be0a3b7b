"""Input and output shapes of randomised self-experiments (CLI, JSON API and pages)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field

from bedside.services.charts_schemas import ChartOut
from bedside.services.insights_schemas import (
    AnalysisResult,
    BayesSummaryOut,
    Real,
    TermEstimateOut,
)
from bedside.services.schema_base import Schema

Level = Annotated[str, Field(min_length=1, max_length=120)]
AssignmentStatus = Literal["not_started", "run_in", "assigned", "not_drawn", "finished", "stopped"]


class ExperimentIn(Schema):
    """A plan: chosen before the first night and never changed afterwards.

    ``threshold`` is the worth-it difference (default: the outcome's usual threshold);
    ``start`` defaults to tomorrow night; ``reference`` defaults to the "no kratom"-like
    level, else the first level.
    """

    question: Annotated[str, Field(min_length=1, max_length=500)]
    outcome: Annotated[str, Field(min_length=1, max_length=64)] = "quality"
    threshold: float | None = None
    pairs: int = 6
    nights: int = 7
    washout: int = 1
    run_in: int = 0
    start: date | None = None
    levels: Annotated[list[Level], Field(min_length=2, max_length=4)] = Field(
        default_factory=lambda: ["kratom", "no kratom"]
    )
    reference: Level | None = None
    early_stopping: bool = False


class BlockDrawOut(BaseModel):
    """One block's order as recorded when it was drawn.

    ``drawn_before_start``: drawn no later than the target bedtime of the block's first
    night, so before any outcome of the block existed.
    """

    block: int
    first_night: date
    order: list[str]
    randomised_at: str
    drawn_before_start: bool


class ScheduledNightOut(BaseModel):
    """One night of the schedule; ``condition`` is None for run-in and undrawn blocks."""

    night: date
    block: int | None
    period: int | None
    condition: str | None
    washout: bool
    run_in: bool
    followed: bool | None = None


class ExperimentOut(BaseModel):
    """An experiment: its plan, state and the blocks drawn so far (blocks count from 1)."""

    id: int
    question: str
    outcome: str
    outcome_label: str
    lower_is_better: bool
    threshold: float
    levels: list[str]
    reference: str
    pairs: int
    nights_per_period: int
    washout_nights: int
    run_in_nights: int
    start: date
    end: date
    seed: int
    early_stopping: bool
    status: str
    created_at: str
    stopped_at: str | None
    stopped_night: date | None
    smallest_possible_p: float
    warnings: list[str]
    draws: list[BlockDrawOut]
    schedule: list[ScheduledNightOut] = Field(default_factory=list)
    precision: PrecisionOut | None = None
    adherence: dict[str, int] | None = None


class PrecisionAvailableOut(BaseModel):
    """The precision a plan can expect, from the nights its planning inputs were fixed on."""

    model_config = ConfigDict(extra="forbid")

    available: Literal[True]
    based_on: str = Field(description="Which nights the figures come from, in words.")
    nights_logged: int
    window_nights: int
    fixed_on: date
    sd_night: Real
    phi: Real
    sd_pair: Real
    analysable_nights: int
    pairs_needed: int
    planned_pairs: int
    expected_half_width95: Real
    min_randomisation_p: Real
    source: str
    notes: list[str]


class PrecisionUnavailableOut(BaseModel):
    """Why the precision cannot be told yet (too few nights logged when it was fixed)."""

    model_config = ConfigDict(extra="forbid")

    available: Literal[False]
    based_on: None = None
    nights_logged: int
    fixed_on: date
    message: str


#: The expected precision of a plan, or why it cannot be told yet (``available`` tells which).
PrecisionOut: TypeAlias = Annotated[
    PrecisionAvailableOut | PrecisionUnavailableOut, Field(discriminator="available")
]


class AssignmentOut(BaseModel):
    """What a night of the experiment asks for (blocks and periods count from 1)."""

    experiment_id: int
    question: str
    night: date
    status: AssignmentStatus
    condition: str | None
    block: int | None
    period: int | None
    night_in_period: int | None
    washout: bool
    run_in: bool
    instruction: str


class PeriodSummaryOut(AnalysisResult):
    """One period: its condition, analysable nights and mean."""

    block: int | str
    period: int | str
    condition: str
    n_nights: int
    mean: Real
    sd: Real
    first_day: int | None
    last_day: int | None
    counts: bool


class PairDifferenceOut(AnalysisResult):
    """One complete block: mean(treatment periods) - mean(reference periods)."""

    block: int | str
    treatment_mean: Real
    control_mean: Real
    difference: Real


class PairedEstimateOut(AnalysisResult):
    """Mean pair difference with its t-based intervals and two-sided p-value."""

    k: int
    estimate: Real
    se: Real
    df: int
    ci95: tuple[Real, Real] | None
    ci90: tuple[Real, Real] | None
    p_value: Real
    note: str | None


class RandomisationTestOut(AnalysisResult):
    """A randomisation test: p-value, the smallest achievable p and how it was computed."""

    p_value: Real
    min_p: Real
    n_assignments: int
    exact: bool


class NonOverlapOut(AnalysisResult):
    """NAP and the counts behind it (comparisons = n_treatment x n_control)."""

    nap: Real
    wins: Real
    comparisons: int


class LevelComparisonOut(AnalysisResult):
    """One level against the reference, at period level (primary) and night level."""

    level: str
    reference: str
    pairs: list[PairDifferenceOut]
    paired: PairedEstimateOut
    randomisation: RandomisationTestOut
    bayes: BayesSummaryOut | None
    nonoverlap: NonOverlapOut
    night_model: TermEstimateOut | None
    night_model_note: str | None


class CarryOverCheckOut(AnalysisResult):
    """Mean (first analysable night - later nights) after each switch, per condition."""

    n_switches: int
    gap_by_condition: dict[str, Real]
    flagged: bool
    advice: str | None


class AdherenceOut(AnalysisResult):
    """How many assigned nights followed their assignment (shown beside, not mixed in)."""

    assigned_nights: int
    followed: int
    not_followed: int
    unknown: int


class ExperimentResultOut(AnalysisResult):
    """Everything the experiment screen and report show."""

    status: Literal["in_progress", "interim", "complete"]
    complete_blocks: int
    planned_blocks: int
    periods: list[PeriodSummaryOut]
    comparisons: list[LevelComparisonOut]
    omnibus: RandomisationTestOut | None
    carry_over: CarryOverCheckOut | None
    adherence: AdherenceOut | None
    messages: list[str]
    stop_early: bool


class ExperimentAnalysisOut(BaseModel):
    """The analysis so far: status, lay sentences, exact numbers and what it cannot show.

    ``result`` holds everything the analysis computed (blocks and periods count from 1);
    ``precision`` the expected precision frozen in the plan.
    """

    experiment: ExperimentOut
    status: Literal["in_progress", "interim", "complete"] = Field(
        description="`in_progress` before 3 complete blocks: no number is shown then."
    )
    as_of: date
    label: str
    summary: list[str]
    does_not_show: list[str]
    result: ExperimentResultOut
    precision: PrecisionOut


class ChanceOut(BaseModel):
    """The chance of a benefit under one prior, in words a person reads."""

    name: str
    any: str = Field(description="Chance of any benefit, as a percentage.")
    over_mid: str = Field(description="Chance of a benefit over the threshold.")
    band: str = Field(description="That chance in words.")


class ComparisonView(BaseModel):
    """One level against the reference, as the Experiments page shows it."""

    level: str | None
    reference: str | None
    paired: PairedEstimateOut | None
    randomisation: RandomisationTestOut | None
    chances: list[ChanceOut]
    prior_sensitive: bool | None
    nap: str | None = Field(description="Non-overlap of all pairs, as a percentage.")
    night_model: TermEstimateOut | None
    night_model_note: str | None


class AnalysisFigures(BaseModel):
    """The analysis figures of the page: only ``in_progress`` before 3 complete pairs."""

    in_progress: bool
    comparisons: list[ComparisonView] = Field(default_factory=list)
    carry_over: CarryOverCheckOut | None = None
    messages: list[str] = Field(default_factory=list)
    complete_blocks: int | None = None
    planned_blocks: int | None = None


class ExperimentPageOut(BaseModel):
    """The Experiments page for one experiment: plan, analysis, figures, tonight and charts."""

    experiment: ExperimentOut
    analysis: ExperimentAnalysisOut
    figures: AnalysisFigures
    tonight: date
    assignment: AssignmentOut | None
    active: bool
    charts: list[ChartOut]
