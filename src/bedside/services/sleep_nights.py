"""Wearable sleep nights: rebuilt from stored segments after an import, read for listings.

Nights are assembled by :func:`bedside.sleep.nights.assemble_nights` (sessions, main sleep
vs naps, overlapping sources resolved by the person's source priority without counting a minute
twice), in windows of a month so memory stays flat however long the history. Heart rate and
HRV during sleep are averaged in SQL over the stored samples between sleep onset and final wake.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    union_all,
)

from bedside.domain.timekeeping import night_of, zone
from bedside.services.scope import Scope
from bedside.sleep.nights import NightConfig, NightSleep, assemble_nights
from bedside.sleep.priority import stored_priority
from bedside.sleep.records import SleepSegment, SleepSummary
from bedside.storage.models import Base
from bedside.storage.wearables import (
    HealthSample,
    SleepNightRow,
    SleepSegmentRow,
    SleepSummaryRow,
    WearableSource,
)

CHUNK_NIGHTS = 31
MARGIN = timedelta(hours=36)
HRV_KIND = "hrv_sdnn"
REACH_SLACK = timedelta(hours=1)  # more than any rounding of the longest record's length
WINDOW_BATCH = 64
_EMPTY_WINDOW = (1, 0)  # lo > hi: pads a batch and matches no sample


def night_config(scope: Scope) -> NightConfig:
    """The rules for this person's nights: their time zone and their stored source priority."""
    profile = scope.profile
    if profile is None:
        return NightConfig(default_zone="UTC")
    return NightConfig(
        default_zone=profile.timezone, priority=stored_priority(profile.sleep_priority)
    )


def recompute_nights(scope: Scope, start: datetime, end: datetime) -> int:
    """Rebuild the stored nights touched by records between ``start`` and ``end``.

    Uses the person's time zone and source priority (:func:`night_config`); returns the
    number of nights written.
    """
    return recompute_spans(scope, [(start, end)])


def recompute_spans(scope: Scope, spans: Sequence[tuple[datetime, datetime]]) -> int:
    """:func:`recompute_nights` for each ``(start, end)`` span, set up once for them all."""
    if not spans:
        return 0
    scope.session.flush()  # the reads below are Core statements, which do not autoflush
    config = night_config(scope)
    tz = zone(config.default_zone or "UTC")
    reach = _longest(scope, SleepSegmentRow), _longest(scope, SleepSummaryRow)
    written = 0
    for start, end in spans:
        first, last = night_of(start, tz) - timedelta(days=1), night_of(end, tz)
        written += _rebuild(scope, first, last, config, reach)
    return written


def _rebuild(
    scope: Scope,
    first: date,
    last: date,
    config: NightConfig,
    reach: tuple[timedelta | None, timedelta | None],
) -> int:
    written = 0
    for chunk_first, chunk_last in _chunks(first, last):
        nights = _assemble(scope, chunk_first, chunk_last, config, reach)
        scope.session.execute(
            delete(SleepNightRow).where(
                SleepNightRow.user_id == scope.user.id,
                SleepNightRow.night >= chunk_first,
                SleepNightRow.night <= chunk_last,
            )
        )
        if nights:
            windows = [_bounds(n) for n in nights]
            means = _window_means(scope, windows)
            heart, hrv = means["heart_rate"], means[HRV_KIND]
            rows = [
                _row(scope.user.id, night, heart.get(window), hrv.get(window))
                for night, window in zip(nights, windows, strict=True)
            ]
            # Core executemany: the ORM's bulk insert splits the batch whenever a row's set of
            # non-NULL columns differs from the previous row's (a statement per few rows).
            scope.session.execute(insert(_table(SleepNightRow)), rows)
        written += len({n.night for n in nights})
    return written


def recompute_all_nights(scope: Scope) -> int:
    """Rebuild every stored wearable night of the person (e.g. after a priority change)."""
    bounds = []
    for table in (SleepSegmentRow, SleepSummaryRow):
        query = select(func.min(table.start_at), func.max(table.end_at)).where(
            table.user_id == scope.user.id
        )
        low, high = scope.session.execute(query).one()
        if low is not None and high is not None:
            bounds.append((_aware(low), _aware(high)))
    if not bounds:
        return 0
    return recompute_nights(scope, min(b[0] for b in bounds), max(b[1] for b in bounds))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for aggregates; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _chunks(first: date, last: date) -> Iterator[tuple[date, date]]:
    while first <= last:
        chunk_last = min(first + timedelta(days=CHUNK_NIGHTS - 1), last)
        yield first, chunk_last
        first = chunk_last + timedelta(days=1)


def _longest(scope: Scope, model: type[Base]) -> timedelta | None:
    """The longest record of the person in ``model``'s table (None when they have none).

    A chunk reads the records that start before its end and end after its start; knowing
    the longest record bounds the start from below too, so the (user, start) index reads the
    chunk's month rather than every record before it (quadratic over a long history).
    """
    table = _table(model)
    start, end = table.c.start_at, table.c.end_at
    days: ColumnElement[Any]
    if scope.session.get_bind().dialect.name == "sqlite":
        days = func.max(func.julianday(end) - func.julianday(start))
    else:
        days = func.max(func.extract("epoch", end - start)) / 86400.0
    found = scope.session.execute(select(days).where(table.c.user_id == scope.user.id)).scalar()
    if found is None:
        return None
    return max(timedelta(0), timedelta(days=float(found))) + REACH_SLACK


def _assemble(
    scope: Scope,
    first: date,
    last: date,
    config: NightConfig,
    reach: tuple[timedelta | None, timedelta | None],
) -> list[NightSleep]:
    lo = datetime.combine(first, datetime.min.time(), UTC) - MARGIN
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC) + MARGIN
    records: list[SleepSegment | SleepSummary] = []
    # Core columns rather than ORM attributes: the rows are plain tuples either way, and the
    # ORM's row loading would cost about a third of the read.
    seg, summ, src = _table(SleepSegmentRow), _table(SleepSummaryRow), _table(WearableSource)
    segments = (
        select(
            seg.c.start_at,
            seg.c.end_at,
            seg.c.stage,
            src.c.importer,
            src.c.source_name,
            seg.c.device,
            seg.c.zone,
            seg.c.offset_min,
        )
        .join(src, src.c.id == seg.c.source_id)
        .where(seg.c.user_id == scope.user.id, seg.c.start_at < hi, seg.c.end_at > lo)
        .where(*_reaching(seg, lo, reach[0]))
    )
    records.extend(SleepSegment(*row) for row in scope.session.execute(segments))
    summaries = (
        select(
            summ.c.start_at,
            summ.c.end_at,
            src.c.importer,
            src.c.source_name,
            summ.c.asleep_min,
            summ.c.deep_min,
            summ.c.core_min,
            summ.c.rem_min,
            summ.c.awake_min,
            summ.c.awakenings,
            summ.c.is_main,
            summ.c.zone,
            summ.c.offset_min,
            summ.c.external_id,
        )
        .join(src, src.c.id == summ.c.source_id)
        .where(summ.c.user_id == scope.user.id, summ.c.start_at < hi, summ.c.end_at > lo)
        .where(*_reaching(summ, lo, reach[1]))
    )
    records.extend(SleepSummary(*row) for row in scope.session.execute(summaries))
    wanted = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return assemble_nights(records, (), config, nights=wanted)


def _reaching(
    table: Table, lo: datetime, longest: timedelta | None
) -> tuple[ColumnElement[bool], ...]:
    """The lower bound on the start of a record that can still end after ``lo``."""
    return () if longest is None else (table.c.start_at >= lo - longest,)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _window_means(
    scope: Scope, windows: list[tuple[int, int]]
) -> dict[str, dict[tuple[int, int], float]]:
    """Mean heart rate and HRV (any source) within each window ``(lo, hi)`` of epoch seconds.

    Windows shared by several rows (the combined row and its single source) are asked once;
    the statement takes :data:`WINDOW_BATCH` windows (the last batch padded with empty ones).
    """
    distinct = list(dict.fromkeys(windows))
    means: dict[str, dict[tuple[int, int], float]] = {"heart_rate": {}, HRV_KIND: {}}
    query = _window_query(WINDOW_BATCH)
    for offset in range(0, len(distinct), WINDOW_BATCH):
        batch = distinct[offset : offset + WINDOW_BATCH]
        params: dict[str, object] = {"user": scope.user.id, "hr": "heart_rate", "hrv": HRV_KIND}
        for k in range(WINDOW_BATCH):
            params[f"lo{k}"], params[f"hi{k}"] = batch[k] if k < len(batch) else _EMPTY_WINDOW
        for k, kind, mean in scope.session.execute(query, params):
            if mean is not None:
                means[kind][batch[k]] = float(mean)
    return means


@cache
def _window_query(size: int) -> Select[tuple[int, str, float]]:
    """Mean of each kind per window, for ``size`` windows given as binds ``lo<k>``/``hi<k>``."""
    # UNION ALL of one-row selects rather than VALUES: SQLAlchemy does not cache VALUES data.
    rows = [
        select(
            literal_column(str(k), Integer).label("i"),
            bindparam(f"lo{k}", type_=BigInteger).label("lo"),
            bindparam(f"hi{k}", type_=BigInteger).label("hi"),
        )
        for k in range(size)
    ]
    windows = union_all(*rows).cte("windows")
    sample = HealthSample
    return (
        select(windows.c.i, sample.kind, func.avg(sample.value))
        .select_from(windows)
        .join(
            sample,
            and_(
                sample.user_id == bindparam("user", type_=Integer),
                or_(sample.kind == bindparam("hr"), sample.kind == bindparam("hrv")),
                sample.at_epoch >= windows.c.lo,
                sample.at_epoch <= windows.c.hi,
            ),
        )
        .group_by(windows.c.i, sample.kind)
    )


def _bounds(night: NightSleep) -> tuple[int, int]:
    lo = night.sleep_start or night.session_start
    hi = night.sleep_end or night.session_end
    return int(lo.timestamp()), int(hi.timestamp())


def _row(
    user_id: int, night: NightSleep, hr_mean: float | None, hrv_mean: float | None
) -> dict[str, object]:
    return {
        "user_id": user_id,
        "night": night.night,
        "source": night.source,
        "source_name": night.source_name,
        "is_main": night.is_main,
        "session_start": night.session_start,
        "session_end": night.session_end,
        "sleep_start": night.sleep_start,
        "sleep_end": night.sleep_end,
        "in_bed_min": night.in_bed_min,
        "asleep_min": night.asleep_min,
        "deep_min": night.deep_min,
        "core_min": night.core_min,
        "rem_min": night.rem_min,
        "awake_min": night.awake_min,
        "awakenings": night.awakenings,
        "hr_mean": hr_mean,
        "hrv_mean": hrv_mean,
        "sources": list(night.sources),
        "zone": night.zone,
    }
