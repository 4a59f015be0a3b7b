"""``bedside experiment plan/show/assign/analyze/ics/stop``: randomised self-experiments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, fail, print_json, print_table

if TYPE_CHECKING:
    from bedside.services.experiments.schemas import (
        AssignmentOut,
        ExperimentOut,
        PrecisionAvailableOut,
        PrecisionUnavailableOut,
    )

experiment_app = typer.Typer(help="Plan, run and analyse a randomised self-experiment.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (exact numbers).")]
IdArg = Annotated[
    int | None, typer.Argument(help="Experiment id (default: the current or latest one).")
]


def register(app: typer.Typer) -> None:
    """Add the ``experiment`` group to the root app."""
    app.add_typer(experiment_app, name="experiment")


@experiment_app.command("plan")
def plan(
    ctx: typer.Context,
    question: Annotated[str, typer.Option("--question", help="What you want to find out.")],
    outcome: Annotated[str, typer.Option("--outcome", help="Primary outcome, e.g. quality.")],
    threshold: Annotated[
        float, typer.Option("--threshold", help="Smallest difference worth it to you.")
    ],
    pairs: Annotated[int, typer.Option("--pairs", help="Blocks (pairs) K, at least 3.")] = 6,
    nights: Annotated[int, typer.Option("--nights", help="Nights per period L.")] = 7,
    washout: Annotated[int, typer.Option("--washout", help="Washout nights per period.")] = 1,
    run_in: Annotated[int, typer.Option("--run-in", help="Run-in nights before block 1.")] = 0,
    start: Annotated[
        str | None, typer.Option("--start", help="First night, YYYY-MM-DD (default tomorrow).")
    ] = None,
    levels: Annotated[
        str, typer.Option("--levels", help="Conditions, comma-separated.")
    ] = "kratom,no kratom",
    reference: Annotated[
        str | None, typer.Option("--reference", help="Condition to compare against.")
    ] = None,
    early_stopping: Annotated[
        bool,
        typer.Option("--early-stopping", help="Pre-set rule: may stop after 4+ pairs if clear."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Plan an experiment: everything is fixed now, before the first night."""
    from bedside.services.experiments.analysis import plan_with_precision

    data = {
        "question": question,
        "outcome": outcome,
        "threshold": threshold,
        "pairs": pairs,
        "nights": nights,
        "washout": washout,
        "run_in": run_in,
        "start": date_option(start, "start"),
        "levels": [level.strip() for level in levels.split(",") if level.strip()],
        "reference": reference,
        "early_stopping": early_stopping,
    }
    with scope(ctx) as s:
        out = plan_with_precision(s, data)
    if as_json:
        print_json(out)
        return
    typer.echo(f"Planned experiment {out.id}.")
    _print_plan(out)


def _print_plan(out: ExperimentOut) -> None:
    direction = "lower" if out.lower_is_better else "higher"
    conditions = " vs ".join(
        f"{level} (reference)" if level == out.reference else level for level in out.levels
    )
    typer.echo(f"  Question:   {out.question}")
    typer.echo(
        f"  Outcome:    {out.outcome_label} ({direction} is better); worth it from a "
        f"difference of {out.threshold:g}"
    )
    typer.echo(f"  Conditions: {conditions}")
    blocks = "pairs" if len(out.levels) == 2 else "blocks"
    typer.echo(
        f"  Design:     {out.pairs} {blocks} of {out.nights_per_period}-night periods, first "
        f"{out.washout_nights} night(s) of each as washout, {out.run_in_nights} run-in nights"
    )
    typer.echo(f"  Nights:     {out.start} to {out.end} ({out.status})")
    if out.precision is not None:
        _print_precision(out.precision)
    for warning in out.warnings:
        typer.echo(f"  Note: {warning}")


def _print_precision(p: PrecisionAvailableOut | PrecisionUnavailableOut) -> None:
    if not p.available:
        typer.echo(f"  Precision:  {p.message}")
        return
    half = p.expected_half_width95
    typer.echo(
        f"  Precision (from {p.based_on}): the answer should land within about "
        f"±{half:.2g} of the true difference (95%); about "
        f"{p.pairs_needed} pairs would be needed to detect your threshold reliably."
    )
    for note in p.notes:
        typer.echo(f"  Note: {note}")


@experiment_app.command("show")
def show(ctx: typer.Context, experiment_id: IdArg = None, as_json: JsonFlag = False) -> None:
    """The plan, the blocks drawn so far, the schedule and how closely it was followed."""
    from bedside.services.experiments.analysis import show_experiment

    with scope(ctx) as s:
        out = show_experiment(s, experiment_id)
        tonight = s.tonight()
    if as_json:
        print_json(out)
        return
    typer.echo(f"Experiment {out.id} ({out.status})")
    _print_plan(out)
    shown = [n for n in out.schedule if n.night <= tonight and not n.run_in]
    rows = [
        (n.night, n.block, n.period, n.condition, "yes" if n.washout else "", _followed(n.followed))
        for n in shown
    ]
    if rows:
        columns = ("night", "block", "period", "condition", "washout", "followed")
        print_table("Nights so far", columns, rows)
    else:
        typer.echo("No experiment nights yet.")
    undrawn = out.pairs - len(out.draws)
    if undrawn:
        typer.echo(f"{undrawn} block(s) not drawn yet: each is drawn when it starts.")
    if out.adherence and out.adherence["assigned_nights"]:
        a = out.adherence
        typer.echo(
            f"Followed the plan on {a['followed']} of {a['assigned_nights']} assigned nights "
            f"({a['not_followed']} not followed, {a['unknown']} with nothing logged)."
        )


def _followed(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


@experiment_app.command("assign")
def assign(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Tonight's condition (the block's order is drawn and recorded if it starts tonight)."""
    from bedside.services.experiments.assignment import assignment
    from bedside.services.experiments.plan import get_experiment

    with scope(ctx) as s:
        out = assignment(s, get_experiment(s))
    if as_json:
        print_json(out)
        return
    _print_assignment(out)


def _print_assignment(a: AssignmentOut) -> None:
    where = ""
    if a.block is not None:
        where = f", block {a.block}, period {a.period} (night {a.night_in_period})"
    typer.echo(f"Night of {a.night}: experiment {a.experiment_id}{where}")
    if a.condition is not None:
        typer.echo(f"  Condition: {a.condition}{' (washout)' if a.washout else ''}")
    typer.echo(f"  {a.instruction}")


@experiment_app.command("analyze")
def analyze(ctx: typer.Context, experiment_id: IdArg = None, as_json: JsonFlag = False) -> None:
    """The result so far in plain words (numbers with --json)."""
    from bedside.services.experiments.analysis import analyze_experiment

    with scope(ctx) as s:
        result = analyze_experiment(s, experiment_id)
    if as_json:
        print_json(result)
        return
    exp = result.experiment
    typer.echo(f"Experiment {exp.id}: {exp.question}")
    typer.echo(f"({result.label}, {exp.outcome_label}, nights up to {result.as_of})")
    typer.echo("")
    for sentence in result.summary:
        typer.echo(sentence)
    typer.echo("")
    typer.echo("What this does not show:")
    for line in result.does_not_show:
        typer.echo(f"  - {line}")


@experiment_app.command("ics")
def ics(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="File to write (.ics).")],
    experiment_id: IdArg = None,
) -> None:
    """Write the schedule as an iCalendar file (one evening event per night)."""
    from bedside.services.experiments.calendar import experiment_ics

    with scope(ctx) as s:
        data = experiment_ics(s, experiment_id)
    try:
        out.write_bytes(data)
    except OSError as err:
        fail(f"--out: cannot write {str(out)!r} ({err.strerror})")
    typer.echo(f"Wrote {data.count(b'BEGIN:VEVENT')} nights to {out}")


@experiment_app.command("list")
def list_(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every experiment, newest first."""
    from bedside.services.experiments.plan import list_experiments

    with scope(ctx) as s:
        rows = list_experiments(s)
    if as_json:
        print_json(rows)
        return
    print_table(
        "Experiments",
        ("id", "status", "start", "end", "outcome", "question"),
        [(e.id, e.status, e.start, e.end, e.outcome, e.question) for e in rows],
    )


@experiment_app.command("stop")
def stop(ctx: typer.Context, experiment_id: IdArg = None) -> None:
    """Stop the experiment now; nights after tonight are not analysed."""
    from bedside.services.experiments.plan import stop_experiment

    with scope(ctx) as s:
        out = stop_experiment(s, experiment_id)
    typer.echo(f"Stopped experiment {out.id} on the night of {out.stopped_night}.")
    typer.echo("`bedside experiment analyze` shows what the nights so far can say.")
