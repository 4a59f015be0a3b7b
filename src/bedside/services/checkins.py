"""Daily check-ins: 0-10 answers to Bedside's own craving and withdrawal questions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import check_date, night_of
from bedside.safety.signals import RATING_ITEMS
from bedside.safety.signals import SelfRating as Rating
from bedside.services.scope import Scope
from bedside.storage.safety_records import SelfRating

ITEM_IDS = tuple(item.id for item in RATING_ITEMS)


def add_checkin(scope: Scope, scores: Mapping[str, int], day: date | None = None) -> list[Rating]:
    """Store (or replace) today's answers; ``day`` defaults to the current local day."""
    if not scores:
        raise InputError("answers", "give at least one answer, e.g. urge=3")
    for item, score in scores.items():
        if item not in ITEM_IDS:
            raise InputError("answers", f"unknown question {item!r}; use {', '.join(ITEM_IDS)}")
        if not 0 <= score <= 10:
            raise InputError("answers", f"{item} must be between 0 and 10, got {score}")
    if day is not None:
        check_date(day, "day")
    when = day or night_of(scope.now, scope.tz)
    existing = {
        row.item: row
        for row in scope.session.scalars(
            select(SelfRating).where(SelfRating.user_id == scope.user.id, SelfRating.day == when)
        )
    }
    for item, score in scores.items():
        row = existing.get(item) or SelfRating(user_id=scope.user.id, day=when, item=item)
        row.score = score
        scope.session.add(row)
    scope.session.flush()
    return [Rating(when, item, score) for item, score in scores.items()]


def ratings_since(scope: Scope, since: datetime) -> list[Rating]:
    """Every check-in answer from ``since`` on (for the signals)."""
    query = select(SelfRating.day, SelfRating.item, SelfRating.score).where(
        SelfRating.user_id == scope.user.id, SelfRating.day >= since.date()
    )
    return [Rating(day, item, score) for day, item, score in scope.session.execute(query)]


def checkin_questions() -> list[dict[str, str]]:
    """The questions, for forms and help text."""
    return [{"id": item.id, "prompt": item.prompt} for item in RATING_ITEMS]
