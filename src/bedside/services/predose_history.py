"""What a pre-dose check looks back on: recent doses and the evening's alcohol and medicines.

One check reads the doses of the last :data:`HISTORY_DAYS` days and the intakes of the last
:data:`INTAKE_WINDOW` before the dose. Tonight runs two checks a few hours apart (the plan's,
at intake time, and the repeat offer's, now): within :func:`shared_history` a
:class:`PredoseHistory` made with a ``margin`` reads a window wide enough for both once, and
each check picks out exactly the rows its own window holds, so the findings are the same as
with a read per check. Share one only within one scope and while nothing is written (a dose
logged after the read would not be in it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bedside.safety.predose import AlcoholIntake, MedicationIntake, PastDose
from bedside.services.scope import Scope
from bedside.storage.models import Dose, Intake

HISTORY_DAYS = 30
INTAKE_WINDOW = timedelta(hours=12)
#: The intakes a pre-dose check weighs.
CHECKED_KINDS = ("alcohol", "medication")
#: How far Tonight's two checks can lie apart: the plan's intake time is within a day of now.
TONIGHT_MARGIN = timedelta(hours=36)


@dataclass(frozen=True)
class _Window:
    start: datetime
    end: datetime

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class _IntakeRow:
    kind: str
    at: datetime
    amount: float | None
    name: str | None


class PredoseHistory:
    """The rows pre-dose checks in one scope look back on, read once per window."""

    def __init__(self, scope: Scope, margin: timedelta = timedelta(0)) -> None:
        self.scope = scope
        self._margin = margin
        self._dose_window: _Window | None = None
        self._doses: list[tuple[int, datetime, float | None]] = []
        self._intake_window: _Window | None = None
        self._intakes: list[_IntakeRow] = []

    def recent_doses(self, at: datetime, exclude: int | None = None) -> list[PastDose]:
        """Doses taken in the :data:`HISTORY_DAYS` days up to ``at`` (``exclude`` left out)."""
        start = at - timedelta(days=HISTORY_DAYS)
        if self._dose_window is None or not self._dose_window.covers(start, at):
            self._dose_window = _Window(start - self._margin, at + self._margin)
            self._doses = self._read_doses(self._dose_window)
        return [PastDose(t, g) for i, t, g in self._doses if start <= t <= at and i != exclude]

    def alcohol(self, at: datetime) -> list[AlcoholIntake]:
        """Alcohol in the :data:`INTAKE_WINDOW` up to ``at`` (no amount counts as 0)."""
        return [AlcoholIntake(i.at, i.amount or 0.0) for i in self._intakes_of(at, "alcohol")]

    def medications(self, at: datetime) -> list[MedicationIntake]:
        """Medicines taken in the :data:`INTAKE_WINDOW` up to ``at``."""
        return [MedicationIntake(i.at, i.name or "") for i in self._intakes_of(at, "medication")]

    def _intakes_of(self, at: datetime, kind: str) -> list[_IntakeRow]:
        start = at - INTAKE_WINDOW
        if self._intake_window is None or not self._intake_window.covers(start, at):
            self._intake_window = _Window(start - self._margin, at + self._margin)
            self._intakes = self._read_intakes(self._intake_window)
        return [i for i in self._intakes if i.kind == kind and start <= i.at <= at]

    def _read_doses(self, window: _Window) -> list[tuple[int, datetime, float | None]]:
        query = select(Dose.id, Dose.taken_at, Dose.grams).where(
            Dose.user_id == self.scope.user.id,
            Dose.taken_at >= window.start,
            Dose.taken_at <= window.end,
        )
        return [(i, t, g) for i, t, g in self.scope.session.execute(query)]

    def _read_intakes(self, window: _Window) -> list[_IntakeRow]:
        query = select(Intake.kind, Intake.at, Intake.amount, Intake.name).where(
            Intake.user_id == self.scope.user.id,
            Intake.kind.in_(CHECKED_KINDS),
            Intake.at >= window.start,
            Intake.at <= window.end,
        )
        return [_IntakeRow(*row) for row in self.scope.session.execute(query)]


_SHARED: ContextVar[PredoseHistory | None] = ContextVar("bedside_predose_history", default=None)


@contextmanager
def shared_history(scope: Scope, margin: timedelta) -> Iterator[PredoseHistory]:
    """Pre-dose checks on ``scope`` in this block share one read (``margin`` wide around it).

    Only for blocks that write no doses or intakes: the rows are read once and kept.
    """
    history = PredoseHistory(scope, margin)
    token = _SHARED.set(history)
    try:
        yield history
    finally:
        _SHARED.reset(token)


def history_for(scope: Scope) -> PredoseHistory:
    """The history shared by the enclosing :func:`shared_history` for ``scope``, else a new one."""
    shared = _SHARED.get()
    return shared if shared is not None and shared.scope is scope else PredoseHistory(scope)
