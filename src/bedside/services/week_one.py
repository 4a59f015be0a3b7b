"""Feedback from the first weeks, as a typed result for ``bedside analyze``, the API and Insights.

Before the association analysis has its 28 logged nights, :func:`week_one_feedback` turns
the figures of :mod:`bedside.analysis.week_one` into a :class:`WeekOneFeedback`: plain
averages with their counts and a few plain sentences. No verdicts, no p-values and no
causal words.
"""

from __future__ import annotations

import pandas as pd

from bedside.analysis.summary import number
from bedside.analysis.week_one import NOT_YET, week_one_figures
from bedside.analysis.week_one_figures import LoggingFeedback
from bedside.services.insights_schemas import AverageOut, OutcomeFeedback, WeekOneFeedback

__all__ = [
    "AverageOut",
    "LoggingFeedback",
    "OutcomeFeedback",
    "WeekOneFeedback",
    "feedback_rows",
    "week_one_feedback",
]


def week_one_feedback(frame: pd.DataFrame) -> WeekOneFeedback | None:
    """First-weeks feedback over a night frame; None when nothing is logged in it."""
    figures = week_one_figures(frame)
    if figures is None:
        return None
    return WeekOneFeedback(
        logging=figures.logging,
        outcomes=list(figures.outcomes),
        not_yet=NOT_YET,
        sentences=_sentences(figures.logging),
    )


def _nights(count: int) -> str:
    return f"{count} night" if count == 1 else f"{count} nights"


def _sentences(logging: LoggingFeedback) -> list[str]:
    """Plain sentences about the log itself (never about what kratom does)."""
    out = [
        f"You logged {_nights(logging.logged_nights)} of the {logging.nights_in_range} from "
        f"{logging.first_night.isoformat()} to {logging.last_night.isoformat()} "
        f"({number(logging.completeness_pct)}% complete).",
        f"Current streak: {_nights(logging.current_streak)} in a row "
        f"(longest so far: {_nights(logging.longest_streak)}).",
    ]
    if logging.nights_until_analysis:
        out.append(
            f"{logging.nights_until_analysis} more logged "
            f"{'night' if logging.nights_until_analysis == 1 else 'nights'} until the first real "
            "comparison of nights with and without kratom (it needs 28, with at least 10 "
            "each way)."
        )
    return out


def feedback_rows(feedback: WeekOneFeedback) -> list[tuple[str, str, str, str, str]]:
    """Table rows for people: outcome, this week, earlier weeks, with kratom, without."""

    def cell(a: AverageOut) -> str:
        return "-" if a.mean is None else f"{number(a.mean)} ({a.nights})"

    return [
        (
            o.label,
            cell(o.this_week),
            cell(o.earlier_weeks),
            cell(o.with_kratom),
            cell(o.without_kratom),
        )
        for o in feedback.outcomes
    ]
