"""Typed results of the safety use cases: findings, matches, legal records, signals.

The rules in :mod:`bedside.safety` return frozen dataclasses; at the service boundary they
become these Pydantic models (``model_validate(obj, from_attributes=True)`` reads fields
and properties alike), so the JSON API documents every field and the pages and the CLI
render the same typed values. The field names and order are the JSON contract of
``bedside check --json``, ``legal CODE --json``, ``signals --json`` and the API.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from bedside.knowledge.models import LegalCategory, Severity
from bedside.safety.matching import MatchKind
from bedside.services.finding_schema import FindingOut, Precision
from bedside.services.finding_schema import FromRules as _FromRules

__all__ = [
    "ConditionMatchOut",
    "DoseCreepOut",
    "DosesPerDayOut",
    "FindingOut",
    "FrequencyWindowOut",
    "LegalChainEntryOut",
    "LegalStatusOut",
    "MatchKind",
    "MedicationMatchOut",
    "RatingSummaryOut",
    "SafetyCheckOut",
    "SafetyOverviewOut",
    "Severity",
    "SignalsOut",
    "StreakOut",
    "TimingDriftOut",
]


class MedicationMatchOut(_FromRules):
    """How one typed medicine was read (``how`` is ``unknown`` when it was not recognised)."""

    text: str
    how: MatchKind
    generic: str | None
    brand: str | None
    display_name: str
    classes: list[str]
    class_labels: list[str]
    matched_name: str | None
    score: float | None
    partial: bool
    confirmation: str | None = Field(description="A question to confirm a fuzzy match.")
    suggestions: list[str]
    note: str | None
    sources: list[str]

    @property
    def known(self) -> bool:
        """True when the input was recognised as a medicine or substance."""
        return self.how is not MatchKind.UNKNOWN


class ConditionMatchOut(_FromRules):
    """How one typed condition was read."""

    text: str
    how: MatchKind
    condition_id: str | None
    title: str | None
    matched_name: str | None
    score: float | None
    confirmation: str | None = Field(description="A question to confirm a fuzzy match.")
    suggestions: list[str]

    @property
    def known(self) -> bool:
        """True when the input was recognised."""
        return self.how is not MatchKind.UNKNOWN


class LegalChainEntryOut(_FromRules):
    """One legal record considered, from the locality up to the country."""

    code: str
    name: str
    level: str
    status: LegalCategory
    seven_oh_status: LegalCategory | None
    age_minimum: int | None
    summary: str
    as_of: date
    as_of_precision: Precision
    checked_on: date
    dates: str
    stale: bool
    uncertain: bool
    uncertainty_note: str | None
    sources: list[str]


class LegalStatusOut(_FromRules):
    """The most restrictive status on the chain, the record that decided it, and the chain."""

    code: str
    name: str
    status: LegalCategory
    age_minimum: int | None
    as_of: date
    as_of_precision: Precision
    checked_on: date
    dates: str
    sources: list[str]
    chain: list[LegalChainEntryOut]
    seven_oh_status: LegalCategory
    decided_by: str
    notes: str
    stale: bool
    uncertain: bool


class SafetyCheckOut(_FromRules):
    """Interaction, condition and legal findings, with how each name was read."""

    findings: list[FindingOut]
    medications: list[MedicationMatchOut]
    conditions: list[ConditionMatchOut]
    unknown_medications: list[str]
    unknown_conditions: list[str]
    legal: LegalStatusOut | None
    legal_finding: FindingOut | None


class SafetyOverviewOut(BaseModel):
    """The Safety screen: the profile as checked, an ad hoc check and a legal lookup.

    ``problems`` maps a field (``region``, ``code``) to a message for an ad hoc input that
    could not be read; the rest of the screen is still answered.
    """

    medications: list[str]
    conditions: list[str]
    region: str | None
    advice: str = Field(description="Not medical advice: who to talk to.")
    mine: SafetyCheckOut
    adhoc: SafetyCheckOut | None = None
    legal: LegalStatusOut | None = None
    problems: dict[str, str] = Field(default_factory=dict)

    model_config = ConfigDict(defer_build=True)


class FrequencyWindowOut(_FromRules):
    """Use in one 28-day window; rates are days per week (unknown days kept unknown)."""

    start: date
    end: date
    used_days: int
    non_use_days: int
    unknown_days: int
    known_days: int
    days_per_week: float | None = Field(description="Among known days; null when none is.")
    days_per_week_low: float = Field(description="If every unknown day had no use.")
    days_per_week_high: float = Field(description="If every unknown day had use.")


class StreakOut(_FromRules):
    """A run of consecutive use days; ``may_be_longer`` when it touches an unknown day."""

    start: date
    end: date
    days: int
    may_be_longer: bool


class DoseCreepOut(_FromRules):
    """Mean grams per use day now and 4 and 8 weeks ago, with changes and an 8-week slope."""

    recent_mean_g: float | None
    four_weeks_ago_mean_g: float | None
    eight_weeks_ago_mean_g: float | None
    change_vs_4_weeks: float | None
    change_vs_8_weeks: float | None
    slope_g_per_week: float | None


class DosesPerDayOut(_FromRules):
    """Mean doses per use day in the last 4 weeks and the 4 weeks before."""

    recent: float | None
    previous: float | None


class TimingDriftOut(_FromRules):
    """How the local time of the day's first dose is moving (negative: earlier)."""

    slope_minutes_per_week: float | None
    recent_median_first_dose: str | None
    earlier_median_first_dose: str | None
    days_with_doses: int


class RatingSummaryOut(_FromRules):
    """One check-in question summarised over the last 7 and the 21 days before."""

    item: str
    short: str
    withdrawal: bool
    count_last_7: int
    mean_last_7: float | None
    count_previous_21: int
    mean_previous_21: float | None
    latest_score: int | None
    latest_day: date | None


class SignalsOut(_FromRules):
    """Dependence and tolerance signals, plus the findings drawn from them."""

    today: date
    timezone: str
    weekly_cap: int | None
    first_logged_day: date | None
    windows: list[FrequencyWindowOut] = Field(description="28-day windows, most recent first.")
    longest_streak: StreakOut | None
    current_streak: StreakOut | None
    dose_creep: DoseCreepOut
    doses_per_day: DosesPerDayOut
    timing: TimingDriftOut
    ratings: list[RatingSummaryOut]
    findings: list[FindingOut]
