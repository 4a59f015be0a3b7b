"""What the Experiments page shows beside the service's result: the plan form's fields and
hints, and the schedule grouped by block. The analysis figures come typed from
:func:`bedside.services.experiments.page.experiment_page`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from bedside.services.experiments.schemas import ScheduledNightOut
from bedside.web.forms import FormValues

PLAN_FIELDS: Final = ("question", "outcome", "threshold", "pairs", "nights", "washout")
MORE_FIELDS: Final = ("run_in", "start")
DEFAULT_PLAN: Final = {
    "outcome": "quality",
    "pairs": "6",
    "nights": "7",
    "washout": "1",
    "run_in": "0",
}
DEFAULT_LEVELS: Final = ("kratom", "no kratom")
NOT_DRAWN: Final = "drawn when the block starts"
HINTS: Final = {
    "threshold": (
        "The smallest difference that would make it worth it to you, in the outcome's own "
        "units (for sleep quality, 0.5 of a point is usual). Blank: the usual threshold."
    ),
    "pairs": (
        "Each pair is one period of each condition, in an order drawn at random. With K pairs "
        "the smallest possible randomisation p is 2/2^K (6 pairs: 2/64, about 0.03); 3 pairs "
        "is the floor (2/8 = 0.25)."
    ),
    "nights": "Nights in each period, washout included.",
    "washout": "The first nights of each period, not analysed, so the last period fades out.",
    "run_in": "Nights of ordinary logging before the first pair (measures your usual spread).",
    "start": "The first night (the evening's date). Blank: tomorrow night.",
}


def plan_defaults() -> FormValues:
    """The plan form as first shown."""
    return FormValues([*DEFAULT_PLAN.items(), *(("levels", level) for level in DEFAULT_LEVELS)])


def plan_data(values: FormValues) -> dict[str, object]:
    """Service input from the submitted plan form (blanks left to the service's defaults)."""
    data: dict[str, object] = {}
    for name in (*PLAN_FIELDS, *MORE_FIELDS):
        text = values.get(name).strip()
        if text:
            data[name] = text
    levels = [level.strip() for level in values.getlist("levels") if level.strip()]
    data["levels"] = levels or list(DEFAULT_LEVELS)
    return data


def form_field(field: str | None) -> str | None:
    """``levels.1`` → ``levels``: the form field an error belongs to."""
    return field.split(".", 1)[0] if field else field


def levels_of(values: FormValues) -> list[str]:
    """The two level inputs' values (defaults when absent)."""
    given = values.getlist("levels")
    return [*given, *DEFAULT_LEVELS[len(given) :]][:2] if len(given) < 2 else given


def blocks(schedule: Sequence[ScheduledNightOut], tonight: date) -> list[dict[str, Any]]:
    """The schedule grouped by block (run-in first), each night with its followed mark."""
    groups: dict[str, dict[str, Any]] = {}
    for night in schedule:
        key = "run-in" if night.run_in else f"Block {night.block}"
        group = groups.setdefault(key, {"title": key, "nights": [], "drawn": True})
        if not night.run_in and night.condition is None:
            group["drawn"] = False
        group["nights"].append(
            {
                "night": night.night,
                "condition": "run-in" if night.run_in else night.condition or NOT_DRAWN,
                "washout": night.washout,
                "followed": _followed(night, tonight),
                "tonight": night.night == tonight,
            }
        )
    return list(groups.values())


def _followed(night: ScheduledNightOut, tonight: date) -> str:
    if night.run_in or night.night > tonight:
        return ""
    if night.followed is None:
        return "unknown" if night.night < tonight else ""
    return "followed" if night.followed else "not followed"
