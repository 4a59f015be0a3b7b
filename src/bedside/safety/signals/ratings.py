"""Summaries of the daily craving and withdrawal check-ins.

For each item: how many ratings and their mean over the last 7 days (days 0-6 back from
``today``), the mean over the 21 days before that (days 7-27), and the latest rating.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bedside.safety.signals.inputs import RATING_ITEMS, SelfRating

__all__ = ["RatingSummary", "summarise_ratings"]

RECENT_DAYS = 7
BASELINE_DAYS = 28


@dataclass(frozen=True)
class RatingSummary:
    """One check-in item summarised."""

    item: str
    short: str
    withdrawal: bool
    count_last_7: int
    mean_last_7: float | None
    count_previous_21: int
    mean_previous_21: float | None
    latest_score: int | None
    latest_day: date | None


def _scores(ratings: Sequence[SelfRating], first: date, last: date) -> list[int]:
    return [r.score for r in ratings if first <= r.day <= last]


def _mean(scores: list[int]) -> float | None:
    return statistics.fmean(scores) if scores else None


def summarise_ratings(ratings: Sequence[SelfRating], today: date) -> tuple[RatingSummary, ...]:
    """One summary per check-in item, in the order of :data:`RATING_ITEMS`."""
    recent_start = today - timedelta(days=RECENT_DAYS - 1)
    baseline_start = today - timedelta(days=BASELINE_DAYS - 1)
    summaries = []
    for item in RATING_ITEMS:
        mine = sorted(
            (r for r in ratings if r.item == item.id and r.day <= today), key=lambda r: r.day
        )
        recent = _scores(mine, recent_start, today)
        earlier = _scores(mine, baseline_start, recent_start - timedelta(days=1))
        latest = mine[-1] if mine else None
        summaries.append(
            RatingSummary(
                item=item.id,
                short=item.short,
                withdrawal=item.withdrawal,
                count_last_7=len(recent),
                mean_last_7=_mean(recent),
                count_previous_21=len(earlier),
                mean_previous_21=_mean(earlier),
                latest_score=latest.score if latest else None,
                latest_day=latest.day if latest else None,
            )
        )
    return tuple(summaries)
