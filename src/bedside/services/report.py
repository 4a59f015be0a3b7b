"""The clinician report: one use case that gathers everything from the other services.

:func:`build_report` returns a :class:`~bedside.reports.model.ClinicianReport`; the CLI, the
Report page, ``/report.pdf`` and ``/api/v1/report`` render that one model
(:func:`report_html`, :func:`report_pdf`, or its JSON). Only what was logged is described:
nights with nothing logged are unknown, no dose is suggested, and no cause is claimed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from bedside.reports import figures as fig
from bedside.reports.model import (
    ClinicianReport,
    CoUse,
    ExperimentSummary,
    MedicationTaken,
    PainSummary,
    Period,
    ReportFinding,
    ReportNight,
    SafetySummary,
    SignalsSummary,
    SorenessGroup,
    WorkoutSummary,
)
from bedside.services.cache import remembered
from bedside.services.history import NightOut, check_range, timeline
from bedside.services.report_figures import kratom_use, sleep_summary
from bedside.services.scope import Scope
from bedside.services.sleep import SleepNightOut, wearable_nights

if TYPE_CHECKING:
    from bedside.safety.findings import Finding

DEFAULT_WEEKS = 8
LIMITS = [
    "Everything here was logged by the person; nights with nothing logged are unknown, "
    "not nights without kratom and not good nights.",
    "Diary figures are self-reported (Consensus Sleep Diary); wearable figures are the "
    "device's estimate. Neither is polysomnography.",
    "Figures describe what happened alongside kratom use; they do not show that kratom "
    "caused any difference (except a randomised experiment, with its stated limits).",
    "Bedside never recommends a dose; amounts are shown as logged.",
]


@dataclass
class _Logs:
    """What was logged over the report's nights."""

    nights: list[NightOut]
    wearable: list[SleepNightOut]

    def within(self, start: date, end: date) -> _Logs:
        return _Logs(
            [n for n in self.nights if start <= n.night <= end],
            [w for w in self.wearable if start <= w.night <= end],
        )

    def logged(self) -> set[date]:
        return {n.night for n in self.nights if not n.is_empty} | {w.night for w in self.wearable}


def report_range(scope: Scope, start: date | None, end: date | None) -> tuple[date, date, bool]:
    """The nights asked for; the default is the last 8 weeks ending tonight (``True``)."""
    last = end or scope.tonight()
    first = start or last - timedelta(days=7 * DEFAULT_WEEKS - 1)
    check_range(first, last)
    return first, last, start is None and end is None


def build_report(
    scope: Scope, start: date | None = None, end: date | None = None
) -> ClinicianReport:
    """The clinician report over ``[start, end]`` (default: the last 8 weeks with logs).

    Computed once per change of the person's data and day (:mod:`bedside.services.cache`);
    only the time it was generated is always now.
    """
    report_range(scope, start, end)  # a wrong range is refused before anything is stored
    report = remembered(
        scope,
        "report",
        _report_key(scope, start, end),
        ClinicianReport,
        lambda: _build_report(scope, start, end),
    )
    return report.model_copy(update={"generated_at": _generated_at(scope)})


def _report_key(scope: Scope, start: date | None, end: date | None) -> dict[str, object]:
    """What a stored report (or its charts) depends on besides the data: the range asked for
    and the person's day, since safety findings age by the calendar."""
    return {"from": start, "to": end, "day": scope.now.astimezone(scope.tz).date()}


def _generated_at(scope: Scope) -> str:
    return scope.now.astimezone(scope.tz).isoformat(timespec="minutes")


def _build_report(scope: Scope, start: date | None, end: date | None) -> ClinicianReport:
    profile = scope.require_profile()
    first, last, default = report_range(scope, start, end)
    logs = _Logs(timeline(scope, first, last)[::-1], wearable_nights(scope, first, last))
    logged = logs.logged()
    if default and logged:
        first, last = max(first, min(logged)), min(last, max(logged))
        logs = logs.within(first, last)
    kratom = kratom_use(scope, logs.nights, logged, first, last)
    return ClinicianReport(
        generated_at=_generated_at(scope),
        timezone=profile.timezone,
        period=_period(logs, logged, first, last),
        sleep=sleep_summary(logs.nights, logs.wearable, first),
        kratom=kratom,
        pain=_pain(logs.nights, first, last),
        workouts=_workouts(logs.nights),
        co_use=_co_use(logs.nights),
        safety=_safety(scope, logs.nights),
        signals=_signals(scope),
        experiment=_experiment(scope, last),
        nights=_chart_nights(logs, logged),
        limits=LIMITS,
    )


def save_report(
    report: ClinicianReport, pdf: Path | None = None, html: Path | None = None
) -> list[Path]:
    """Write the report as PDF and/or HTML files readable only by their owner (0600).

    The files hold health data, so they are private whatever the umask; a file that cannot
    be written is a one-line error naming it.
    """
    from bedside.exporters.private_files import write_private

    written = []
    if pdf is not None:
        written.append(write_private(pdf.expanduser(), report_pdf(report)))
    if html is not None:
        written.append(write_private(html.expanduser(), report_html(report).encode()))
    return written


def report_html(report: ClinicianReport) -> str:
    """The report as a self-contained HTML document (print CSS, A4)."""
    from bedside.reports.clinician import render_html

    return render_html(report)


def report_pdf(report: ClinicianReport) -> bytes:
    """The report as a PDF (A4)."""
    from bedside.reports.clinician import render_pdf

    return render_pdf(report)


def _period(logs: _Logs, logged: set[date], first: date, last: date) -> Period:
    inside = {n for n in logged if first <= n <= last}
    count = (last - first).days + 1
    return Period(
        start=first,
        end=last,
        nights=count,
        nights_logged=len(inside),
        nights_unknown=count - len(inside),
        nights_with_diary=sum(1 for n in logs.nights if n.diary is not None),
        nights_with_wearable=len({w.night for w in logs.wearable}),
        nights_with_dose=sum(1 for n in logs.nights if n.doses),
        first_logged=min(inside) if inside else None,
        last_logged=max(inside) if inside else None,
    )


def _pain(nights: list[NightOut], first: date, last: date) -> PainSummary:
    scores = [(n.night, p.score) for n in nights for p in n.pain]
    split = fig.halves(first, last)
    early = [s for night, s in scores if split and night <= split[0][1]]
    late = [s for night, s in scores if split and night >= split[1][0]]
    groups: dict[str, list[float]] = defaultdict(list)
    for night in nights:
        for rating in night.soreness:
            groups[rating.muscle_group.value].append(rating.score)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return PainSummary(
        pain=fig.spread(s for _, s in scores),
        pain_first_half=fig.spread(early),
        pain_second_half=fig.spread(late),
        pain_before_dose=fig.spread(d.pain_before for n in nights for d in n.doses),
        locations=sorted({p.location for n in nights for p in n.pain if p.location}),
        soreness=[SorenessGroup(muscle_group=g, spread=fig.spread(v)) for g, v in ranked],
    )


def _workouts(nights: list[NightOut]) -> WorkoutSummary:
    workouts = [w for n in nights for w in n.workouts]
    kinds: dict[str, int] = defaultdict(int)
    for workout in workouts:
        kinds[workout.kind] += 1
    return WorkoutSummary(
        count=len(workouts),
        nights=sum(1 for n in nights if n.workouts),
        total_min=sum(w.duration_min for w in workouts),
        kinds=dict(sorted(kinds.items(), key=lambda item: -item[1])),
        rpe=fig.spread(w.rpe for w in workouts),
        eccentric_or_new=sum(1 for w in workouts if w.eccentric or w.new_work),
    )


def _co_use(nights: list[NightOut]) -> CoUse:
    alcohol = [n for n in nights if any(i.kind == "alcohol" for i in n.intakes)]
    meds: dict[str, list[NightOut]] = defaultdict(list)
    for night in nights:
        names = {(i.name or "unnamed").strip() for i in night.intakes if i.kind == "medication"}
        for name in names:
            meds[name].append(night)
    return CoUse(
        alcohol_nights=len(alcohol),
        alcohol_nights_with_kratom=sum(1 for n in alcohol if n.doses),
        alcohol_drinks=sum(
            i.amount or 0.0 for n in nights for i in n.intakes if i.kind == "alcohol"
        ),
        caffeine_nights=sum(1 for n in nights if any(i.kind == "caffeine" for i in n.intakes)),
        medications=[
            MedicationTaken(
                name=name, nights=len(rows), nights_with_kratom=sum(bool(r.doses) for r in rows)
            )
            for name, rows in sorted(meds.items())
        ],
    )


def _safety(scope: Scope, nights: list[NightOut]) -> SafetySummary:
    """The profile's medicines and conditions, plus medicines logged as taken, checked."""
    from bedside.services.safety import profile_check

    profile = scope.require_profile()
    taken = [i.name for n in nights for i in n.intakes if i.kind == "medication" and i.name]
    seen: dict[str, str] = {}
    for name in [*profile.medications, *taken]:
        seen.setdefault(name.strip().lower(), name.strip())
    meds = list(seen.values())
    check = profile_check(scope, meds or None, None, None)
    return SafetySummary(
        medications=meds,
        conditions=list(profile.conditions),
        region=profile.region,
        findings=[report_finding(f) for f in check.findings],
    )


def report_finding(finding: Finding) -> ReportFinding:
    """A finding as the report carries it: its text, sources and both of its dates."""
    return ReportFinding(
        id=finding.id,
        severity=finding.severity.value,
        title=finding.title,
        summary=finding.summary,
        action=finding.action,
        sources=list(finding.sources),
        as_of=finding.as_of,
        checked_on=finding.checked_on,
        dates=finding.dates,
        stale=finding.stale,
        uncertain=finding.uncertain,
    )


def _signals(scope: Scope) -> SignalsSummary:
    from bedside.services.signals import signals_report

    report = signals_report(scope)
    latest = report.windows[0] if report.windows else None  # most recent first
    return SignalsSummary(
        as_of=report.today,
        findings=[report_finding(f) for f in report.findings],
        days_used_per_week=latest.days_per_week if latest else None,
        unknown_days_last_4_weeks=latest.unknown_days if latest else None,
    )


def _experiment(scope: Scope, last: date) -> ExperimentSummary | None:
    """The newest self-experiment that had started by the end of the period, analysed."""
    from bedside.services.experiments.analysis import analyze_experiment
    from bedside.services.experiments.plan import list_experiments

    started = [e for e in list_experiments(scope) if e.start <= last]
    if not started:
        return None
    chosen = started[0]
    result = analyze_experiment(scope, chosen.id)
    return ExperimentSummary(
        question=chosen.question,
        outcome=chosen.outcome_label,
        status=result.status,
        start=chosen.start,
        end=chosen.end,
        as_of=result.as_of,
        label=result.label,
        summary=result.summary,
        does_not_show=result.does_not_show,
    )


def _chart_nights(logs: _Logs, logged: set[date]) -> list[ReportNight]:
    worn = {w.night: w for w in logs.wearable}
    out = []
    for night in logs.nights:
        grams = [d.grams for d in night.doses if d.grams is not None]
        diary = night.diary
        wearable = worn.get(night.night)
        out.append(
            ReportNight(
                night=night.night,
                logged=night.night in logged,
                bedtime=datetime.fromisoformat(diary.bedtime) if diary else None,
                final_wake=datetime.fromisoformat(diary.final_wake) if diary else None,
                dose_times=[datetime.fromisoformat(d.time) for d in night.doses],
                diary_tst_min=diary.total_sleep_time_min if diary else None,
                diary_se_pct=diary.sleep_efficiency_pct if diary else None,
                wearable_tst_min=wearable.asleep_min if wearable else None,
                quality=diary.quality if diary else None,
                grams=sum(grams) if grams else None,
                dosed=bool(night.doses),
                minutes_before_bedtime=(
                    -night.doses[0].minutes_from_bedtime if night.doses else None
                ),
                pain_max=max((p.score for p in night.pain), default=None),
                soreness_max=max((s.score for s in night.soreness), default=None),
            )
        )
    return out


def report_text(report: ClinicianReport) -> str:
    """The report as a plain-text summary for the terminal."""
    from bedside.reports.text import render_text

    return render_text(report)


class ReportPageOut(BaseModel):
    """The Report page: the report, and its sections as HTML for the page's layout."""

    report: ClinicianReport
    body: str = Field(description="The report's sections as HTML (charts inlined).")


class ReportCharts(BaseModel):
    """The report's charts as (title, SVG) pairs, drawn once per change of the data."""

    charts: list[tuple[str, str]]


def report_page(scope: Scope, start: date | None = None, end: date | None = None) -> ReportPageOut:
    """The report over ``[start, end]`` with its sections rendered for the web page.

    The charts are drawn once per change of the person's data and day, like the report
    itself; only the sections around them are rendered on each request.
    """
    from bedside.reports.clinician import render_body
    from bedside.reports.report_charts import report_charts

    report = build_report(scope, start, end)
    drawn = remembered(
        scope,
        "report_charts",
        _report_key(scope, start, end),
        ReportCharts,
        lambda: ReportCharts(charts=report_charts(report.nights)),
    )
    return ReportPageOut(report=report, body=str(render_body(report, drawn.charts)))
