"""``bedside analyze`` and ``bedside analyze-file``; registers ``bedside experiment ...`` too.

Human output is plain words: the sentences of :mod:`bedside.analysis.summary` and a few
key numbers, never a p-value headline, never causal words for observational results and
never a dose suggestion. ``--json`` prints the exact numbers. Analysis libraries are
imported inside the commands, so logging commands stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bedside.cli import experiments
from bedside.cli.context import scope
from bedside.cli.output import date_option, fail, print_json, print_table, user_errors

if TYPE_CHECKING:
    from bedside.services.file_analysis import FileAnalysis
    from bedside.services.insights_schemas import InsightsOut, WeekOneFeedback

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (exact numbers).")]


def register(app: typer.Typer) -> None:
    """Add ``analyze``, ``analyze-file`` and the ``experiment`` group to the root app."""
    app.command("analyze")(analyze)
    app.command("analyze-file")(analyze_file)
    experiments.register(app)


def analyze(
    ctx: typer.Context,
    outcome: Annotated[
        str, typer.Option("--outcome", help="Primary outcome, e.g. quality, pain_next_morning.")
    ] = "quality",
    start: Annotated[str | None, typer.Option("--from", help="First night, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last night, YYYY-MM-DD.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """What your log suggests: nights with and without kratom compared (association only)."""
    from bedside.services.insights_view import insights_result

    first, last = date_option(start, "from"), date_option(end, "to")
    with scope(ctx) as s:
        result = insights_result(s, outcome, first, last)
    if as_json:
        print_json(result)
        return
    _print_insights(result)


def _print_insights(result: InsightsOut) -> None:
    counts = result.counts
    span = f"Nights {result.start} to {result.end}" if result.start else "No nights"
    typer.echo(f"{result.outcome_label.capitalize()}: {result.label}")
    typer.echo(
        f"{span}: {counts.with_kratom} with kratom, {counts.without_kratom} "
        f"without, {counts.nights_in_range - counts.exposure_known} with nothing logged; "
        f"{result.outcome_label} logged on {counts.outcome_logged}."
    )
    _paragraph(result.summary)
    if result.week_one:
        _print_week_one(result.week_one)
    _paragraph(result.secondary_summary)
    _paragraph(result.dose_summary)
    _bullets("What this does not show:", result.does_not_show)


def _print_week_one(feedback: WeekOneFeedback) -> None:
    """The first-weeks feedback: plain averages with their counts, no claim."""
    from bedside.services.week_one import feedback_rows

    _paragraph(feedback.sentences)
    typer.echo("")
    week = f"This week ({feedback.logging.this_week_from.strftime('%a %d %b')} on)"
    print_table(
        "Your nights so far: plain averages, nights counted in brackets",
        ["", week, "Earlier weeks", "With kratom", "Without"],
        feedback_rows(feedback),
    )
    typer.echo(feedback.not_yet)


def _paragraph(lines: list[str]) -> None:
    if lines:
        typer.echo("")
        for line in lines:
            typer.echo(line)


def _bullets(title: str, lines: list[str]) -> None:
    typer.echo("")
    typer.echo(title)
    for line in lines:
        typer.echo(f"  - {line}")


def analyze_file(
    file: Annotated[Path, typer.Argument(help="A CSV file, one row per night or session.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Column with the outcome.")],
    condition: Annotated[str, typer.Option("--condition", help="Column with the condition.")],
    treatment: Annotated[
        str, typer.Option("--treatment", help="The condition value that is the treatment.")
    ],
    pair: Annotated[str | None, typer.Option("--pair", help="Column numbering pairs.")] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="Column numbering periods.")
    ] = None,
    day: Annotated[
        str | None, typer.Option("--day", help="Column with day numbers or dates.")
    ] = None,
    lower_is_better: Annotated[
        bool, typer.Option("--lower-is-better", help="Lower outcome values are better.")
    ] = False,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Worth-it difference, outcome units.")
    ] = None,
    randomised: Annotated[
        bool, typer.Option("--randomised", help="The order of conditions was randomised.")
    ] = False,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="Keep only rows where COLUMN=VALUE (repeatable), e.g. participant=milk_P1.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The n-of-1 analysis on data collected elsewhere (paper diaries, studies)."""
    from bedside.services.file_analysis import FileAnalysisRequest, analyze_csv

    request = FileAnalysisRequest(
        path=str(file), outcome=outcome, condition=condition, treatment=treatment, pair=pair,
        period=period, day=day, lower_is_better=lower_is_better, threshold=threshold,
        randomised=randomised, where=tuple(_column_value(text) for text in where or []),
    )  # fmt: skip
    with user_errors(names={"file": ""}):
        result = analyze_csv(request)
    if as_json:
        print_json(result)
        return
    for sentence in result.summary_sentences:
        typer.echo(sentence)
    typer.echo("")
    typer.echo("Key numbers:")
    for label, value in _file_numbers(result):
        typer.echo(f"  {label:<34} {value}")
    _bullets("What this does not show:", result.does_not_show)


def _column_value(text: str) -> tuple[str, str]:
    """``COLUMN=VALUE`` from ``--where``; anything else is a one-line error."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip() or not value.strip():
        fail(f"--where: write COLUMN=VALUE, e.g. participant=milk_P1 (got {text!r})")
    return column.strip(), value.strip()


def _file_numbers(r: FileAnalysis) -> list[tuple[str, str]]:
    """The figures a reader checks, as (label, text); parts that do not apply are left out."""
    rows = [
        ("rows (treatment / control)", f"{r.n_treatment} / {r.n_control}"),
        ("mean difference (rows)", _num(r.mean_difference)),
    ]
    if r.pairs:
        rows += [
            ("pair differences", ", ".join(_num(d) for d in r.pairs)),
            (
                "period-level estimate (95% CI)",
                f"{_num(r.period_estimate)} ({_range(r.period_ci95)})",
            ),
            ("paired t-test p", _num(r.paired_t_p)),
            (
                "randomisation test p (smallest)",
                f"{_num(r.randomisation_p)} ({_num(r.randomisation_min_p)})",
            ),
        ]
    if r.ar1:
        ar1 = r.ar1
        rows.append(
            ("night-level AR(1) estimate (SE)", f"{_num(ar1['estimate'])} ({_num(ar1['se'])})")
        )
        rows.append(("night-to-night correlation (phi)", _num(ar1["phi"])))
    rows.append(("NAP (treatment row scores better)", _num(r.nap)))
    return rows


def _num(value: Any) -> str:
    return "unknown" if value is None else f"{float(value):.3g}"


def _range(pair: Any) -> str:
    if not pair:
        return "unknown"
    return f"{_num(pair[0])} to {_num(pair[1])}"
