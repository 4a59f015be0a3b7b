"""Pre-dose rule about a second dose soon after the first.

A dose counts as a repeat of an earlier one when the earlier dose was logged on the same
evening (nights run noon to noon, :func:`bedside.domain.timekeeping.night_of`), or less than
the person's own lead time before it, or in the same minute (a double tap). Levels peak about
1-2 hours after a dose (``pk-timing``), so a second dose lands on top of the first. The
finding is ``caution`` and names the earlier dose's amount and time; front ends ask the person
to acknowledge it before they log the extra dose, and logging is never refused.
"""

from __future__ import annotations

from datetime import date, timedelta

from bedside.domain.timekeeping import describe_gap, local_clock, night_of
from bedside.domain.timekeeping import known_zone as zone
from bedside.knowledge import load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.predose.context import PastDose, PreDoseContext

__all__ = ["SAME_MINUTE", "SECOND_DOSE_ID", "earlier_doses_tonight", "second_dose_findings"]

SECOND_DOSE_ID = "predose.second-dose"
SAME_MINUTE = timedelta(minutes=1)
_ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def earlier_doses_tonight(ctx: PreDoseContext) -> list[PastDose]:
    """Doses logged before this one on the same evening, within the lead time or minute."""
    tz = zone(ctx.timezone)
    evening = night_of(ctx.dose.at, tz)
    lead = max(timedelta(minutes=ctx.lead_minutes), SAME_MINUTE)

    def repeats(past: PastDose) -> bool:
        gap = ctx.dose.at - past.at
        return gap >= timedelta(0) and (night_of(past.at, tz) == evening or gap < lead)

    return sorted((d for d in ctx.recent_doses if repeats(d)), key=lambda d: d.at)


def _ordinal(count: int) -> str:
    return _ORDINALS.get(count, f"{count}th")


def second_dose_findings(ctx: PreDoseContext, today: date) -> list[Finding]:
    """``caution`` when a dose was already logged this evening or within the lead time."""
    earlier = earlier_doses_tonight(ctx)
    if not earlier:
        return []
    last = earlier[-1]
    amount = f"{last.grams:g} g" if last.grams is not None else "a dose"
    when = local_clock(last.at, zone(ctx.timezone))
    gap = describe_gap(ctx.dose.at - last.at)
    nth = _ordinal(len(earlier) + 1)
    knowledge = load_knowledge()
    return [
        make_finding(
            id=SECOND_DOSE_ID,
            severity=Severity.CAUTION,
            title=f"This would be a {nth} dose",
            summary=f"You logged {amount} at {when} ({gap} before this one); this would be a "
            f"{nth} dose. Levels peak about 1-2 hours after a dose, so the earlier one may "
            "still be building and the two add up.",
            action="If this is the same dose logged twice, delete the extra one in History. "
            "If you mean to take more, that is your call.",
            records=[knowledge.fact("pk-timing"), knowledge.fact("dose-effects-unestablished")],
            today=today,
        )
    ]
