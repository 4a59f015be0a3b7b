"""Pre-dose rules about alcohol and sedating medicines taken shortly before the dose.

Windows (looking back from the dose time, inclusive):

* alcohol: :data:`ALCOHOL_WINDOW` = 6 hours. Mitragynine peaks 1-2 hours after a dose
  (``pk-timing``), so a dose taken within a few hours of drinking peaks while the drinks are
  still acting. Six hours covers a typical evening of drinking before a bedtime dose.
* sedating medicines: :data:`MEDICATION_WINDOW` = 12 hours, longer than for alcohol because
  many sedating medicines act for most of a night or longer. Regular medicines are covered by
  the profile check whatever the timing; this rule is about what was taken today.

A medicine counts as sedating when one of its classes has an interaction record marked
``sedating`` (opioids, benzodiazepines, gabapentinoids, Z-drugs, sedating antihistamines,
sedating antipsychotics, muscle relaxants, alcohol, concentrated 7-OH).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bedside.domain.timekeeping import describe_gap, known_zone, local_clock
from bedside.knowledge import InteractionRecord, load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.medications import MedicationMatch, match_medication
from bedside.safety.predose.context import MedicationIntake, PreDoseContext

__all__ = ["ALCOHOL_WINDOW", "MEDICATION_WINDOW", "alcohol_findings", "medication_findings"]

ALCOHOL_WINDOW = timedelta(hours=6)
MEDICATION_WINDOW = timedelta(hours=12)


def _within(ctx: PreDoseContext, window: timedelta, moment: datetime) -> bool:
    """True when ``moment`` falls in ``window`` before the dose (both ends inclusive)."""
    return ctx.dose.at - window <= moment <= ctx.dose.at


def alcohol_findings(ctx: PreDoseContext, today: date) -> list[Finding]:
    """``avoid`` when alcohol was logged in the 6 hours up to the dose."""
    drinks = [
        a for a in ctx.alcohol if a.standard_drinks > 0 and _within(ctx, ALCOHOL_WINDOW, a.at)
    ]
    if not drinks:
        return []
    knowledge = load_knowledge()
    total = sum(a.standard_drinks for a in drinks)
    latest = max(a.at for a in drinks)
    hours = int(ALCOHOL_WINDOW.total_seconds() // 3600)
    unit = "standard drink" if total == 1 else "standard drinks"
    return [
        make_finding(
            id="predose.recent-alcohol",
            severity=Severity.AVOID,
            title="Alcohol logged in the last few hours",
            summary=f"You logged {total:g} {unit} in the {hours} hours before this dose, the "
            f"most recent at {local_clock(latest, known_zone(ctx.timezone))} "
            f"({describe_gap(ctx.dose.at - latest)} before). Kratom levels peak about 1-2 "
            "hours after a dose, while the alcohol is still acting, and the two add to each "
            "other's sedation and slowed breathing.",
            action="Consider leaving kratom out tonight. If you take it anyway, have no more "
            "alcohol and no other sedating medicines tonight.",
            records=[knowledge.interaction("alcohol"), knowledge.fact("pk-timing")],
            today=today,
        )
    ]


def _sedating_records(match: MedicationMatch) -> list[InteractionRecord]:
    knowledge = load_knowledge()
    records = [knowledge.interaction(c) for c in match.classes]
    return sorted((r for r in records if r.sedating), key=lambda r: -r.severity.rank)


def _medication_finding(
    ctx: PreDoseContext, intake: MedicationIntake, match: MedicationMatch, today: date
) -> Finding:
    records = _sedating_records(match)
    main = records[0]
    when = local_clock(intake.at, known_zone(ctx.timezone))
    gap = describe_gap(ctx.dose.at - intake.at)
    return make_finding(
        id=f"predose.recent-medication.{main.id}",
        severity=main.severity,
        title=f"Sedating medicine taken recently: {match.display_name}",
        summary=f"You logged {match.display_name} at {when} ({gap} before this dose). "
        f"{main.summary}",
        action=main.action,
        records=[*records, load_knowledge().fact("pk-timing")],
        today=today,
    )


def _unrecognised_finding(names: list[str], today: date) -> Finding:
    listed = ", ".join(f"'{n}'" for n in dict.fromkeys(names))
    return make_finding(
        id="predose.recent-medication.unrecognised",
        severity=Severity.INFO,
        title="A recent medicine was not recognised",
        summary=f"We couldn't recognise {listed}, taken in the last "
        f"{int(MEDICATION_WINDOW.total_seconds() // 3600)} hours, so we couldn't check it.",
        action="If it makes you drowsy, taking kratom on top adds to the sedation; a "
        "pharmacist can tell you whether it does.",
        records=[load_knowledge().fact("interaction-coverage")],
        today=today,
    )


def medication_findings(ctx: PreDoseContext, today: date) -> list[Finding]:
    """One finding per sedating class taken in the 12 hours up to the dose (latest intake)."""
    recent = sorted(
        (m for m in ctx.medications if _within(ctx, MEDICATION_WINDOW, m.at)),
        key=lambda m: m.at,
        reverse=True,
    )
    findings: dict[str, Finding] = {}
    unknown: list[str] = []
    for intake in recent:
        match = match_medication(intake.name)
        if not match.known:
            unknown.append(intake.name)
        elif _sedating_records(match):
            finding = _medication_finding(ctx, intake, match, today)
            findings.setdefault(finding.id, finding)
    result = list(findings.values())
    if unknown:
        result.append(_unrecognised_finding(unknown, today))
    return result
