"""Wearable sleep nights: rebuilt from stored segments after an import, read for listings.

Nights are assembled by :func:`bedside.importers.nights.assemble_nights` (sessions, main sleep
vs naps, overlapping sources resolved by priority without counting a minute twice), in windows
of a month so memory stays flat however long the history. Heart rate and HRV during sleep are
averaged in SQL over the stored samples between sleep onset and final wake.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, delete, func, select

from bedside.domain.timekeeping import night_of, zone
from bedside.importers.base import SleepSegment, SleepSummary
from bedside.importers.nights import NightConfig, NightSleep, assemble_nights
from bedside.services.scope import Scope
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


def recompute_nights(scope: Scope, start: datetime, end: datetime) -> int:
    """Rebuild the stored nights touched by records between ``start`` and ``end``."""
    tz_name = scope.profile.timezone if scope.profile else "UTC"
    tz = zone(tz_name)
    first, last = night_of(start, tz) - timedelta(days=1), night_of(end, tz)
    config = NightConfig(default_zone=tz_name)
    written = 0
    for chunk_first, chunk_last in _chunks(first, last):
        rows = _assemble(scope, chunk_first, chunk_last, config)
        scope.session.execute(
            delete(SleepNightRow).where(
                SleepNightRow.user_id == scope.user.id,
                SleepNightRow.night >= chunk_first,
                SleepNightRow.night <= chunk_last,
            )
        )
        scope.session.add_all(_row(scope, night) for night in rows)
        written += len({r.night for r in rows})
    scope.session.flush()
    return written


def _chunks(first: date, last: date) -> Iterator[tuple[date, date]]:
    while first <= last:
        chunk_last = min(first + timedelta(days=CHUNK_NIGHTS - 1), last)
        yield first, chunk_last
        first = chunk_last + timedelta(days=1)


def _assemble(scope: Scope, first: date, last: date, config: NightConfig) -> list[NightSleep]:
    lo = datetime.combine(first, datetime.min.time(), UTC) - MARGIN
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC) + MARGIN
    records: list[SleepSegment | SleepSummary] = []
    seg = SleepSegmentRow
    for row, importer, name in scope.session.execute(
        select(seg, WearableSource.importer, WearableSource.source_name)
        .join(WearableSource, WearableSource.id == seg.source_id)
        .where(seg.user_id == scope.user.id, seg.start_at < hi, seg.end_at > lo)
    ):
        records.append(
            SleepSegment(
                row.start_at,
                row.end_at,
                row.stage,
                importer,
                name,
                row.device,
                row.zone,
                row.offset_min,
            )
        )
    summ = SleepSummaryRow
    for row, importer, name in scope.session.execute(
        select(summ, WearableSource.importer, WearableSource.source_name)
        .join(WearableSource, WearableSource.id == summ.source_id)
        .where(summ.user_id == scope.user.id, summ.start_at < hi, summ.end_at > lo)
    ):
        records.append(
            SleepSummary(
                row.start_at,
                row.end_at,
                importer,
                name,
                row.asleep_min,
                row.deep_min,
                row.core_min,
                row.rem_min,
                row.awake_min,
                row.awakenings,
                row.is_main,
                row.zone,
                row.offset_min,
                row.external_id,
            )
        )
    wanted = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return assemble_nights(records, (), config, nights=wanted)


def _row(scope: Scope, night: NightSleep) -> SleepNightRow:
    lo = night.sleep_start or night.session_start
    hi = night.sleep_end or night.session_end
    return SleepNightRow(
        user_id=scope.user.id,
        night=night.night,
        source=night.source,
        source_name=night.source_name,
        is_main=night.is_main,
        session_start=night.session_start,
        session_end=night.session_end,
        sleep_start=night.sleep_start,
        sleep_end=night.sleep_end,
        in_bed_min=night.in_bed_min,
        asleep_min=night.asleep_min,
        deep_min=night.deep_min,
        core_min=night.core_min,
        rem_min=night.rem_min,
        awake_min=night.awake_min,
        awakenings=night.awakenings,
        hr_mean=_mean(scope, "heart_rate", lo, hi),
        hrv_mean=_mean(scope, HRV_KIND, lo, hi),
        sources=list(night.sources),
        zone=night.zone,
    )


def _mean(scope: Scope, kind: str, lo: datetime, hi: datetime) -> float | None:
    value = scope.session.scalar(
        select(func.avg(HealthSample.value)).where(
            and_(
                HealthSample.user_id == scope.user.id,
                HealthSample.kind == kind,
                HealthSample.at_epoch >= int(lo.timestamp()),
                HealthSample.at_epoch <= int(hi.timestamp()),
            )
        )
    )
    return None if value is None else float(value)
