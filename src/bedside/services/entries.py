"""Single-entry reads and edits that the per-entity modules lack (used by the web and API)."""

from __future__ import annotations

from collections.abc import Mapping

from bedside.domain.errors import InputError
from bedside.services.activity import intake_out, workout_out
from bedside.services.products import batch_out
from bedside.services.records import owned
from bedside.services.schemas import (
    BatchOut,
    IntakeOut,
    PainOut,
    SorenessIn,
    SorenessOut,
    WorkoutOut,
)
from bedside.services.scope import Scope, validated
from bedside.services.symptoms import pain_out, soreness_out, update_soreness
from bedside.storage.models import Batch, Intake, PainEntry, SorenessEntry, Workout


def get_pain(scope: Scope, entry_id: int) -> PainOut:
    """One pain rating."""
    return pain_out(owned(scope, PainEntry, entry_id, "pain entry"))


def get_soreness(scope: Scope, entry_id: int) -> SorenessOut:
    """One soreness rating."""
    return soreness_out(owned(scope, SorenessEntry, entry_id, "soreness entry"))


def get_workout(scope: Scope, workout_id: int) -> WorkoutOut:
    """One workout."""
    return workout_out(owned(scope, Workout, workout_id, "workout"))


def get_intake(scope: Scope, intake_id: int) -> IntakeOut:
    """One intake."""
    return intake_out(owned(scope, Intake, intake_id, "intake"))


def get_batch(scope: Scope, batch_id: int) -> BatchOut:
    """One lab batch."""
    return batch_out(owned(scope, Batch, batch_id, "batch"))


def replace_soreness(
    scope: Scope, entry_id: int, data: SorenessIn | Mapping[str, object]
) -> SorenessOut:
    """Replace one soreness rating from the shared input shape (exactly one muscle group)."""
    values = validated(SorenessIn, data)
    if len(values.ratings) != 1:
        raise InputError("ratings", "a stored soreness rating covers exactly one muscle group")
    ((group, score),) = values.ratings.items()
    return update_soreness(scope, entry_id, group, score, values.time, values.note)
