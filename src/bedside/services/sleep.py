"""Sleep side by side: the diary's figures and the wearables' figures per night, each labelled."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import local_iso, zone
from bedside.services.diary import list_entries
from bedside.services.records import by_nights
from bedside.services.schema_base import Minutes
from bedside.services.scope import Scope
from bedside.sleep.nights import COMBINED
from bedside.storage.wearables import SleepNightRow

SleepSource = Literal["diary", "wearable"]


class SleepNightOut(BaseModel):
    """One night's sleep from one source (``diary`` or ``wearable``); null where unknown."""

    night: date
    source: SleepSource
    devices: list[str]
    sleep_start: str | None
    sleep_end: str | None
    in_bed_min: Minutes | None
    asleep_min: Minutes | None
    deep_min: Minutes | None
    core_min: Minutes | None
    rem_min: Minutes | None
    awake_min: Minutes | None
    awakenings: int | None
    hr_mean: float | None
    hrv_mean: float | None


def list_sleep(
    scope: Scope,
    start: date | None = None,
    end: date | None = None,
    source: str | None = None,
) -> list[SleepNightOut]:
    """Main sleep per night from the diary and from wearables (combined, no minute twice)."""
    if source not in (None, "diary", "wearable"):
        raise InputError("source", f"{source!r} is not a sleep source; use diary or wearable")
    rows: list[SleepNightOut] = []
    if source in (None, "diary"):
        rows += [diary_night(e) for e in list_entries(scope, start, end)]
    if source in (None, "wearable"):
        rows += wearable_nights(scope, start, end)
    rows.sort(key=lambda r: (r.night, r.source))
    return rows


def diary_night(entry: object) -> SleepNightOut:
    """The diary's figures in the shared shape."""
    from bedside.services.diary_schemas import DiaryOut

    assert isinstance(entry, DiaryOut)
    return SleepNightOut(
        night=entry.night,
        source="diary",
        devices=[],
        sleep_start=entry.tried,
        sleep_end=entry.final_wake,
        in_bed_min=entry.time_in_bed_min,
        asleep_min=entry.total_sleep_time_min,
        deep_min=None,
        core_min=None,
        rem_min=None,
        awake_min=entry.time_in_bed_min - entry.total_sleep_time_min,
        awakenings=entry.awakenings,
        hr_mean=None,
        hrv_mean=None,
    )


def wearable_nights(
    scope: Scope, start: date | None = None, end: date | None = None
) -> list[SleepNightOut]:
    """The combined main sleep of each night with wearable data."""
    query = by_nights(scope, SleepNightRow, start, end, SleepNightRow.night).where(
        SleepNightRow.source == COMBINED, SleepNightRow.is_main.is_(True)
    )
    tz = scope.tz if scope.profile else zone("UTC")
    out = []
    for row in scope.session.scalars(query):
        out.append(
            SleepNightOut(
                night=row.night,
                source="wearable",
                devices=[str(s) for s in row.sources],
                sleep_start=local_iso(row.sleep_start, tz) if row.sleep_start else None,
                sleep_end=local_iso(row.sleep_end, tz) if row.sleep_end else None,
                in_bed_min=row.in_bed_min,
                asleep_min=row.asleep_min,
                deep_min=row.deep_min,
                core_min=row.core_min,
                rem_min=row.rem_min,
                awake_min=row.awake_min,
                awakenings=row.awakenings,
                hr_mean=row.hr_mean,
                hrv_mean=row.hrv_mean,
            )
        )
    return out


def device_nights(scope: Scope, start: date | None, end: date | None) -> list[SleepNightRow]:
    """Every stored night row per device (for a detailed view)."""
    query = by_nights(scope, SleepNightRow, start, end, SleepNightRow.night).where(
        SleepNightRow.source != COMBINED
    )
    return list(scope.session.scalars(query))
