"""API: workouts and intakes (alcohol, caffeine, medications taken)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from bedside.services import activity
from bedside.services.activity_schemas import IntakeIn, IntakeOut, WorkoutIn, WorkoutOut
from bedside.web.api.common import From, Id, To, api_scope, no_content

router = APIRouter()


@router.get("/workouts", name="list_workouts", tags=["workouts"])
def list_workouts(request: Request, start: From = None, end: To = None) -> list[WorkoutOut]:
    """Workouts whose night lies in the range, oldest first."""
    with api_scope(request) as scope:
        return activity.list_workouts(scope, start, end)


@router.post("/workouts", name="create_workout", status_code=201, tags=["workouts"])
def create_workout(request: Request, body: WorkoutIn) -> WorkoutOut:
    """Log a workout."""
    with api_scope(request) as scope:
        return activity.add_workout(scope, body)


@router.get("/workouts/{workout_id}", name="get_workout", tags=["workouts"])
def get_workout(request: Request, workout_id: Id) -> WorkoutOut:
    """One workout."""
    with api_scope(request) as scope:
        return activity.get_workout(scope, workout_id)


@router.put("/workouts/{workout_id}", name="update_workout", tags=["workouts"])
def update_workout(request: Request, workout_id: Id, body: WorkoutIn) -> WorkoutOut:
    """Replace a workout's fields."""
    with api_scope(request) as scope:
        return activity.update_workout(scope, workout_id, body)


@router.delete("/workouts/{workout_id}", name="delete_workout", status_code=204, tags=["workouts"])
def delete_workout(request: Request, workout_id: Id) -> Response:
    """Delete a workout."""
    with api_scope(request) as scope:
        activity.delete_workout(scope, workout_id)
    return no_content()


@router.get("/intakes", name="list_intakes", tags=["intakes"])
def list_intakes(request: Request, start: From = None, end: To = None) -> list[IntakeOut]:
    """Intakes whose night lies in the range, oldest first."""
    with api_scope(request) as scope:
        return activity.list_intakes(scope, start, end)


@router.post("/intakes", name="create_intake", status_code=201, tags=["intakes"])
def create_intake(request: Request, body: IntakeIn) -> IntakeOut:
    """Log alcohol (standard drinks), caffeine (mg) or a medication taken."""
    with api_scope(request) as scope:
        return activity.add_intake(scope, body)


@router.get("/intakes/{intake_id}", name="get_intake", tags=["intakes"])
def get_intake(request: Request, intake_id: Id) -> IntakeOut:
    """One intake."""
    with api_scope(request) as scope:
        return activity.get_intake(scope, intake_id)


@router.put("/intakes/{intake_id}", name="update_intake", tags=["intakes"])
def update_intake(request: Request, intake_id: Id, body: IntakeIn) -> IntakeOut:
    """Replace an intake's fields."""
    with api_scope(request) as scope:
        return activity.update_intake(scope, intake_id, body)


@router.delete("/intakes/{intake_id}", name="delete_intake", status_code=204, tags=["intakes"])
def delete_intake(request: Request, intake_id: Id) -> Response:
    """Delete an intake."""
    with api_scope(request) as scope:
        activity.delete_intake(scope, intake_id)
    return no_content()
