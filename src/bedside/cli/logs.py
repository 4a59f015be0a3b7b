"""Logging commands besides doses: ``pain``, ``soreness``, ``workout`` and ``intake``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.logging_common import (
    JsonFlag,
    Lister,
    Night,
    Note,
    Remover,
    Time,
    add_delete_command,
    add_list_command,
    drop_none,
)
from bedside.cli.output import date_option, fail, number, print_json, short_time

if TYPE_CHECKING:
    from bedside.services.activity_schemas import IntakeOut, WorkoutOut
    from bedside.services.symptoms_schemas import PainOut, SorenessOut

pain_app = typer.Typer(help="Pain on the 0-10 scale.")
soreness_app = typer.Typer(help="Muscle soreness 0-10 per muscle group.")
workout_app = typer.Typer(help="Workouts.")
intake_app = typer.Typer(help="Alcohol, caffeine and medications taken.")


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(pain_app, name="pain")
    app.add_typer(soreness_app, name="soreness")
    app.add_typer(workout_app, name="workout")
    app.add_typer(intake_app, name="intake")


# --- pain ------------------------------------------------------------------------------------


@pain_app.command("add")
def pain_add(
    ctx: typer.Context,
    score: Annotated[int, typer.Option("--score", help="0 = no pain, 10 = worst imaginable.")],
    location: Annotated[
        str | None, typer.Option("--location", help="Where, e.g. lower back.")
    ] = None,
    time: Time = None,
    night: Night = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Log pain on the 0-10 scale."""
    from bedside.services import symptoms

    fields = drop_none(
        {
            "score": score,
            "location": location,
            "time": time,
            "night": date_option(night, "night"),
            "note": note,
        }
    )
    with scope(ctx) as s:
        entry = symptoms.add_pain(s, fields)
    if as_json:
        print_json(entry)
    else:
        typer.echo(f"Pain {entry.score}/10 logged at {short_time(entry.time)} (id {entry.id}).")


# --- soreness --------------------------------------------------------------------------------


def _ratings(pairs: list[str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for pair in pairs:
        group, sep, score = pair.partition("=")
        if not sep or not score.strip().lstrip("-").isdigit():
            fail(f"GROUP=SCORE: write each rating as group=score, e.g. quads=4 (got {pair!r})")
        name = group.strip().lower().replace("-", "_").replace(" ", "_")
        if name in ratings:
            fail(f"GROUP=SCORE: {name} is rated twice; give one score per muscle group")
        ratings[name] = int(score)
    return ratings


@soreness_app.command("add")
def soreness_add(
    ctx: typer.Context,
    ratings: Annotated[
        list[str],
        typer.Argument(help="GROUP=SCORE pairs, e.g. quads=4 lower_back=2 (scores 0-10)."),
    ],
    time: Time = None,
    night: Night = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Log soreness per muscle group."""
    from bedside.services import symptoms

    fields = drop_none(
        {
            "ratings": _ratings(ratings),
            "time": time,
            "night": date_option(night, "night"),
            "note": note,
        }
    )
    with scope(ctx) as s:
        entries = symptoms.add_soreness(s, fields)
    if as_json:
        print_json(entries)
    else:
        typer.echo(
            "Soreness logged: " + ", ".join(f"{e.muscle_group.value} {e.score}" for e in entries)
        )


# --- workouts --------------------------------------------------------------------------------


@workout_app.command("add")
def workout_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option("--type", help="E.g. strength, running, yoga.")],
    duration: Annotated[float, typer.Option("--duration", help="Minutes.")],
    rpe: Annotated[int | None, typer.Option("--rpe", help="Effort 0-10.")] = None,
    muscle: Annotated[
        list[str] | None, typer.Option("--muscle", help="Muscle group worked (repeatable).")
    ] = None,
    eccentric: Annotated[bool, typer.Option("--eccentric", help="Heavy eccentric work.")] = False,
    new_work: Annotated[bool, typer.Option("--new", help="New or unaccustomed exercise.")] = False,
    energy: Annotated[float | None, typer.Option("--energy", help="kcal.")] = None,
    time: Time = None,
    night: Night = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Log a workout (--time is when it started)."""
    from bedside.services import activity

    fields = drop_none(
        {
            "kind": kind,
            "duration_min": duration,
            "rpe": rpe,
            "muscle_groups": [m.lower() for m in muscle or []],
            "eccentric": eccentric,
            "new_work": new_work,
            "energy_kcal": energy,
            "time": time,
            "night": date_option(night, "night"),
            "note": note,
        }
    )
    with scope(ctx, names={"kind": "--type"}) as s:
        workout = activity.add_workout(s, fields)
    if as_json:
        print_json(workout)
    else:
        typer.echo(f"Workout {workout.id} logged: {workout.kind}, {workout.duration_min:g} min.")


# --- intakes ---------------------------------------------------------------------------------


@intake_app.command("add")
def intake_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option("--kind", help="alcohol, caffeine or medication.")],
    amount: Annotated[
        float | None,
        typer.Option(
            "--amount", help="Standard drinks (alcohol), mg (caffeine), dose (medication)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Medication or drink name.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Medication unit, e.g. mg.")] = None,
    time: Time = None,
    night: Night = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Log alcohol (standard drinks), caffeine (mg) or a medication taken."""
    from bedside.services import activity

    fields = drop_none(
        {
            "kind": kind.lower(),
            "amount": amount,
            "name": name,
            "unit": unit,
            "time": time,
            "night": date_option(night, "night"),
            "note": note,
        }
    )
    with scope(ctx) as s:
        intake = activity.add_intake(s, fields)
    if as_json:
        print_json(intake)
    else:
        typer.echo(
            f"{intake.kind.value.capitalize()} logged at {short_time(intake.time)} "
            f"(id {intake.id})."
        )


def _list_pain() -> Lister[PainOut]:
    from bedside.services.symptoms import list_pain

    return list_pain


def _delete_pain() -> Remover:
    from bedside.services.symptoms import delete_pain

    return delete_pain


def _list_soreness() -> Lister[SorenessOut]:
    from bedside.services.symptoms import list_soreness

    return list_soreness


def _delete_soreness() -> Remover:
    from bedside.services.symptoms import delete_soreness

    return delete_soreness


def _list_workouts() -> Lister[WorkoutOut]:
    from bedside.services.activity import list_workouts

    return list_workouts


def _delete_workout() -> Remover:
    from bedside.services.activity import delete_workout

    return delete_workout


def _list_intakes() -> Lister[IntakeOut]:
    from bedside.services.activity import list_intakes

    return list_intakes


def _delete_intake() -> Remover:
    from bedside.services.activity import delete_intake

    return delete_intake


add_list_command(
    pain_app,
    "Pain",
    _list_pain,
    ["id", "time", "night", "score", "location", "note"],
    lambda p: (p.id, short_time(p.time), p.night, p.score, p.location, p.note),
)
add_delete_command(pain_app, "pain entry", _delete_pain)
add_list_command(
    soreness_app,
    "Soreness",
    _list_soreness,
    ["id", "time", "night", "muscle group", "score"],
    lambda e: (e.id, short_time(e.time), e.night, e.muscle_group.value, e.score),
)
add_delete_command(soreness_app, "soreness entry", _delete_soreness)
add_list_command(
    workout_app,
    "Workouts",
    _list_workouts,
    ["id", "start", "type", "min", "RPE", "muscles", "source"],
    lambda w: (
        w.id,
        short_time(w.time),
        w.kind,
        f"{w.duration_min:g}",
        w.rpe,
        ", ".join(w.muscle_groups),
        w.source,
    ),
)
add_delete_command(workout_app, "workout", _delete_workout)
add_list_command(
    intake_app,
    "Intakes",
    _list_intakes,
    ["id", "time", "kind", "amount", "unit", "name"],
    lambda i: (i.id, short_time(i.time), i.kind.value, number(i.amount, 1), i.unit, i.name),
)
add_delete_command(intake_app, "intake", _delete_intake)
