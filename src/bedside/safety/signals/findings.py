"""Findings from the signals: factual, non-judgemental, with options rather than verdicts.

Thresholds (each a ``monitor`` unless noted):

* frequency: 6 or more use days a week among known days in the last 28 days, with at least
  14 known days; or a rise of 1 or more day a week against the previous 28 days.
* current streak: 7+ days ``monitor``, 28+ days ``caution``.
* dose creep: recent mean daily grams 25%+ above the mean 4 or 8 weeks earlier, ``caution``
  from 50%.
* first dose moving 15+ minutes earlier per week over 8 weeks.
* doses per use day up by 0.5 or more, to at least 1.5.
* check-ins: a mean of 5/10 or more over the last 7 days, or 2+ points above the previous
  21 days (at least 2 ratings in each window).
* weekly cap (the person's own days-per-week cap, when set): the 28-day rate among known days
  above the cap is ``caution`` when at least 14 days are known or the rate is above the cap
  even if every unlogged day had no kratom; with fewer known days it is ``monitor``. A rate
  among known days at or under the cap is not flagged.
* coverage (``info``): 14 or more of the last 28 days have nothing logged.

Every finding's action offers options (a planned break, a gradual taper, a clinician) and, in
the US, the SAMHSA National Helpline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bedside.knowledge import FactRecord, load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.signals.days import FrequencyWindow, Streak
from bedside.safety.signals.ratings import RatingSummary
from bedside.safety.signals.trends import DoseCreep, DosesPerDay, TimingDrift

__all__ = ["SignalParts", "signal_findings"]

NEAR_DAILY = 6.0
MIN_KNOWN_DAYS = 14
FREQUENCY_RISE = 1.0
STREAK_MONITOR = 7
STREAK_CAUTION = 28
CREEP_MONITOR = 0.25
CREEP_CAUTION = 0.5
EARLIER_DRIFT = -15.0
DOSES_RISE = 0.5
DOSES_FLOOR = 1.5
RATING_HIGH = 5.0
RATING_RISE = 2.0
MIN_RATINGS = 2
COVERAGE_GAP = 14
_EPSILON = 1e-9

OPTIONS = (
    "Options, if you want them: plan breaks on set days, cut down gradually (a taper) rather "
    "than stopping all at once, or talk it over with a clinician; buprenorphine-based "
    "treatment is used for kratom dependence."
)
CAP_ACTION = (
    "Your cap is yours to keep or change. If you want to get back under it, some people "
    "plan their days off in advance. "
)
HELPLINE = (
    " In the US, SAMHSA's National Helpline (1-800-662-4357) is free, confidential and open "
    "24 hours a day."
)


@dataclass(frozen=True)
class SignalParts:
    """The computed signals a finding can draw on."""

    windows: tuple[FrequencyWindow, ...]
    current: Streak | None
    creep: DoseCreep
    timing: TimingDrift
    doses: DosesPerDay
    ratings: tuple[RatingSummary, ...]
    region: str | None
    today: date
    weekly_cap: int | None = None


def _finding(
    parts: SignalParts,
    key: str,
    severity: Severity,
    title: str,
    summary: str,
    facts: list[str],
    action: str = "",
) -> Finding:
    knowledge = load_knowledge()
    records: list[FactRecord] = [knowledge.fact(f) for f in facts]
    records.append(knowledge.fact("dependence-treatment"))
    action += OPTIONS
    if parts.region is not None and parts.region.strip().upper().startswith("US"):
        action += HELPLINE
        records.append(knowledge.fact("samhsa-helpline"))
    return make_finding(
        id=f"signals.{key}",
        severity=severity,
        title=title,
        summary=summary,
        action=action,
        records=records,
        today=parts.today,
    )


def _frequency(parts: SignalParts) -> list[Finding]:
    now = parts.windows[0]
    rate = now.days_per_week
    if rate is None or now.known_days < MIN_KNOWN_DAYS:
        return []
    before = parts.windows[1] if len(parts.windows) > 1 else None
    prior = before.days_per_week if before and before.known_days >= MIN_KNOWN_DAYS else None
    rising = prior is not None and rate - prior >= FREQUENCY_RISE
    if rate < NEAR_DAILY and not rising:
        return []
    summary = (
        f"In the last 4 weeks you logged kratom on {now.used_days} of the {now.known_days} "
        f"days you logged anything (about {rate:.1f} days a week)."
    )
    if now.unknown_days:
        summary += f" {now.unknown_days} days have no logs and are counted neither way."
    if rising and prior is not None:
        summary += f" In the 4 weeks before, it was about {prior:.1f} days a week."
    summary += (
        " How often people take kratom is linked to tolerance and withdrawal more closely "
        "than how much."
    )
    return [
        _finding(
            parts,
            "frequency",
            Severity.MONITOR,
            "How often you use kratom",
            summary,
            ["dependence-frequency"],
        )
    ]


def _weekly_cap(parts: SignalParts) -> list[Finding]:
    cap, now = parts.weekly_cap, parts.windows[0]
    rate = now.days_per_week
    if cap is None or rate is None or rate <= cap + _EPSILON:
        return []
    certain = now.days_per_week_low > cap + _EPSILON
    enough = certain or now.known_days >= MIN_KNOWN_DAYS
    summary = (
        f"In the last 4 weeks you logged kratom on {now.used_days} of the {now.known_days} "
        f"days you logged anything: about {rate:.1f} days a week, above the {cap} days a week "
        "you set."
    )
    if now.unknown_days:
        summary += (
            f" {now.unknown_days} days have no logs; counting them as days without or with "
            f"kratom gives {now.days_per_week_low:.1f} to {now.days_per_week_high:.1f} days "
            "a week."
        )
        if certain:
            summary += " Even if none of them had kratom, that is above your cap."
    if not enough:
        summary += f" Only {now.known_days} days are logged, so this is an early sign."
    summary += (
        " How often people take kratom is linked to tolerance and withdrawal more closely "
        "than how much."
    )
    return [
        _finding(
            parts,
            "weekly-cap",
            Severity.CAUTION if enough else Severity.MONITOR,
            "Above the days-per-week cap you set",
            summary,
            ["dependence-frequency"],
            action=CAP_ACTION,
        )
    ]


def _streak(parts: SignalParts) -> list[Finding]:
    streak = parts.current
    if streak is None or streak.days < STREAK_MONITOR:
        return []
    severity = Severity.CAUTION if streak.days >= STREAK_CAUTION else Severity.MONITOR
    summary = (
        f"You have logged kratom {streak.days} days in a row, since {streak.start.isoformat()}."
    )
    if streak.may_be_longer:
        summary += " The day before that has no logs, so the run may be longer."
    summary += " With daily use mitragynine stays at a steady level in the body."
    return [
        _finding(
            parts,
            "streak",
            severity,
            f"{streak.days} days in a row",
            summary,
            ["pk-timing", "dependence-frequency"],
        )
    ]


def _creep(parts: SignalParts) -> list[Finding]:
    creep = parts.creep
    comparisons = [
        (change, then, label)
        for change, then, label in (
            (creep.change_vs_4_weeks, creep.four_weeks_ago_mean_g, "4 weeks earlier"),
            (creep.change_vs_8_weeks, creep.eight_weeks_ago_mean_g, "8 weeks earlier"),
        )
        if change is not None and then is not None
    ]
    if not comparisons or creep.recent_mean_g is None:
        return []
    change, then, label = max(comparisons, key=lambda c: c[0])
    if change < CREEP_MONITOR:
        return []
    severity = Severity.CAUTION if change >= CREEP_CAUTION else Severity.MONITOR
    summary = (
        f"On the days you used kratom in the last 7 days, your daily total averaged "
        f"{creep.recent_mean_g:.1f} g, against {then:.1f} g in the same week {label} "
        f"(up {change:.0%})."
    )
    if creep.slope_g_per_week is not None:
        summary += f" Over 8 weeks the trend is {creep.slope_g_per_week:+.2f} g a week."
    summary += " Needing more for the same effect is a common sign of tolerance."
    return [
        _finding(
            parts,
            "dose-creep",
            severity,
            "Your daily amount has risen",
            summary,
            ["dependence-frequency", "dose-effects-unestablished"],
        )
    ]


def _timing(parts: SignalParts) -> list[Finding]:
    slope = parts.timing.slope_minutes_per_week
    if slope is None or slope > EARLIER_DRIFT:
        return []
    summary = (
        f"Your first dose of the day has moved earlier by about {abs(slope):.0f} minutes a "
        "week over the last 8 weeks"
    )
    earlier, recent = parts.timing.earlier_median_first_dose, parts.timing.recent_median_first_dose
    if earlier and recent:
        summary += f" (typically {earlier} a month or two ago, {recent} recently)"
    summary += "."
    return [
        _finding(
            parts,
            "earlier-doses",
            Severity.MONITOR,
            "Doses are moving earlier in the day",
            summary,
            ["dosing-earlier", "dependence-frequency"],
        )
    ]


def _doses(parts: SignalParts) -> list[Finding]:
    now, before = parts.doses.recent, parts.doses.previous
    if now is None or before is None or now - before < DOSES_RISE or now < DOSES_FLOOR:
        return []
    summary = (
        f"You logged {now:.1f} doses per use day in the last 4 weeks, up from {before:.1f} "
        "in the 4 weeks before."
    )
    return [
        _finding(
            parts,
            "doses-per-day",
            Severity.MONITOR,
            "More doses per day",
            summary,
            ["dependence-frequency"],
        )
    ]


def _flagged(item: RatingSummary) -> str | None:
    mean = item.mean_last_7
    if mean is None or item.count_last_7 < MIN_RATINGS:
        return None
    prior = item.mean_previous_21 if item.count_previous_21 >= MIN_RATINGS else None
    if prior is not None and mean - prior >= RATING_RISE:
        return f"{item.short} averaged {mean:.1f}/10, up from {prior:.1f}"
    if mean >= RATING_HIGH:
        return f"{item.short} averaged {mean:.1f}/10"
    return None


def _ratings(parts: SignalParts) -> list[Finding]:
    flagged = [text for text in map(_flagged, parts.ratings) if text is not None]
    if not flagged:
        return []
    summary = (
        f"In your check-ins over the last 7 days, {'; '.join(flagged)}. These can be signs "
        "of craving or of withdrawal between doses."
    )
    return [
        _finding(
            parts,
            "check-ins",
            Severity.MONITOR,
            "Your check-ins have changed",
            summary,
            ["self-rating-items", "withdrawal-symptoms"],
        )
    ]


def _coverage(parts: SignalParts) -> list[Finding]:
    gap = parts.windows[0].unknown_days
    if gap < COVERAGE_GAP:
        return []
    knowledge = load_knowledge()
    return [
        make_finding(
            id="signals.coverage",
            severity=Severity.INFO,
            title="Many days without logs",
            summary=f"{gap} of the last 28 days have nothing logged. Those days count as "
            "unknown, not as days with or without kratom, so these signals describe only the "
            "days you logged.",
            action="Logging something each day, even 'no kratom today', makes these signals "
            "more reliable.",
            records=[knowledge.fact("dependence-frequency")],
            today=parts.today,
        )
    ]


def signal_findings(parts: SignalParts) -> list[Finding]:
    """All signal findings, in a fixed order (sort them with ``sort_findings``)."""
    return [
        *_frequency(parts),
        *_weekly_cap(parts),
        *_streak(parts),
        *_creep(parts),
        *_timing(parts),
        *_doses(parts),
        *_ratings(parts),
        *_coverage(parts),
    ]
