"""Night frames from plain rows: a person's entries as the frame the analyses read.

:func:`night_frame` turns a person's entries (plain rows, queried by
:mod:`bedside.services.analysis_rows`) into the night frame of
:mod:`bedside.analysis.nights` (one row per calendar night, gaps kept as rows of NaN),
from one table of rows per kind of entry over the whole range.

How each column is made (night *t* = the evening of local date *t*; entries carry their
night key, see :mod:`bedside.domain.timekeeping`):

- ``took``: 1.0 when any dose is logged for night *t*; 0.0 when no dose is logged but
  something else is (diary, pain, soreness, alcohol/caffeine/medication, a workout typed in
  by hand) for that night or its morning; NaN (unknown) when nothing is logged.
- ``dose_g`` / ``mitragynine_mg``: totals over the night's doses (NaN when any dose lacks
  grams, or its batch lacks a lab figure); ``minutes_dose_to_bed``: from the last dose to
  bedtime. Bedtime is the diary's, else the profile's target bedtime.
- diary outcomes: the Consensus Sleep Diary metrics of :mod:`bedside.domain.diary`;
  ``pain_next_morning`` / ``soreness_next_morning``: mean rating logged between 04:00 and
  12:00 local time the next morning (soreness: over every muscle group rated);
  ``wearable_*``: the combined main sleep of the night when a wearable was imported
  (``wearable_efficiency_pct`` = asleep / in bed; ``wearable_hrv_ms`` = mean HRV asleep).
- covariates: ``workout_load`` = sum of minutes x RPE / 10 of workouts started on date *t*
  (RPE 5 when not given); ``alcohol_drinks`` = drinks keyed to night *t*; ``caffeine_mg``
  = caffeine taken on date *t*; ``caffeine_last_hours_before_bed``; ``weekend``;
  ``pain_before_dose`` = the pre-dose pain given with the dose, else the last evening pain
  rating before the dose (or bedtime). Workouts, alcohol and caffeine count as zero on a
  logged night without such an entry, but only for a kind the person has logged at least
  once in the range; a kind never logged stays unknown (NaN).

The mean sleeping heart rate of wearables is not a resting heart rate, so
``wearable_resting_hr_bpm`` is not filled.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Final

import numpy as np
import pandas as pd

from bedside.analysis.nights import NightColumns
from bedside.domain import diary as csd
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import parse_clock, zone

C = NightColumns
#: The source of the nights combined over every source (see :mod:`bedside.sleep.nights`).
COMBINED_SOURCE: Final = "combined"
MORNING_HOURS: Final = (4, 12)
DEFAULT_RPE: Final = 5.0
DIARY_OUTCOMES: Final = (
    "quality",
    "rested",
    "total_sleep_time_min",
    "sleep_efficiency_pct",
    "sleep_onset_latency_min",
    "wake_after_sleep_onset_min",
    "number_of_awakenings",
)


DIARY_TIMES: Final = ("bedtime", "tried", "final_wake", "out_of_bed")
DIARY_NUMBERS: Final = ("sol_min", "awakenings", "waso_min", "quality", "rested")


@dataclass(frozen=True, slots=True)
class RowTable:
    """Rows of one kind of entry as plain values (dates, datetimes, numbers, text)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class NightRows:
    """Every row a night frame is built from, one table per kind of entry.

    Columns: ``doses`` (night, taken_at, grams, pain_before, mitragynine_pct), ``diary``
    (night, :data:`DIARY_TIMES`, :data:`DIARY_NUMBERS`), ``pain`` and ``soreness`` (night,
    at, tz, score), ``workouts`` (night, start_at, tz, duration_min, rpe, source; from the
    night before ``start``), ``intakes`` (night, at, tz, kind, amount; likewise) and
    ``sleep`` (night, in_bed_min, asleep_min, hrv_mean of the combined main sleep).
    """

    doses: RowTable
    diary: RowTable
    pain: RowTable
    soreness: RowTable
    workouts: RowTable
    intakes: RowTable
    sleep: RowTable


def night_frame(
    rows: NightRows,
    timezone: str,
    bedtime: str,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """The night frame for nights ``[start, end]`` (default: the nights the rows cover).

    ``timezone`` and ``bedtime`` (``HH:MM``) are the person's: a night without a diary
    bedtime uses the target bedtime. Columns as described in the module docstring.
    """
    data = _frames(rows)
    nights = _night_range(data, start, end)
    if nights.empty:
        return pd.DataFrame({C.NIGHT: pd.Series(dtype="datetime64[ns]"), C.TOOK: []})
    frame = pd.DataFrame(index=nights)
    frame.index.name = C.NIGHT
    diary = _diary(data["diary"])
    bedtimes = _bedtimes(nights, diary, timezone, bedtime)
    frame = frame.join(diary.drop(columns="bedtime"))
    doses = _doses(data["doses"], bedtimes).reindex(nights)
    first_dose, pain_with_dose = doses.pop("_first_dose"), doses.pop("_pain_with_dose")
    frame = frame.join(doses)
    frame[C.TOOK] = _took(data, nights)
    frame = frame.join(_morning_means(data["pain"], "pain_next_morning"))
    frame = frame.join(_morning_means(data["soreness"], "soreness_next_morning"))
    frame = frame.join(_wearable(data["sleep"]))
    frame = frame.join(_covariates(data, bedtimes, frame[C.TOOK].notna()))
    cutoff = first_dose.fillna(bedtimes)
    frame[C.PAIN_BEFORE_DOSE] = pain_with_dose.fillna(_evening_pain(data["pain"], cutoff))
    frame[C.WEEKEND] = nights.dayofweek.isin([4, 5])
    return frame.reset_index()


def _frames(rows: NightRows) -> dict[str, pd.DataFrame]:
    """Each table of rows as a DataFrame, nights as dates and instants in UTC."""
    return {spec.name: _frame(getattr(rows, spec.name)) for spec in fields(rows)}


def _frame(table: RowTable) -> pd.DataFrame:
    frame = pd.DataFrame(table.rows, columns=list(table.columns))
    if "night" in frame:
        frame["night"] = pd.to_datetime(frame["night"])
    for name in ("at", "taken_at", "start_at", *DIARY_TIMES):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def _night_range(data: dict[str, pd.DataFrame], start: date | None, end: date | None) -> Any:
    """Every calendar night from ``start`` (or the first entry) to ``end`` (or the last)."""
    seen = [f["night"] for f in data.values() if len(f)]
    if start is None or end is None:
        if not seen:
            return pd.DatetimeIndex([])
        everything = pd.concat(seen)
        start = start or everything.min().date()
        end = end or everything.max().date()
    if start > end:
        return pd.DatetimeIndex([])
    return pd.date_range(start, end, freq="D", name=C.NIGHT)


def _diary(rows: pd.DataFrame) -> pd.DataFrame:
    """Diary metrics per night (derived exactly as the diary screens derive them)."""
    records = []
    for row in rows.itertuples(index=False):
        times = {name: getattr(row, name).to_pydatetime() for name in DIARY_TIMES}
        answers = csd.DiaryAnswers(
            night=row.night.date(),
            sol_min=int(row.sol_min),
            awakenings=int(row.awakenings),
            waso_min=int(row.waso_min),
            quality=int(row.quality),
            **times,
        )
        m = csd.derive(answers)
        records.append(
            (row.night, row.bedtime, float(row.quality), _float(row.rested),
             m.total_sleep_time_min, m.sleep_efficiency_pct, m.sleep_onset_latency_min,
             m.wake_after_sleep_onset_min, float(m.awakenings))
        )  # fmt: skip
    columns = [C.NIGHT, "bedtime", *DIARY_OUTCOMES]
    return pd.DataFrame(records, columns=columns).set_index(C.NIGHT)


def _float(value: Any) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def _bedtimes(
    nights: pd.DatetimeIndex, diary: pd.DataFrame, timezone: str, bedtime: str
) -> pd.Series:
    """Bedtime of each night as a UTC instant: the diary's, else the target bedtime."""
    tz, target = zone(timezone), parse_clock(bedtime)
    planned = [bedtime_on(n.date(), target, tz) for n in nights]
    out = pd.Series(pd.to_datetime(planned, utc=True), index=nights)
    if len(diary):
        out.update(diary["bedtime"])
    return pd.to_datetime(out, utc=True)


def _doses(rows: pd.DataFrame, bedtimes: pd.Series) -> pd.DataFrame:
    """Totals and timing per dosed night (plus the first dose and pre-dose pain, hidden)."""
    if rows.empty:
        columns = [C.DOSE_G, C.MITRAGYNINE_MG, C.MINUTES_DOSE_TO_BED, "_pain_with_dose"]
        empty = pd.DataFrame(columns=columns, dtype=float)
        empty["_first_dose"] = pd.Series(dtype="datetime64[ns, UTC]")
        return empty
    grams = pd.to_numeric(rows["grams"], errors="coerce")
    mg = grams * 10.0 * pd.to_numeric(rows["mitragynine_pct"], errors="coerce")
    rows = rows.assign(grams=grams, mg=mg, pain=pd.to_numeric(rows["pain_before"]))
    by = rows.groupby("night")
    last = by["taken_at"].max()
    complete = by.size()
    return pd.DataFrame(
        {
            C.DOSE_G: by["grams"].sum(min_count=1).where(by["grams"].count() == complete),
            C.MITRAGYNINE_MG: by["mg"].sum(min_count=1).where(by["mg"].count() == complete),
            C.MINUTES_DOSE_TO_BED: (bedtimes.reindex(last.index) - last).dt.total_seconds() / 60,
            "_pain_with_dose": by["pain"].mean().astype(float),
            "_first_dose": by["taken_at"].min(),
        }
    )


def _took(data: dict[str, pd.DataFrame], nights: pd.DatetimeIndex) -> pd.Series:
    """1.0 dosed, 0.0 logged without a dose, NaN unknown (nothing logged)."""
    workouts = data["workouts"]
    manual = workouts[workouts["source"] == "manual"] if len(workouts) else workouts
    logged: set[Any] = set()
    for rows in (data["diary"], data["pain"], data["soreness"], data["intakes"], manual):
        logged.update(rows["night"])
    took = pd.Series(np.nan, index=nights)
    took[nights.isin(list(logged))] = 0.0
    took[nights.isin(data["doses"]["night"])] = 1.0
    return took


def _local(at: pd.Series, tzs: pd.Series) -> pd.Series:
    """Naive local wall-clock times of UTC instants, each in the zone it was logged in."""
    out = pd.Series(pd.NaT, index=at.index, dtype="datetime64[ns]")
    for name, index in tzs.groupby(tzs).groups.items():
        out[index] = at[index].dt.tz_convert(zone(str(name))).dt.tz_localize(None)
    return out


def _morning_means(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean rating logged 04:00-12:00 local on the morning after each night."""
    if rows.empty:
        return pd.DataFrame(columns=[column], dtype=float)
    local = _local(rows["at"], rows["tz"])
    next_day = local.dt.normalize() == rows["night"] + pd.Timedelta(days=1)
    morning = next_day & local.dt.hour.between(MORNING_HOURS[0], MORNING_HOURS[1] - 1)
    means = rows[morning].groupby("night")["score"].mean().astype(float)
    return means.rename(column).to_frame()


def _wearable(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ["wearable_asleep_min", "wearable_efficiency_pct", "wearable_hrv_ms"]
    if rows.empty:
        return pd.DataFrame(columns=columns, dtype=float)
    rows = rows.drop_duplicates("night", keep="last").set_index("night")
    asleep = pd.to_numeric(rows["asleep_min"], errors="coerce")
    in_bed = pd.to_numeric(rows["in_bed_min"], errors="coerce")
    efficiency = (100.0 * asleep / in_bed).where(in_bed > 0)
    hrv = pd.to_numeric(rows["hrv_mean"], errors="coerce")
    return pd.DataFrame(dict(zip(columns, (asleep, efficiency, hrv), strict=True))).astype(float)


def _covariates(
    data: dict[str, pd.DataFrame], bedtimes: pd.Series, logged: pd.Series
) -> pd.DataFrame:
    """Workout load, alcohol and caffeine per night; zero on logged nights without entries."""
    out = pd.DataFrame(index=bedtimes.index)
    workouts, intakes = data["workouts"], data["intakes"]
    if len(workouts):
        day = _local(workouts["start_at"], workouts["tz"]).dt.normalize()
        rpe = pd.to_numeric(workouts["rpe"], errors="coerce").fillna(DEFAULT_RPE)
        load = pd.to_numeric(workouts["duration_min"]) * rpe / 10.0
        out[C.WORKOUT_LOAD] = _zero_filled(load.groupby(day).sum(), logged)
    alcohol = intakes[intakes["kind"] == "alcohol"] if len(intakes) else intakes
    if len(alcohol):
        drinks = pd.to_numeric(alcohol["amount"], errors="coerce")
        out[C.ALCOHOL_DRINKS] = _zero_filled(drinks.groupby(alcohol["night"]).sum(), logged)
    caffeine = intakes[intakes["kind"] == "caffeine"] if len(intakes) else intakes
    if len(caffeine):
        day = _local(caffeine["at"], caffeine["tz"]).dt.normalize()
        mg = pd.to_numeric(caffeine["amount"], errors="coerce")
        out[C.CAFFEINE_MG] = _zero_filled(mg.groupby(day).sum(), logged)
        last = caffeine["at"].groupby(day).max()
        hours = (bedtimes.reindex(last.index) - last).dt.total_seconds() / 3600.0
        out[C.CAFFEINE_LAST_HOURS] = hours.reindex(out.index)
    return out


def _zero_filled(per_night: pd.Series, logged: pd.Series) -> pd.Series:
    """Sums per night on the frame's nights; logged nights without entries count as zero."""
    values = per_night.reindex(logged.index).astype(float)
    return values.where(values.notna() | ~logged, 0.0)


def _evening_pain(pain: pd.DataFrame, cutoff: pd.Series) -> pd.Series:
    """The last pain rating of each evening (local date of the night) before ``cutoff``."""
    if pain.empty:
        return pd.Series(np.nan, index=cutoff.index)
    local = _local(pain["at"], pain["tz"])
    same_day = (local.dt.normalize() == pain["night"]).to_numpy()
    before = pain["at"].to_numpy() <= cutoff.reindex(pain["night"]).to_numpy()
    evening = pain[same_day & before].sort_values("at")
    last = evening.groupby("night")["score"].last().astype(float)
    return last.reindex(cutoff.index)


def frame_nights(frame: pd.DataFrame) -> list[date]:
    """The frame's nights as dates (for mapping results back to the calendar)."""
    return [stamp.date() for stamp in pd.to_datetime(frame[C.NIGHT])]
