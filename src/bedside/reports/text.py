"""The clinician report as plain text for the terminal (``bedside report`` without a file)."""

from __future__ import annotations

from bedside.reports.clinician import hours_minutes, number, spread_text
from bedside.reports.model import ClinicianReport


def render_text(report: ClinicianReport) -> str:
    """A readable summary: the period, sleep, kratom use, pain, co-use, findings, limits."""
    p, k, c = report.period, report.kratom, report.co_use
    lines = [
        f"Bedside report, nights {p.start} to {p.end} ({report.timezone})",
        f"  Logged on {p.nights_logged} of {p.nights} nights; {p.nights_unknown} unknown "
        "(nothing logged).",
        f"  Diary on {p.nights_with_diary} nights, wearable on {p.nights_with_wearable}, "
        f"a dose on {p.nights_with_dose}.",
        "Sleep",
    ]
    for f in report.sleep.figures:
        value = (
            f"{hours_minutes(f.spread.median)} (n = {f.spread.n})"
            if f.unit == "min"
            else spread_text(f.spread, 1, "%" if f.unit == "%" else "")
        )
        lines.append(f"  {f.label} [{f.source}]: {value}")
    for g in report.sleep.regularity:
        sd = f"SD {number(g.sd_min)} min" if g.sd_min is not None else "SD unknown"
        lines.append(f"  Bedtime regularity [{g.source}]: median {g.median_clock}, {sd}")
    lines += [
        "Evening kratom use",
        f"  Dose on {k.nights_used} nights, none logged on {k.nights_without}, "
        f"{k.nights_unknown} unknown.",
        f"  Amount per dose night: {spread_text(k.grams_per_night, 1, 'g')}",
        f"  Mitragynine per dose night: {spread_text(k.mitragynine_mg_per_night, 0, 'mg')}",
        f"  Before bedtime: {hours_minutes(k.minutes_before_bedtime.median)} (median)",
    ]
    if k.longest_streak:
        lines.append(f"  Longest run of dose nights: {k.longest_streak.nights}")
    lines += [
        "Pain and soreness",
        f"  Pain: {spread_text(report.pain.pain, 1)}",
        "Workouts",
        f"  {report.workouts.count} workouts, {hours_minutes(report.workouts.total_min)}",
        "Alcohol, caffeine and medications taken",
        f"  Alcohol on {c.alcohol_nights} nights ({c.alcohol_nights_with_kratom} also dose nights)",
    ]
    lines += [f"  {m.name} on {m.nights} nights" for m in c.medications]
    lines.append("Safety findings")
    for item in [*report.safety.findings, *report.signals.findings]:
        lines.append(f"  [{item.severity}] {item.title} ({item.dates})")
    if report.experiment:
        lines.append("Self-experiment")
        lines += [f"  {line}" for line in report.experiment.summary]
    lines.append("Limits")
    lines += [f"  {line}" for line in report.limits]
    lines.append("Write the full report with --pdf FILE or --html FILE.")
    return "\n".join(lines)
