"""The typed result of one safety finding, shared by every safety use case.

Apart from :mod:`bedside.services.safety_schemas` (which re-exports it) so that logging a
dose, whose pre-dose check returns only findings, does not define the other safety results.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bedside.knowledge.models import Severity

Precision = Literal["day", "month", "year"]


class FromRules(BaseModel):
    """A result read from a :mod:`bedside.safety` dataclass (fields and properties).

    Each validator is built on first use (``defer_build``), like the shared result schemas:
    a dose logged without findings builds none.
    """

    model_config = ConfigDict(from_attributes=True, defer_build=True)


class FindingOut(FromRules):
    """A safety finding with its evidence trail: sources, the date of the law or newest source
    it reflects (``as_of``, known to ``as_of_precision``) and when it was last checked."""

    id: str
    severity: Severity
    title: str
    summary: str
    action: str
    sources: list[str]
    as_of: date
    as_of_precision: Precision
    checked_on: date
    dates: str = Field(description='Both dates in words, e.g. "as of 2024 · checked 2026-11-22".')
    stale: bool
    uncertain: bool
