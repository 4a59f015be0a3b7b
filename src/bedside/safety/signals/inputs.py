"""Inputs to the dependence and tolerance signals: dose events and daily self-ratings.

The self-rating items are written for Bedside (validated withdrawal scales are not licensed
for reuse here). They follow symptoms people report when they stop regular kratom use, plus
craving; each is rated 0 (not at all) to 10 (extremely) for the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bedside.domain.timekeeping import require_aware

__all__ = ["RATING_ITEMS", "DoseEvent", "RatingItem", "SelfRating", "rating_item"]

MAX_SCORE = 10


@dataclass(frozen=True)
class DoseEvent:
    """A logged dose: aware datetime and grams (None when the amount wasn't recorded)."""

    at: datetime
    grams: float | None = None

    def __post_init__(self) -> None:
        require_aware(self.at, "dose time")
        if self.grams is not None and self.grams < 0:
            raise ValueError("dose amount cannot be negative")


@dataclass(frozen=True)
class RatingItem:
    """One check-in question."""

    id: str
    prompt: str
    short: str
    withdrawal: bool


RATING_ITEMS: tuple[RatingItem, ...] = (
    RatingItem(
        "urge",
        "How strong was your urge to take kratom today?",
        "urge to take kratom",
        withdrawal=False,
    ),
    RatingItem(
        "restless",
        "How restless, tense or on edge did you feel today?",
        "restlessness",
        withdrawal=True,
    ),
    RatingItem(
        "aches",
        "How much did your muscles or bones ache today, apart from workouts or your usual pain?",
        "aches",
        withdrawal=True,
    ),
    RatingItem(
        "sleep",
        "How hard was it to fall asleep or stay asleep last night?",
        "trouble sleeping",
        withdrawal=True,
    ),
    RatingItem(
        "nose-eyes",
        "How much did you have a runny nose, watery eyes or yawning today?",
        "runny nose or watery eyes",
        withdrawal=True,
    ),
    RatingItem(
        "stomach",
        "How unsettled was your stomach today (cramps, loose stools, feeling sick)?",
        "stomach upset",
        withdrawal=True,
    ),
)
_ITEMS = {item.id: item for item in RATING_ITEMS}


def rating_item(item_id: str) -> RatingItem:
    """The check-in question with this id (KeyError if unknown)."""
    return _ITEMS[item_id]


@dataclass(frozen=True)
class SelfRating:
    """A 0-10 answer to one check-in question on one local day."""

    day: date
    item: str
    score: int

    def __post_init__(self) -> None:
        if self.item not in _ITEMS:
            raise ValueError(f"unknown rating item {self.item!r}; expected one of {sorted(_ITEMS)}")
        if not 0 <= self.score <= MAX_SCORE:
            raise ValueError(f"rating score must be 0-{MAX_SCORE} (got {self.score})")
