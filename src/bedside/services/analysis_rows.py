"""The rows the night frame is built from: seven queries, handed to analysis as plain values.

:mod:`bedside.analysis.frames` builds the night frame from plain rows and never touches the
database; this service runs the queries (one per table over the whole range, never one per
night) and hands the result over as a :class:`~bedside.analysis.frames.NightRows`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bedside.analysis.frames import (
    COMBINED_SOURCE,
    DIARY_NUMBERS,
    DIARY_TIMES,
    NightRows,
    RowTable,
    night_frame,
)
from bedside.services.scope import Scope
from bedside.storage.models import (
    Batch,
    DiaryEntry,
    Dose,
    Intake,
    PainEntry,
    SorenessEntry,
    Workout,
)
from bedside.storage.wearables import SleepNightRow


def person_night_frame(
    scope: Scope, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The night frame of the person in ``scope`` for nights ``[start, end]`` (default: all)."""
    profile = scope.require_profile()
    rows = night_rows(scope.session, profile.user_id, start, end)
    return night_frame(rows, profile.timezone, profile.bedtime, start, end)


def night_rows(
    session: Session, user_id: int, start: date | None = None, end: date | None = None
) -> NightRows:
    """Every row the night frame of ``[start, end]`` needs, in seven queries.

    The queries run on the session's connection (same transaction) rather than through the
    ORM's result layer, which only adds per-row work for these plain column tuples (about a
    quarter of the loading time on years of nights); pending changes are flushed first, as
    the session would.
    """
    if session.autoflush:
        session.flush()
    loader = _Loader(session, user_id, start, end)
    d, p, s, w, i, n = DiaryEntry, PainEntry, SorenessEntry, Workout, Intake, SleepNightRow
    doses = select(
        Dose.night, Dose.taken_at, Dose.grams, Dose.pain_before, Batch.mitragynine_pct
    ).outerjoin(Batch, Dose.batch_id == Batch.id)
    diary = [getattr(d, name) for name in (*DIARY_TIMES, *DIARY_NUMBERS)]
    main_sleep = (n.source == COMBINED_SOURCE) & n.is_main.is_(True)
    return NightRows(
        doses=loader.rows(doses, Dose),
        diary=loader.rows(select(d.night, *diary), d),
        pain=loader.rows(select(p.night, p.at, p.tz, p.score), p),
        soreness=loader.rows(select(s.night, s.at, s.tz, s.score), s),
        workouts=loader.rows(
            select(w.night, w.start_at, w.tz, w.duration_min, w.rpe, w.source), w, 1
        ),
        intakes=loader.rows(select(i.night, i.at, i.tz, i.kind, i.amount), i, 1),
        sleep=loader.rows(
            select(n.night, n.in_bed_min, n.asleep_min, n.hrv_mean).where(main_sleep), n
        ),
    )


class _Loader:
    """One query per table over the night range (``pad_before`` nights earlier when asked)."""

    def __init__(self, session: Session, user_id: int, start: date | None, end: date | None):
        self.session, self.user_id, self.start, self.end = session, user_id, start, end

    def rows(self, query: Select[Any], model: Any, pad_before: int = 0) -> RowTable:
        """The rows of ``query`` for this person and range, with their column names."""
        query = query.where(model.user_id == self.user_id)
        if self.start is not None:
            query = query.where(model.night >= self.start - timedelta(days=pad_before))
        if self.end is not None:
            query = query.where(model.night <= self.end)
        rows = self.session.connection().execute(query).all()
        return RowTable(tuple(query.selected_columns.keys()), [tuple(row) for row in rows])
