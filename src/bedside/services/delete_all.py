"""Delete all of a person's data, leaving an empty profile in their time zone."""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy import delete

from bedside.domain.errors import InputError
from bedside.services.backup_tables import USER_COLUMN, entity_tables
from bedside.services.profiles import set_profile
from bedside.services.scope import Scope
from bedside.storage.cache import ComputedResult

CONFIRM_WORD = "DELETE"


class DeleteAllOut(BaseModel):
    """What was deleted, per entity, and the empty profile left behind."""

    deleted: dict[str, int] = Field(description="Rows deleted per entity.")
    total: int = Field(description="Rows deleted in all.")
    timezone: str | None = Field(description="The time zone kept for the new, empty profile.")


def delete_all(scope: Scope, confirmation: str) -> DeleteAllOut:
    """Remove every row of this person (no one else's) once they typed the confirmation word.

    The time zone is kept in a fresh default profile so the app stays usable; everything
    else (caps, medications, conditions, region, every entry) is gone.
    """
    if confirmation.strip() != CONFIRM_WORD:
        raise InputError("confirm", f"type {CONFIRM_WORD} (in capitals) to delete all your data")
    profile = scope.profile
    timezone = profile.timezone if profile is not None else None
    if profile is not None:
        scope.session.expunge(profile)
    deleted: dict[str, int] = {}
    for spec in reversed(entity_tables()):
        table = spec.table
        result = scope.session.execute(delete(table).where(table.c[USER_COLUMN] == scope.user.id))
        deleted[spec.name] = int(getattr(result, "rowcount", 0) or 0)
    scope.session.execute(delete(ComputedResult).where(ComputedResult.user_id == scope.user.id))
    if timezone is not None:
        set_profile(scope, {"timezone": timezone})
    return DeleteAllOut(deleted=deleted, total=sum(deleted.values()), timezone=timezone)
