"""Pain (0-10 with location) and soreness (0-10 per muscle group)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import local_iso, night_of, zone
from bedside.services.records import by_nights, delete_owned, owned
from bedside.services.scope import Scope, validated
from bedside.services.symptoms_schemas import MuscleGroup, PainIn, PainOut, SorenessIn, SorenessOut
from bedside.storage.models import PainEntry, SorenessEntry


def add_pain(scope: Scope, data: PainIn | Mapping[str, object]) -> PainOut:
    """Log a pain rating."""
    values = validated(PainIn, data)
    entry = PainEntry(user_id=scope.user.id)
    _fill_pain(scope, entry, values)
    scope.session.add(entry)
    scope.session.flush()
    return pain_out(entry)


def update_pain(scope: Scope, entry_id: int, data: PainIn | Mapping[str, object]) -> PainOut:
    """Replace a pain rating."""
    values = validated(PainIn, data)
    entry = owned(scope, PainEntry, entry_id, "pain entry")
    _fill_pain(scope, entry, values)
    scope.session.flush()
    return pain_out(entry)


def _fill_pain(scope: Scope, entry: PainEntry, values: PainIn) -> None:
    at = scope.instant(values.time, values.night)
    entry.at, entry.tz, entry.night = at, scope.tz.key, night_of(at, scope.tz)
    entry.score, entry.location, entry.note = values.score, values.location, values.note


def list_pain(scope: Scope, start: date | None = None, end: date | None = None) -> list[PainOut]:
    """Pain ratings with nights in ``[start, end]``, oldest first."""
    query = by_nights(scope, PainEntry, start, end, PainEntry.at)
    return [pain_out(e) for e in scope.session.scalars(query)]


def delete_pain(scope: Scope, entry_id: int) -> None:
    """Delete a pain rating."""
    delete_owned(scope, PainEntry, entry_id, "pain entry")


def pain_out(entry: PainEntry) -> PainOut:
    """The output shape of a pain rating."""
    return PainOut(
        id=entry.id,
        time=local_iso(entry.at, zone(entry.tz)),
        night=entry.night,
        score=entry.score,
        location=entry.location,
        note=entry.note,
    )


def add_soreness(scope: Scope, data: SorenessIn | Mapping[str, object]) -> list[SorenessOut]:
    """Log soreness for each muscle group given (one row per group)."""
    values = validated(SorenessIn, data)
    at = scope.instant(values.time, values.night)
    rows = [
        SorenessEntry(
            user_id=scope.user.id,
            at=at,
            tz=scope.tz.key,
            night=night_of(at, scope.tz),
            muscle_group=group.value,
            score=score,
            note=values.note,
        )
        for group, score in values.ratings.items()
    ]
    scope.session.add_all(rows)
    scope.session.flush()
    return [soreness_out(r) for r in rows]


def update_soreness(
    scope: Scope, entry_id: int, group: MuscleGroup, score: int, time: str | None, note: str | None
) -> SorenessOut:
    """Change one soreness rating."""
    entry = owned(scope, SorenessEntry, entry_id, "soreness entry")
    values = validated(SorenessIn, {"ratings": {group: score}, "time": time, "note": note})
    at = scope.instant(values.time, entry.night)
    entry.at, entry.night = at, night_of(at, scope.tz)
    entry.muscle_group, entry.score, entry.note = group.value, score, values.note
    scope.session.flush()
    return soreness_out(entry)


def list_soreness(
    scope: Scope, start: date | None = None, end: date | None = None
) -> list[SorenessOut]:
    """Soreness ratings with nights in ``[start, end]``, oldest first."""
    query = by_nights(scope, SorenessEntry, start, end, SorenessEntry.at)
    return [soreness_out(e) for e in scope.session.scalars(query)]


def delete_soreness(scope: Scope, entry_id: int) -> None:
    """Delete a soreness rating."""
    delete_owned(scope, SorenessEntry, entry_id, "soreness entry")


def soreness_out(entry: SorenessEntry) -> SorenessOut:
    """The output shape of a soreness rating."""
    return SorenessOut(
        id=entry.id,
        time=local_iso(entry.at, zone(entry.tz)),
        night=entry.night,
        muscle_group=MuscleGroup(entry.muscle_group),
        score=entry.score,
        note=entry.note,
    )


def get_pain(scope: Scope, entry_id: int) -> PainOut:
    """One pain rating."""
    return pain_out(owned(scope, PainEntry, entry_id, "pain entry"))


def get_soreness(scope: Scope, entry_id: int) -> SorenessOut:
    """One soreness rating."""
    return soreness_out(owned(scope, SorenessEntry, entry_id, "soreness entry"))


def replace_soreness(
    scope: Scope, entry_id: int, data: SorenessIn | Mapping[str, object]
) -> SorenessOut:
    """Replace one soreness rating from the shared input shape (exactly one muscle group)."""
    values = validated(SorenessIn, data)
    if len(values.ratings) != 1:
        raise InputError("ratings", "a stored soreness rating covers exactly one muscle group")
    ((group, score),) = values.ratings.items()
    return update_soreness(scope, entry_id, group, score, values.time, values.note)
