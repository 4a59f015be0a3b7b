"""``bedside check``, ``bedside legal`` and ``bedside signals``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.findings import print_findings
from bedside.cli.output import print_json, user_errors

if TYPE_CHECKING:
    from bedside.services.safety_schemas import (
        ConditionMatchOut,
        FrequencyWindowOut,
        MedicationMatchOut,
        SafetyCheckOut,
        StreakOut,
    )

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DetailsFlag = Annotated[
    bool, typer.Option("--details", help="Show each finding's summary, what to do and sources.")
]


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.command("check")(check)
    app.command("legal")(legal)
    app.command("signals")(signals)
    app.command("checkin")(checkin)


def check(
    ctx: typer.Context,
    med: Annotated[
        list[str] | None, typer.Option("--med", help="A medication (repeatable); default: yours.")
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option("--condition", help="A health condition (repeatable); default: yours."),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="ISO 3166 code or locality id; default: yours.")
    ] = None,
    details: DetailsFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Interactions with medications and conditions, and the law where you are."""
    from bedside.services.safety import safety_check

    with scope(ctx) as s:
        result = safety_check(s, med, condition, region)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    print_profile_check(result, details)


def print_profile_check(
    result: SafetyCheckOut, details: bool = True, more: str = "run again with --details"
) -> None:
    """How each medicine was read, the names not known, then the findings."""
    for match in result.medications:
        if match.known:
            typer.echo(f"note: {_reading(match)}")
    for text in result.unknown_medications:
        typer.echo(f"note: '{text}' is not a medication Bedside knows; it was not checked.")
    for condition in result.conditions:
        typer.echo(f"note: {_condition_reading(condition)}")
    print_findings(result.findings, "Nothing to flag for these inputs.", details, more)


def _condition_reading(match: ConditionMatchOut) -> str:
    """How a typed condition was read, or that it was not recognised and not checked."""
    if not match.known:
        hint = f" Did you mean {' or '.join(match.suggestions)}?" if match.suggestions else ""
        return f"'{match.text}': not recognised — not checked.{hint}"
    if match.confirmation is not None:
        return match.confirmation
    return f"'{match.text}' read as {match.title}."


def _reading(match: MedicationMatchOut) -> str:
    """How a typed medicine was read, with its classes; a question when it needs confirming."""
    if match.how == "class":
        return f"'{match.text}': {match.note}"
    labels = match.class_labels
    kinds = ", ".join(labels) if labels else "no interaction record"
    if match.confirmation is not None:
        return f"{match.confirmation} Checked as: {kinds}."
    return f"'{match.text}' read as {match.display_name}: {kinds}."


def legal(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="ISO 3166-1/3166-2 code (US, US-AL) or locality id.")],
    as_json: JsonFlag = False,
) -> None:
    """The legal status of kratom in a place, with its sources and date."""
    from datetime import UTC, datetime

    from bedside.services.safety import legal_on

    with user_errors():
        status = legal_on(code, datetime.now(UTC).date())
    if as_json:
        print_json(status.model_dump(mode="json"))
        return
    typer.echo(f"{status.name} ({status.code}): {status.status.value.upper()}")
    if status.seven_oh_status:
        typer.echo(f"  7-OH products: {status.seven_oh_status.value}")
    if status.age_minimum:
        typer.echo(f"  minimum age: {status.age_minimum}")
    if status.notes:
        typer.echo(f"  {status.notes}")
    for entry in status.chain:
        if entry.uncertainty_note:
            typer.echo(f"  Not verified ({entry.name}): {entry.uncertainty_note}")
    stale = "  (may be out of date — check before relying on it)" if status.stale else ""
    typer.echo(f"  {status.dates}{stale}")
    for source in status.sources:
        typer.echo(f"  source: {source}")
    if len(status.chain) > 1:
        typer.echo("  considered: " + " → ".join(entry.code for entry in status.chain))


def signals(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Dependence and tolerance signals: frequency, streaks, dose creep, timing, check-ins."""
    from bedside.services.signals import signals_view

    with scope(ctx) as s:
        report = signals_view(s)
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    typer.echo(f"Signals as of {report.today} ({report.timezone})")
    for window in report.windows:
        typer.echo(f"  {_window_text(window)}")
    if report.weekly_cap is not None:
        typer.echo(f"  your cap: {report.weekly_cap} days a week")
    typer.echo(f"  current run of days with a dose: {_run_text(report.current_streak)}")
    typer.echo(f"  longest run: {_run_text(report.longest_streak)}")
    print_findings(report.findings, "No signals to flag.")


def _run_text(streak: StreakOut | None) -> str:
    if streak is None:
        return "0"
    text = f"{streak.days} ({streak.start} to {streak.end})"
    if streak.may_be_longer:
        text += ", may be longer: a day next to it has no logs"
    return text


def _window_text(window: FrequencyWindowOut) -> str:
    rate = window.days_per_week
    counts = (
        f"{window.used_days} with a dose, {window.non_use_days} without, "
        f"{window.unknown_days} not logged"
    )
    if rate is None:
        return f"{window.start} to {window.end}: unknown ({counts})"
    shown = f"{rate:.1f} days a week"
    if window.unknown_days:
        shown += (
            f" on the days logged; {window.days_per_week_low:.1f} to "
            f"{window.days_per_week_high:.1f} if the days not logged went either way"
        )
    return f"{window.start} to {window.end}: {shown} ({counts})"


def checkin(
    ctx: typer.Context,
    answers: Annotated[
        list[str] | None,
        typer.Argument(help="ITEM=SCORE pairs (0-10), e.g. urge=3 restless=2; none lists them."),
    ] = None,
    day: Annotated[
        str | None, typer.Option("--day", help="Day, YYYY-MM-DD (default today).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Optional daily check-in on craving and withdrawal-like symptoms (our own questions)."""
    from bedside.cli.output import date_option, fail
    from bedside.services.checkins import add_checkin, checkin_questions

    if not answers:
        for question in checkin_questions():
            typer.echo(f"{question['id']:<10} {question['prompt']}")
        return
    scores: dict[str, int] = {}
    for pair in answers:
        item, sep, score = pair.partition("=")
        if not sep or not score.strip().isdigit():
            fail(f"ITEM=SCORE: write each answer as item=score, e.g. urge=3 (got {pair!r})")
        scores[item.strip().lower()] = int(score)
    with scope(ctx) as s:
        saved = add_checkin(s, scores, date_option(day, "day"))
    if as_json:
        print_json([{"day": r.day.isoformat(), "item": r.item, "score": r.score} for r in saved])
    else:
        typer.echo(
            f"Check-in saved for {saved[0].day}: " + ", ".join(f"{r.item} {r.score}" for r in saved)
        )
