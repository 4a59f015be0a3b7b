"""The morning sleep diary: store the answers, derive and show the metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select

from bedside.domain import diary as csd
from bedside.domain.errors import ConflictError, InputError, NotFoundError
from bedside.domain.timekeeping import (
    clock_from_night_minutes,
    local_iso,
    minutes_into_night,
    night_of,
    parse_instant,
    zone,
)
from bedside.services.diary_schemas import DiaryIn, DiaryOut, DiaryUpdate, UsualDiaryTimes
from bedside.services.records import by_nights, owned
from bedside.services.scope import Scope, validated
from bedside.storage.models import DiaryEntry

TIME_FIELDS = ("bedtime", "tried", "final_wake", "out_of_bed")
USUAL_FROM_LAST = 14


def answers_from(scope: Scope, values: DiaryIn) -> csd.DiaryAnswers:
    """Resolve the typed times on the night and build validated diary answers."""
    tz = scope.tz
    if values.night > scope.tonight():
        raise InputError(
            "night", f"night {values.night} has not begun yet; the diary is for a past night"
        )
    times = {
        name: parse_instant(getattr(values, name), tz, values.night, name) for name in TIME_FIELDS
    }
    _check_night(times["bedtime"], values.night, tz)
    answers = csd.DiaryAnswers(
        night=values.night,
        sol_min=values.sol_min,
        awakenings=values.awakenings,
        waso_min=values.waso_min,
        quality=values.quality,
        rested=values.rested,
        nap_count=values.nap_count,
        nap_min=values.nap_min,
        comment=values.comment,
        **times,
    )
    csd.validate(answers)
    _check_ended(scope, values.night, answers.final_wake, answers.out_of_bed)
    return answers


def _check_night(bedtime: datetime, night: date, tz: ZoneInfo) -> None:
    """Refuse a full date-time that puts the bedtime on another night than the one named."""
    belongs = night_of(bedtime, tz)
    if belongs != night:
        shown = local_iso(bedtime, tz)[:16].replace("T", " ")
        raise InputError(
            "bedtime",
            f"{shown} belongs to night {belongs}, not {night}; correct the date or the night",
        )


def _check_ended(scope: Scope, night: date, final_wake: datetime, out_of_bed: datetime) -> None:
    """Refuse a diary for a night whose final awakening or getting up is still to come."""
    for name, instant, what in (
        ("final_wake", final_wake, "final awakening"),
        ("out_of_bed", out_of_bed, "getting out of bed"),
    ):
        if scope.is_future(instant):
            shown = scope.local_text(instant)
            raise InputError(
                name,
                f"the {what} you gave for night {night} ({shown}) is {scope.until(instant)} "
                f"from now; fill in this diary after it, from {shown} on",
            )


def add_entry(scope: Scope, data: DiaryIn | Mapping[str, object]) -> DiaryOut:
    """Store the diary for a night (one per night; edit to change it)."""
    values = validated(DiaryIn, data)
    answers = answers_from(scope, values)
    if _find(scope, values.night) is not None:
        raise ConflictError(
            "night", f"night {values.night} already has a diary entry; edit or delete it instead"
        )
    entry = DiaryEntry(user_id=scope.user.id)
    _store(entry, answers, scope.tz.key)
    scope.session.add(entry)
    scope.session.flush()
    return diary_out(entry)


def update_entry(scope: Scope, entry_id: int, data: DiaryIn | Mapping[str, object]) -> DiaryOut:
    """Replace a diary entry's answers."""
    values = validated(DiaryIn, data)
    entry = owned(scope, DiaryEntry, entry_id, "diary entry")
    answers = answers_from(scope, values)
    clash = _find(scope, values.night)
    if clash is not None and clash.id != entry.id:
        raise ConflictError("night", f"night {values.night} already has another diary entry")
    _store(entry, answers, scope.tz.key)
    scope.session.flush()
    return diary_out(entry)


def edit_night(scope: Scope, night: date, changes: DiaryUpdate | Mapping[str, object]) -> DiaryOut:
    """Change the answers given in ``changes`` of a night's diary; the others stay."""
    given = validated(DiaryUpdate, changes).model_dump(exclude_unset=True)
    current = get_entry(scope, night)
    fields = current.model_dump(include=set(DiaryIn.model_fields))
    return update_entry(scope, current.id, {**fields, **given})


def _store(entry: DiaryEntry, a: csd.DiaryAnswers, tz_name: str) -> None:
    entry.night = a.night
    entry.tz = tz_name
    entry.bedtime, entry.tried = a.bedtime, a.tried
    entry.final_wake, entry.out_of_bed = a.final_wake, a.out_of_bed
    entry.sol_min, entry.awakenings, entry.waso_min = a.sol_min, a.awakenings, a.waso_min
    entry.quality, entry.rested = a.quality, a.rested
    entry.nap_count, entry.nap_min, entry.comment = a.nap_count, a.nap_min, a.comment
    entry.definition_version = csd.DEFINITION_VERSION


def _find(scope: Scope, night: date) -> DiaryEntry | None:
    query = select(DiaryEntry).where(DiaryEntry.user_id == scope.user.id, DiaryEntry.night == night)
    return scope.session.scalars(query).first()


def get_entry(scope: Scope, night: date) -> DiaryOut:
    """The diary of ``night``."""
    entry = _find(scope, night)
    if entry is None:
        raise NotFoundError(
            "diary entry", night, field="night", message=f"no diary entry for night {night}"
        )
    return diary_out(entry)


def get_entry_by_id(scope: Scope, entry_id: int) -> DiaryOut:
    """The diary entry with id ``entry_id``."""
    return diary_out(owned(scope, DiaryEntry, entry_id, "diary entry"))


def list_entries(
    scope: Scope, start: date | None = None, end: date | None = None
) -> list[DiaryOut]:
    """Diary entries with nights in ``[start, end]``, oldest first."""
    query = by_nights(scope, DiaryEntry, start, end, DiaryEntry.night)
    return [diary_out(e) for e in scope.session.scalars(query)]


def delete_entry(scope: Scope, entry_id: int) -> None:
    """Delete a diary entry."""
    scope.session.delete(owned(scope, DiaryEntry, entry_id, "diary entry"))
    scope.session.flush()


def entry_answers(entry: DiaryEntry) -> csd.DiaryAnswers:
    """The stored answers of an entry as domain answers."""
    return csd.DiaryAnswers(
        night=entry.night,
        bedtime=entry.bedtime,
        tried=entry.tried,
        sol_min=entry.sol_min,
        awakenings=entry.awakenings,
        waso_min=entry.waso_min,
        final_wake=entry.final_wake,
        out_of_bed=entry.out_of_bed,
        quality=entry.quality,
        rested=entry.rested,
        nap_count=entry.nap_count,
        nap_min=entry.nap_min,
        comment=entry.comment,
    )


def diary_out(entry: DiaryEntry) -> DiaryOut:
    """The output shape of an entry: answers as local ISO times plus derived metrics."""
    tz = zone(entry.tz)
    metrics = csd.derive(entry_answers(entry))
    return DiaryOut(
        id=entry.id,
        night=entry.night,
        bedtime=local_iso(entry.bedtime, tz),
        tried=local_iso(entry.tried, tz),
        final_wake=local_iso(entry.final_wake, tz),
        out_of_bed=local_iso(entry.out_of_bed, tz),
        sol_min=entry.sol_min,
        awakenings=entry.awakenings,
        waso_min=entry.waso_min,
        quality=entry.quality,
        rested=entry.rested,
        nap_count=entry.nap_count,
        nap_min=entry.nap_min,
        comment=entry.comment,
        time_in_bed_min=metrics.time_in_bed_min,
        sleep_onset_latency_min=metrics.sleep_onset_latency_min,
        wake_after_sleep_onset_min=metrics.wake_after_sleep_onset_min,
        terminal_wake_min=metrics.terminal_wake_min,
        total_sleep_time_min=metrics.total_sleep_time_min,
        sleep_efficiency_pct=metrics.sleep_efficiency_pct,
        definition_version=entry.definition_version,
    )


def usual_times(scope: Scope) -> UsualDiaryTimes:
    """Median times of the last 14 diaries; bedtimes fall back to the profile's target bedtime.

    These are hints for a new diary, never answers: the form shows them as placeholders.
    """
    columns = [getattr(DiaryEntry, name) for name in TIME_FIELDS]
    query = (
        select(DiaryEntry.tz, *columns)  # only what the medians need (Tonight asks too)
        .where(DiaryEntry.user_id == scope.user.id)
        .order_by(DiaryEntry.night.desc())
        .limit(USUAL_FROM_LAST)
    )
    entries = list(scope.session.execute(query))
    usual = {name: _median_clock(entries, name) for name in TIME_FIELDS}
    target = scope.require_profile().bedtime
    usual["bedtime"] = usual["bedtime"] or target
    usual["tried"] = usual["tried"] or target
    return UsualDiaryTimes(**usual)


def _median_clock(entries: Sequence[Row[Any]], name: str) -> str | None:
    """The median clock time, counted from 12:00 so a night across midnight stays in order."""
    if not entries:
        return None
    minutes = sorted(minutes_into_night(getattr(e, name), zone(e.tz)) for e in entries)
    return clock_from_night_minutes(minutes[(len(minutes) - 1) // 2])
