"""Logging commands: ``dose``, ``pain``, ``soreness``, ``workout`` and ``intake``."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, fail, number, print_json, print_table, short_time
from bedside.domain.dosing import DoseReason, DoseUnit

dose_app = typer.Typer(help="Log and review doses.")
pain_app = typer.Typer(help="Pain on the 0-10 scale.")
soreness_app = typer.Typer(help="Muscle soreness 0-10 per muscle group.")
workout_app = typer.Typer(help="Workouts.")
intake_app = typer.Typer(help="Alcohol, caffeine and medications taken.")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Time = Annotated[
    str | None,
    typer.Option("--time", help="HH:MM on the night, or an ISO date-time (default: now)."),
]
Night = Annotated[
    str | None, typer.Option("--night", help="Night (YYYY-MM-DD) an HH:MM time belongs to.")
]
From = Annotated[str | None, typer.Option("--from", help="First night, YYYY-MM-DD.")]
To = Annotated[str | None, typer.Option("--to", help="Last night, YYYY-MM-DD.")]
Note = Annotated[str | None, typer.Option("--note")]


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.add_typer(dose_app, name="dose")
    app.add_typer(pain_app, name="pain")
    app.add_typer(soreness_app, name="soreness")
    app.add_typer(workout_app, name="workout")
    app.add_typer(intake_app, name="intake")


def _drop_none(values: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None}


# --- doses -----------------------------------------------------------------------------------


def _dose_fields(
    time: str | None,
    night: str | None,
    amount: float | None,
    unit: DoseUnit | None,
    grams_per_capsule: float | None,
    product: int | None,
    batch: int | None,
    reason: DoseReason | None,
    pain_before: int | None,
    note: str | None,
) -> dict[str, object]:
    return _drop_none(
        {
            "time": time,
            "night": date_option(night, "night"),
            "amount": amount,
            "unit": unit,
            "grams_per_capsule": grams_per_capsule,
            "product_id": product,
            "batch_id": batch,
            "reason": reason,
            "pain_before": pain_before,
            "note": note,
        }
    )


Amount = Annotated[float, typer.Option("--amount", help="How much, in --unit.")]
Unit = Annotated[DoseUnit, typer.Option("--unit", help="g, mg or capsules.")]
PerCapsule = Annotated[float | None, typer.Option("--grams-per-capsule")]
ProductOpt = Annotated[int | None, typer.Option("--product", help="Product id.")]
BatchOpt = Annotated[int | None, typer.Option("--batch", help="Batch id (default: newest).")]
Reason = Annotated[DoseReason | None, typer.Option("--reason")]
PainBefore = Annotated[int | None, typer.Option("--pain-before", help="Pain 0-10 before it.")]


@dose_app.command("add")
def dose_add(
    ctx: typer.Context,
    amount: Amount,
    unit: Unit = DoseUnit.GRAMS,
    time: Time = None,
    night: Night = None,
    grams_per_capsule: PerCapsule = None,
    product: ProductOpt = None,
    batch: BatchOpt = None,
    reason: Reason = None,
    pain_before: PainBefore = None,
    note: Note = None,
    acknowledge: Annotated[
        bool,
        typer.Option(
            "--acknowledge", help="Record that you have read any 'avoid' findings for this dose."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Log a dose (the pre-dose check's findings are shown after it; nothing is blocked)."""
    from bedside.services import doses, safety
    from bedside.services.safety import dose_findings

    fields = _dose_fields(
        time, night, amount, unit, grams_per_capsule, product, batch, reason, pain_before, note
    )
    with scope(ctx) as s:
        dose = doses.add_dose(s, fields)
        checked = dose_findings(s, dose.id)
        acknowledged = acknowledge and safety.acknowledge(s, checked, dose.id, "cli") is not None
        findings = [f.to_dict() for f in checked]
    if as_json:
        print_json(
            {**dose.model_dump(mode="json"), "findings": findings, "acknowledged": acknowledged}
        )
        return
    mg = f", {dose.mitragynine_mg:.0f} mg mitragynine" if dose.mitragynine_mg else ""
    typer.echo(
        f"Dose {dose.id} logged: {dose.amount:g} {dose.unit.value} at {short_time(dose.time)}{mg}"
    )
    if findings:
        from bedside.cli.safety import print_findings

        print_findings(findings, "")
        if acknowledged:
            typer.echo("Your acknowledgement of the 'avoid' findings was recorded.")


@dose_app.command("list")
def dose_list(
    ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
) -> None:
    """List doses (oldest first)."""
    from bedside.services import doses

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = doses.list_doses(s, start, end)
    if as_json:
        print_json(items)
        return
    print_table(
        "Doses",
        ["id", "time", "night", "amount", "grams", "mitragynine mg", "product", "reason"],
        [
            (
                d.id,
                short_time(d.time),
                d.night,
                f"{d.amount:g} {d.unit.value}",
                number(d.grams, 2),
                number(d.mitragynine_mg),
                d.product_name,
                d.reason.value if d.reason else None,
            )
            for d in items
        ],
    )


@dose_app.command("edit")
def dose_edit(
    ctx: typer.Context,
    dose_id: int,
    amount: Annotated[float | None, typer.Option("--amount")] = None,
    unit: Annotated[DoseUnit | None, typer.Option("--unit")] = None,
    time: Time = None,
    night: Night = None,
    grams_per_capsule: PerCapsule = None,
    product: ProductOpt = None,
    batch: BatchOpt = None,
    reason: Reason = None,
    pain_before: PainBefore = None,
    note: Note = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a dose (options not given stay as they are)."""
    from bedside.services import doses

    given = _dose_fields(
        time, night, amount, unit, grams_per_capsule, product, batch, reason, pain_before, note
    )
    with scope(ctx) as s:
        current = doses.get_dose(s, dose_id)
        fields: dict[str, object] = {
            "time": current.time,
            "amount": current.amount,
            "unit": current.unit,
            "grams_per_capsule": None,
            "product_id": current.product_id,
            "batch_id": current.batch_id,
            "reason": current.reason,
            "pain_before": current.pain_before,
            "note": current.note,
        }
        if "product_id" in given and "batch_id" not in given:
            fields["batch_id"] = None
        fields.update(given)
        if (
            fields["unit"] == DoseUnit.CAPSULES
            and fields["grams_per_capsule"] is None
            and current.grams
        ):
            fields["grams_per_capsule"] = current.grams / current.amount
        result = doses.update_dose(s, dose_id, fields)
    if as_json:
        print_json(result)
    else:
        typer.echo(f"Dose {dose_id} updated.")


@dose_app.command("delete")
def dose_delete(ctx: typer.Context, dose_id: int) -> None:
    """Delete a dose."""
    from bedside.services import doses

    with scope(ctx) as s:
        doses.delete_dose(s, dose_id)
    typer.echo(f"Dose {dose_id} deleted.")


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

    fields = _drop_none(
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


@pain_app.command("list")
def pain_list(
    ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
) -> None:
    """List pain ratings."""
    from bedside.services import symptoms

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = symptoms.list_pain(s, start, end)
    if as_json:
        print_json(items)
        return
    rows = [(p.id, short_time(p.time), p.night, p.score, p.location, p.note) for p in items]
    print_table("Pain", ["id", "time", "night", "score", "location", "note"], rows)


@pain_app.command("delete")
def pain_delete(ctx: typer.Context, entry_id: int) -> None:
    """Delete a pain rating."""
    from bedside.services import symptoms

    with scope(ctx) as s:
        symptoms.delete_pain(s, entry_id)
    typer.echo(f"Pain entry {entry_id} deleted.")


# --- soreness --------------------------------------------------------------------------------


def _ratings(pairs: list[str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for pair in pairs:
        group, sep, score = pair.partition("=")
        if not sep or not score.strip().lstrip("-").isdigit():
            fail(f"GROUP=SCORE: write each rating as group=score, e.g. quads=4 (got {pair!r})")
        ratings[group.strip().lower().replace("-", "_").replace(" ", "_")] = int(score)
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

    fields = _drop_none(
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


@soreness_app.command("list")
def soreness_list(
    ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
) -> None:
    """List soreness ratings."""
    from bedside.services import symptoms

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = symptoms.list_soreness(s, start, end)
    if as_json:
        print_json(items)
        return
    rows = [(e.id, short_time(e.time), e.night, e.muscle_group.value, e.score) for e in items]
    print_table("Soreness", ["id", "time", "night", "muscle group", "score"], rows)


@soreness_app.command("delete")
def soreness_delete(ctx: typer.Context, entry_id: int) -> None:
    """Delete a soreness rating."""
    from bedside.services import symptoms

    with scope(ctx) as s:
        symptoms.delete_soreness(s, entry_id)
    typer.echo(f"Soreness entry {entry_id} deleted.")


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

    fields = _drop_none(
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
    with scope(ctx) as s:
        workout = activity.add_workout(s, fields)
    if as_json:
        print_json(workout)
    else:
        typer.echo(f"Workout {workout.id} logged: {workout.kind}, {workout.duration_min:g} min.")


@workout_app.command("list")
def workout_list(
    ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
) -> None:
    """List workouts."""
    from bedside.services import activity

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = activity.list_workouts(s, start, end)
    if as_json:
        print_json(items)
        return
    rows = [
        (
            w.id,
            short_time(w.time),
            w.kind,
            f"{w.duration_min:g}",
            w.rpe,
            ", ".join(w.muscle_groups),
            w.source,
        )
        for w in items
    ]
    print_table("Workouts", ["id", "start", "type", "min", "RPE", "muscles", "source"], rows)


@workout_app.command("delete")
def workout_delete(ctx: typer.Context, workout_id: int) -> None:
    """Delete a workout."""
    from bedside.services import activity

    with scope(ctx) as s:
        activity.delete_workout(s, workout_id)
    typer.echo(f"Workout {workout_id} deleted.")


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

    fields = _drop_none(
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


@intake_app.command("list")
def intake_list(
    ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
) -> None:
    """List intakes."""
    from bedside.services import activity

    start, end = date_option(from_, "from"), date_option(to, "to")
    with scope(ctx) as s:
        items = activity.list_intakes(s, start, end)
    if as_json:
        print_json(items)
        return
    rows = [
        (i.id, short_time(i.time), i.kind.value, number(i.amount, 1), i.unit, i.name) for i in items
    ]
    print_table("Intakes", ["id", "time", "kind", "amount", "unit", "name"], rows)


@intake_app.command("delete")
def intake_delete(ctx: typer.Context, intake_id: int) -> None:
    """Delete an intake."""
    from bedside.services import activity

    with scope(ctx) as s:
        activity.delete_intake(s, intake_id)
    typer.echo(f"Intake {intake_id} deleted.")
