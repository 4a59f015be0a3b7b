"""Pre-dose rules about the person's own caps, daily use and timing before bed.

* Caps are the person's own settings, never ours. A finding appears only when the dose goes
  *above* a cap (equal is within it): per dose; per rolling 24 hours (doses later than 24
  hours before this dose, plus this dose); days per week (distinct use days in the 7 local
  days ending on this dose's day, this one included). Doses without an amount still count
  as a use day, and are reported as making the 24-hour total uncertain rather than being
  treated as zero.
* Consecutive days: :data:`CONSECUTIVE_DAYS_THRESHOLD` = 7 use days in a row including this
  one gives a ``monitor`` finding. With nightly use mitragynine reaches a steady level after
  about a week (``pk-timing``), and dosing frequency tracks tolerance and withdrawal more
  closely than amount (``dependence-frequency``).
* Bedtime: an ``info`` finding when the dose is closer to the planned bedtime than the
  person's own lead time (strictly less, ``predose.bedtime-lead``), and a finding of its own
  when it is after the bedtime by up to :data:`AFTER_BEDTIME_WINDOW` (6 hours: still up late,
  or up in the night; ``predose.after-bedtime``). A dose later than that is a daytime dose,
  not a late one, and gets no bedtime finding.

Use days are night keys (:func:`bedside.domain.timekeeping.night_of`): a dose before 12:00
local belongs to the previous evening's night, like every other day in Bedside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bedside.domain.timekeeping import night_of
from bedside.knowledge import FactRecord, load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.predose.context import Caps, PastDose, PreDoseContext

__all__ = [
    "AFTER_BEDTIME_WINDOW",
    "CONSECUTIVE_DAYS_THRESHOLD",
    "UsageSummary",
    "bedtime_findings",
    "cap_findings",
    "consecutive_day_findings",
    "summarise_usage",
    "within_caps",
]

CONSECUTIVE_DAYS_THRESHOLD = 7
AFTER_BEDTIME_WINDOW = timedelta(hours=6)
ROLLING_DAY = timedelta(hours=24)
WEEK_DAYS = 7
_EPSILON = 1e-9


@dataclass(frozen=True)
class UsageSummary:
    """Figures around the dose under check (this dose included)."""

    grams_last_24h: float
    doses_without_amount_24h: int
    days_used_last_7: int
    consecutive_days: int
    minutes_before_bedtime: float | None


def _history(ctx: PreDoseContext) -> list[PastDose]:
    """Logged doses up to the dose time, plus the dose under check."""
    past = [d for d in ctx.recent_doses if d.at <= ctx.dose.at]
    return [*past, PastDose(at=ctx.dose.at, grams=ctx.dose.grams)]


def _consecutive(days: set[date], last: date) -> int:
    count = 0
    while last - timedelta(days=count) in days:
        count += 1
    return count


def summarise_usage(ctx: PreDoseContext, tz: ZoneInfo) -> UsageSummary:
    """Totals for the rolling 24 hours, the last 7 local days and the current run of days."""
    history = _history(ctx)
    window = [d for d in history if d.at > ctx.dose.at - ROLLING_DAY]
    days = {night_of(d.at, tz) for d in history}
    today = night_of(ctx.dose.at, tz)
    week = {today - timedelta(days=i) for i in range(WEEK_DAYS)}
    bedtime = ctx.bedtime
    return UsageSummary(
        grams_last_24h=sum(d.grams for d in window if d.grams is not None),
        doses_without_amount_24h=sum(1 for d in window if d.grams is None),
        days_used_last_7=len(days & week),
        consecutive_days=_consecutive(days, today),
        minutes_before_bedtime=(
            (bedtime - ctx.dose.at).total_seconds() / 60 if bedtime is not None else None
        ),
    )


_CAP_TITLES = {
    "per-dose": "Above the per-dose cap you set",
    "per-dose-unknown": "Per-dose cap not checked: no amount",
    "per-day": "Above the 24-hour cap you set",
    "per-day-unknown": "24-hour total incomplete",
    "days-per-week": "Above the days-per-week cap you set",
}


def _cap_finding(kind: str, summary: str, severity: Severity, today: date) -> Finding:
    knowledge = load_knowledge()
    records: list[FactRecord] = [
        knowledge.fact("dependence-frequency"),
        knowledge.fact("dose-effects-unestablished"),
    ]
    return make_finding(
        id=f"predose.cap.{kind}",
        severity=severity,
        title=_CAP_TITLES[kind],
        summary=summary,
        action="Your caps are yours to keep or change. If you go ahead, it will be logged as "
        "usual; if going over your caps keeps happening, the signals view can help you see "
        "the pattern.",
        records=records,
        today=today,
    )


def _per_dose(ctx: PreDoseContext, today: date) -> list[Finding]:
    cap = ctx.caps.per_dose_g
    grams = ctx.dose.grams
    if cap is None:
        return []
    if grams is None:
        text = f"No amount was entered, so this dose couldn't be compared with your {cap:g} g cap."
        return [_cap_finding("per-dose-unknown", text, Severity.INFO, today)]
    if grams <= cap + _EPSILON:
        return []
    text = f"This dose ({grams:g} g) is above the per-dose cap you set ({cap:g} g)."
    return [_cap_finding("per-dose", text, Severity.CAUTION, today)]


def _per_day(ctx: PreDoseContext, usage: UsageSummary, today: date) -> list[Finding]:
    cap = ctx.caps.per_day_g
    if cap is None:
        return []
    total, missing = usage.grams_last_24h, usage.doses_without_amount_24h
    caveat = (
        f" {missing} dose(s) in that time have no amount logged, so the real total may be higher."
        if missing
        else ""
    )
    if total > cap + _EPSILON:
        text = (
            f"With this dose, {total:g} g is logged in the last 24 hours, above the 24-hour cap "
            f"you set ({cap:g} g).{caveat}"
        )
        return [_cap_finding("per-day", text, Severity.CAUTION, today)]
    if missing:
        text = f"{total:g} g is logged in the last 24 hours including this dose.{caveat}"
        return [_cap_finding("per-day-unknown", text, Severity.INFO, today)]
    return []


def _days_per_week(ctx: PreDoseContext, usage: UsageSummary, today: date) -> list[Finding]:
    cap = ctx.caps.days_per_week
    if cap is None or usage.days_used_last_7 <= cap:
        return []
    text = (
        f"This would make {usage.days_used_last_7} days with kratom in the last 7 days, above "
        f"the {cap} days a week you set."
    )
    return [_cap_finding("days-per-week", text, Severity.CAUTION, today)]


def cap_findings(ctx: PreDoseContext, usage: UsageSummary, today: date) -> list[Finding]:
    """Findings for going above the person's own per-dose, 24-hour and weekly caps."""
    return [
        *_per_dose(ctx, today),
        *_per_day(ctx, usage, today),
        *_days_per_week(ctx, usage, today),
    ]


def consecutive_day_findings(usage: UsageSummary, today: date) -> list[Finding]:
    """``monitor`` when this dose makes 7 or more use days in a row."""
    days = usage.consecutive_days
    if days < CONSECUTIVE_DAYS_THRESHOLD:
        return []
    knowledge = load_knowledge()
    return [
        make_finding(
            id="predose.consecutive-days",
            severity=Severity.MONITOR,
            title=f"Day {days} in a row",
            summary=f"This would be day {days} in a row with kratom logged. With daily use, "
            "mitragynine builds up and reaches a steady level after about a week, and how "
            "often people dose is linked to tolerance and withdrawal more closely than how "
            "much they take.",
            action="If you want to keep tolerance in check, some people plan regular days off. "
            "The signals view shows your longer-term pattern.",
            records=[knowledge.fact("pk-timing"), knowledge.fact("dependence-frequency")],
            today=today,
        )
    ]


def bedtime_findings(ctx: PreDoseContext, usage: UsageSummary, today: date) -> list[Finding]:
    """``info`` when the dose is closer to the planned bedtime than the lead time, or after it."""
    minutes = usage.minutes_before_bedtime
    if minutes is None or minutes >= ctx.lead_minutes:
        return []
    if -minutes > AFTER_BEDTIME_WINDOW.total_seconds() / 60:
        return []  # long after last night's bedtime: a daytime dose, not a late one
    knowledge = load_knowledge()
    records = [knowledge.fact("bedtime-timing"), knowledge.fact("pk-timing")]
    if minutes < 0:
        return [
            make_finding(
                id="predose.after-bedtime",
                severity=Severity.INFO,
                title="After the bedtime you planned",
                summary=f"This dose is {round(-minutes)} minutes after the bedtime you planned. "
                "Levels peak about 1-2 hours after a dose, so its effects will be building "
                "while you are trying to sleep.",
                action="If late doses like this keep happening, a later bedtime or an earlier "
                "dose may suit your evenings better; it's your call.",
                records=records,
                today=today,
            )
        ]
    return [
        make_finding(
            id="predose.bedtime-lead",
            severity=Severity.INFO,
            title="Closer to bedtime than your lead time",
            summary=f"This dose is {round(minutes)} minutes before the bedtime you planned; you "
            f"set a lead time of {ctx.lead_minutes} minutes. Levels peak about 1-2 hours after "
            "a dose, so its effects will still be building as you go to bed.",
            action="You could move the dose earlier or your bedtime later on nights like this; "
            "it's your call.",
            records=records,
            today=today,
        )
    ]


def within_caps(grams: float | None, caps: Caps) -> bool:
    """True when ``grams`` is no more than the per-dose and 24-hour caps the person set.

    With no caps set any amount is within them; an unknown amount is within them only when
    no amount cap is set (it cannot be compared).
    """
    limits = [c for c in (caps.per_dose_g, caps.per_day_g) if c is not None]
    if not limits:
        return True
    return grams is not None and all(grams <= c + _EPSILON for c in limits)
