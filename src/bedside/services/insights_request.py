"""What an insights request may ask for, checked before anything is read (no pandas here:
a remembered answer is given without loading the analysis libraries)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from bedside.analysis.outcomes import OUTCOMES
from bedside.domain.errors import InputError

__all__ = ["DEFAULT_OUTCOME", "check_outcome", "check_request"]

DEFAULT_OUTCOME: Final = "quality"


def check_outcome(outcome: str) -> None:
    """An unknown outcome is a mistake the person can fix: list the valid ones."""
    if outcome not in OUTCOMES:
        raise InputError(
            "outcome", f"unknown outcome {outcome!r}; choose one of: {', '.join(OUTCOMES)}"
        )


def check_request(
    outcome: str,
    start: date | None = None,
    end: date | None = None,
    secondary: Sequence[str] | None = None,
) -> None:
    """The outcome names and the range, checked before anything is read."""
    check_outcome(outcome)
    for name in secondary or ():
        check_outcome(name)
    if start is not None and end is not None and start > end:
        raise InputError("from", f"the range starts ({start}) after it ends ({end})")
