"""Batched, duplicate-ignoring writes of imported records (the hot path of an import)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from bedside.domain.timekeeping import night_of, zone
from bedside.importers.base import SampleRow
from bedside.sleep.records import (
    MindfulSession,
    Record,
    Sample,
    SleepSegment,
    SleepSummary,
    Workout,
)
from bedside.storage.cache import mark_written
from bedside.storage.models import Workout as WorkoutRow
from bedside.storage.wearables import (
    HealthSample,
    MindfulSessionRow,
    SleepSegmentRow,
    SleepSummaryRow,
    WearableSource,
)

SAMPLE_BATCH = 20_000
ROW_BATCH = 2_000
#: Touched days further apart than this are recomputed as separate spans.
SPAN_GAP_DAYS = 3
_DAY_S = 86_400


def _day(epoch: float) -> int:
    return int(epoch // _DAY_S)


def _span(first_day: int, last_day: int) -> tuple[datetime, datetime]:
    """From the start of ``first_day`` to the end of ``last_day`` (UTC day numbers)."""
    return (
        datetime.fromtimestamp(first_day * _DAY_S, UTC),
        datetime.fromtimestamp((last_day + 1) * _DAY_S - 1, UTC),
    )


class WearableWriter:
    """Buffers records per table and inserts them, ignoring rows that are already stored.

    ``added`` and ``seen`` count per kind; :meth:`touched_spans` gives the UTC spans of new
    sleep records and heart samples, whose nights must be recomputed, split where nothing new
    was written for more than a few days (a diary with a record dated 1900 and one dated 2099
    recomputes two short spans, not two centuries). ``touch_all`` also touches the spans of
    records already stored: a run that resumes an interrupted import rebuilds the nights the
    interrupted run wrote rows for but never got to rebuild.
    """

    def __init__(
        self,
        session: Session,
        user_id: int,
        importer: str,
        zone_name: str | None,
        touch_all: bool = False,
    ) -> None:
        self.session = session
        self.user_id = user_id
        self.importer = importer
        self.zone_name = zone_name
        self.touch_all = touch_all
        self.added: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self._touched_days: set[int] = set()
        self._sources: dict[str, int] = {}
        self._samples: list[tuple[int, int, str, int, float]] = []
        self._rows: dict[str, list[dict[str, Any]]] = {
            "sleep_segments": [],
            "sleep_summaries": [],
            "workouts": [],
            "mindful_sessions": [],
        }
        dialect = session.get_bind().dialect.name
        self._sqlite = dialect == "sqlite"
        self._sample_sql = (
            "INSERT OR IGNORE INTO health_samples (user_id, source_id, kind, at_epoch, value) "
            "VALUES (?, ?, ?, ?, ?)"
            if self._sqlite
            else "INSERT INTO health_samples (user_id, source_id, kind, at_epoch, value) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
        )

    def add_batch(self, rows: list[SampleRow], records: list[Record]) -> None:
        """Buffer a batch of sample rows and records (flushing full buffers).

        The rows become table rows in one comprehension: this is the per-sample cost of a
        large import on the writing side, so no function is called per row.
        """
        if rows:
            user_id, sources = self.user_id, self._sources
            try:
                table_rows = [(user_id, sources[s], k, e, v) for k, e, v, s in rows]
            except KeyError:
                for name in {row[3] for row in rows}.difference(sources):
                    self._source(name)
                table_rows = [(user_id, sources[s], k, e, v) for k, e, v, s in rows]
            self._samples.extend(table_rows)
            if len(self._samples) >= SAMPLE_BATCH:
                self._flush_samples()
        for record in records:
            self.add(record)

    def add(self, record: Record | SampleRow) -> None:
        """Buffer one record or sample row (flushing a full buffer)."""
        if type(record) is tuple:
            self._add_sample_row(record)
        elif type(record) is Sample:
            self._add_sample(record)
        elif isinstance(record, SleepSegment):
            self._buffer("sleep_segments", self._segment(record), record.start, record.end)
        elif isinstance(record, SleepSummary):
            self._buffer("sleep_summaries", self._summary(record), record.start, record.end)
        elif isinstance(record, Workout):
            self._buffer("workouts", self._workout(record), None, None)
        elif isinstance(record, MindfulSession):
            self._buffer("mindful_sessions", self._mindful(record), None, None)

    def _add_sample(self, sample: Sample) -> None:
        source_id = self._sources.get(sample.source_name)
        if source_id is None:
            source_id = self._source(sample.source_name)
        self._samples.append(
            (self.user_id, source_id, sample.kind, int(sample.time.timestamp()), sample.value)
        )
        if len(self._samples) >= SAMPLE_BATCH:
            self._flush_samples()

    def _add_sample_row(self, row: SampleRow) -> None:
        kind, epoch, value, source_name = row
        source_id = self._sources.get(source_name)
        if source_id is None:
            source_id = self._source(source_name)
        self._samples.append((self.user_id, source_id, kind, epoch, value))
        if len(self._samples) >= SAMPLE_BATCH:
            self._flush_samples()

    def _buffer(
        self, kind: str, row: dict[str, Any], start: datetime | None, end: datetime | None
    ) -> None:
        rows = self._rows[kind]
        rows.append(row)
        if start is not None and end is not None:
            row["_span"] = (start, end)
        if len(rows) >= ROW_BATCH:
            self._flush_rows(kind)

    def flush(self) -> None:
        """Write everything still buffered."""
        self._flush_samples()
        for kind in self._rows:
            self._flush_rows(kind)

    def _flush_samples(self) -> None:
        samples = self._samples
        if not samples:
            return
        cursor = self.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        before = self._changes(cursor)
        cursor.executemany(self._sample_sql, samples)
        mark_written(self.session)  # past the ORM: the data version must still move on
        added = self._changes(cursor) - before if self._sqlite else max(cursor.rowcount, 0)
        self.seen["samples"] += len(samples)
        self.added["samples"] += added
        if added or self.touch_all:
            self._touch_epochs([row[3] for row in samples])
        self._samples = []

    def _changes(self, cursor: Any) -> int:
        """SQLite's running count of changed rows (exact even with INSERT OR IGNORE)."""
        if not self._sqlite:
            return 0
        return int(cursor.connection.total_changes)

    def _flush_rows(self, kind: str) -> None:
        rows = self._rows[kind]
        if not rows:
            return
        spans = [row.pop("_span", None) for row in rows]
        table = TABLES[kind]
        added = self._insert_ignoring(table, rows)
        self.seen[kind] += len(rows)
        self.added[kind] += added
        if added or self.touch_all:
            for span in spans:
                if span is not None:
                    self._touch(*span)
        rows.clear()

    def _insert_ignoring(self, table: Table, rows: list[dict[str, Any]]) -> int:
        """Insert ``rows``, skipping those already stored; returns how many were new."""
        if self._sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
        return len(self.session.execute(statement, rows).all())

    def _touch(self, start: datetime, end: datetime) -> None:
        first, last = _day(start.timestamp()), _day(end.timestamp())
        # A record's night is that of its session's start: its two ends are enough, so a
        # record that (wrongly) lasts for years does not touch every day in between.
        self._touched_days.update(range(first, last + 1) if last - first <= 2 else (first, last))

    def _touch_epochs(self, epochs: list[int]) -> None:
        first, last = min(epochs), max(epochs)
        if last - first <= SPAN_GAP_DAYS * _DAY_S:  # the usual batch: a few days of samples
            self._touched_days.update(range(_day(first), _day(last) + 1))
        else:
            self._touched_days.update({e // _DAY_S for e in epochs})

    def touched_spans(self) -> list[tuple[datetime, datetime]]:
        """The UTC spans whose nights must be recomputed: touched days, split at long gaps."""
        spans: list[tuple[datetime, datetime]] = []
        days = sorted(self._touched_days)
        if not days:
            return spans
        first = previous = days[0]
        for day in days[1:]:
            if day - previous > SPAN_GAP_DAYS:
                spans.append(_span(first, previous))
                first = day
            previous = day
        spans.append(_span(first, previous))
        return spans

    def _source(self, source_name: str) -> int:
        found = self.session.scalar(
            select(WearableSource.id).where(
                WearableSource.user_id == self.user_id,
                WearableSource.importer == self.importer,
                WearableSource.source_name == source_name,
            )
        )
        if found is None:
            row = WearableSource(
                user_id=self.user_id, importer=self.importer, source_name=source_name
            )
            self.session.add(row)
            self.session.flush()
            found = row.id
        self._sources[source_name] = found
        return found

    def _source_id(self, source_name: str) -> int:
        return self._sources.get(source_name) or self._source(source_name)

    def _segment(self, r: SleepSegment) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "source_id": self._source_id(r.source_name),
            "start_at": r.start,
            "end_at": r.end,
            "stage": r.stage,
            "device": r.device,
            "zone": r.zone,
            "offset_min": r.offset_min,
            "key_hash": r.key_hash,
        }

    def _summary(self, r: SleepSummary) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "source_id": self._source_id(r.source_name),
            "start_at": r.start,
            "end_at": r.end,
            "asleep_min": r.asleep_min,
            "deep_min": r.deep_min,
            "core_min": r.core_min,
            "rem_min": r.rem_min,
            "awake_min": r.awake_min,
            "awakenings": r.awakenings,
            "is_main": r.is_main,
            "zone": r.zone,
            "offset_min": r.offset_min,
            "external_id": r.external_id,
            "key_hash": r.key_hash,
        }

    def _workout(self, r: Workout) -> dict[str, Any]:
        tz_name = r.zone or self.zone_name or "UTC"
        return {
            "user_id": self.user_id,
            "start_at": r.start,
            "tz": tz_name,
            "night": night_of(r.start, zone(tz_name)),
            "kind": r.activity,
            "duration_min": r.duration_min,
            "rpe": None,
            "muscle_groups": [],
            "eccentric": False,
            "new_work": False,
            "energy_kcal": r.energy_kcal,
            "source": self.importer,
            "source_key": r.key_hash,
            "note": None,
        }

    def _mindful(self, r: MindfulSession) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "source_id": self._source_id(r.source_name),
            "start_at": r.start,
            "end_at": r.end,
            "zone": r.zone,
            "key_hash": r.key_hash,
        }


TABLES: dict[str, Table] = {
    "sleep_segments": SleepSegmentRow.__table__,  # type: ignore[dict-item]
    "sleep_summaries": SleepSummaryRow.__table__,  # type: ignore[dict-item]
    "workouts": WorkoutRow.__table__,  # type: ignore[dict-item]
    "mindful_sessions": MindfulSessionRow.__table__,  # type: ignore[dict-item]
}
_ = HealthSample  # the sample table is written with raw SQL above
