"""Workouts and intakes (alcohol, caffeine, medications taken)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import local_iso, night_of, zone
from bedside.services.activity_schemas import IntakeIn, IntakeKind, IntakeOut, WorkoutIn, WorkoutOut
from bedside.services.records import by_nights, delete_owned, owned
from bedside.services.scope import Scope, validated
from bedside.storage.models import Intake, Workout

INTAKE_UNITS = {IntakeKind.ALCOHOL: "drinks", IntakeKind.CAFFEINE: "mg"}
INTAKE_LIMITS = {IntakeKind.ALCOHOL: 30.0, IntakeKind.CAFFEINE: 2000.0}


def add_workout(scope: Scope, data: WorkoutIn | Mapping[str, object]) -> WorkoutOut:
    """Log a workout."""
    values = validated(WorkoutIn, data)
    workout = Workout(user_id=scope.user.id, source="manual")
    _fill_workout(scope, workout, values)
    scope.session.add(workout)
    scope.session.flush()
    return workout_out(workout)


def update_workout(
    scope: Scope, workout_id: int, data: WorkoutIn | Mapping[str, object]
) -> WorkoutOut:
    """Replace a workout's fields."""
    values = validated(WorkoutIn, data)
    workout = owned(scope, Workout, workout_id, "workout")
    _fill_workout(scope, workout, values)
    scope.session.flush()
    return workout_out(workout)


def _fill_workout(scope: Scope, workout: Workout, values: WorkoutIn) -> None:
    start = scope.instant(values.time, values.night)
    workout.start_at, workout.tz, workout.night = start, scope.tz.key, night_of(start, scope.tz)
    workout.kind, workout.duration_min, workout.rpe = values.kind, values.duration_min, values.rpe
    workout.muscle_groups = [g.value for g in values.muscle_groups]
    workout.eccentric, workout.new_work = values.eccentric, values.new_work
    workout.energy_kcal, workout.note = values.energy_kcal, values.note


def list_workouts(
    scope: Scope, start: date | None = None, end: date | None = None
) -> list[WorkoutOut]:
    """Workouts with nights in ``[start, end]``, oldest first."""
    query = by_nights(scope, Workout, start, end, Workout.start_at)
    return [workout_out(w) for w in scope.session.scalars(query)]


def delete_workout(scope: Scope, workout_id: int) -> None:
    """Delete a workout."""
    delete_owned(scope, Workout, workout_id, "workout")


def workout_out(workout: Workout) -> WorkoutOut:
    """The output shape of a workout."""
    return WorkoutOut(
        id=workout.id,
        time=local_iso(workout.start_at, zone(workout.tz)),
        night=workout.night,
        kind=workout.kind,
        duration_min=workout.duration_min,
        rpe=workout.rpe,
        muscle_groups=list(workout.muscle_groups),
        eccentric=workout.eccentric,
        new_work=workout.new_work,
        energy_kcal=workout.energy_kcal,
        source=workout.source,
        note=workout.note,
    )


def add_intake(scope: Scope, data: IntakeIn | Mapping[str, object]) -> IntakeOut:
    """Log alcohol, caffeine or a medication taken."""
    values = validated(IntakeIn, data)
    intake = Intake(user_id=scope.user.id)
    _fill_intake(scope, intake, values)
    scope.session.add(intake)
    scope.session.flush()
    return intake_out(intake)


def update_intake(scope: Scope, intake_id: int, data: IntakeIn | Mapping[str, object]) -> IntakeOut:
    """Replace an intake's fields."""
    values = validated(IntakeIn, data)
    intake = owned(scope, Intake, intake_id, "intake")
    _fill_intake(scope, intake, values)
    scope.session.flush()
    return intake_out(intake)


def _fill_intake(scope: Scope, intake: Intake, values: IntakeIn) -> None:
    _check_intake(values)
    at = scope.instant(values.time, values.night)
    intake.at, intake.tz, intake.night = at, scope.tz.key, night_of(at, scope.tz)
    intake.kind, intake.amount, intake.name = values.kind.value, values.amount, values.name
    intake.unit = INTAKE_UNITS.get(values.kind, values.unit)
    intake.note = values.note


def _check_intake(values: IntakeIn) -> None:
    if values.kind is IntakeKind.MEDICATION:
        if not values.name:
            raise InputError("name", "a medication needs its name, e.g. ibuprofen")
        return
    unit = INTAKE_UNITS[values.kind]
    if values.amount is None or values.amount <= 0:
        raise InputError("amount", f"give the amount of {values.kind.value} in {unit}")
    if values.amount > INTAKE_LIMITS[values.kind]:
        raise InputError(
            "amount",
            f"{values.amount:g} {unit} of {values.kind.value} is not plausible at one time; "
            f"check the unit ({unit})",
        )


def list_intakes(
    scope: Scope, start: date | None = None, end: date | None = None
) -> list[IntakeOut]:
    """Intakes with nights in ``[start, end]``, oldest first."""
    query = by_nights(scope, Intake, start, end, Intake.at)
    return [intake_out(i) for i in scope.session.scalars(query)]


def delete_intake(scope: Scope, intake_id: int) -> None:
    """Delete an intake."""
    delete_owned(scope, Intake, intake_id, "intake")


def intake_out(intake: Intake) -> IntakeOut:
    """The output shape of an intake."""
    return IntakeOut(
        id=intake.id,
        time=local_iso(intake.at, zone(intake.tz)),
        night=intake.night,
        kind=IntakeKind(intake.kind),
        amount=intake.amount,
        unit=intake.unit,
        name=intake.name,
        note=intake.note,
    )


def get_workout(scope: Scope, workout_id: int) -> WorkoutOut:
    """One workout."""
    return workout_out(owned(scope, Workout, workout_id, "workout"))


def get_intake(scope: Scope, intake_id: int) -> IntakeOut:
    """One intake."""
    return intake_out(owned(scope, Intake, intake_id, "intake"))
