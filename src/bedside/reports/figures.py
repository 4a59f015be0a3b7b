"""Plain figures for the clinician report: spreads, streaks, weekly efficiency, regularity.

Pure functions over plain values (stdlib only). Missing values are skipped, never read as 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from bedside.reports.model import SleepSource, Spread, Streak, WeeklyEfficiency

MINUTES_PER_DAY = 24 * 60


def spread(values: Iterable[float | None]) -> Spread:
    """Median and range of the known values."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return Spread(n=0, median=None, low=None, high=None)
    return Spread(n=len(known), median=statistics.median(known), low=min(known), high=max(known))


def longest_streak(used: set[date], logged: set[date]) -> Streak | None:
    """The longest run of consecutive nights in ``used`` (the latest on a tie).

    It may be longer when the night just before or after it has nothing logged.
    """
    best: tuple[date, date] | None = None
    for night in sorted(used):
        if night - timedelta(days=1) in used:
            continue
        end = night
        while end + timedelta(days=1) in used:
            end += timedelta(days=1)
        if best is None or (end - night) >= (best[1] - best[0]):
            best = (night, end)
    if best is None:
        return None
    start, end = best
    edges = (start - timedelta(days=1), end + timedelta(days=1))
    return Streak(
        start=start,
        end=end,
        nights=(end - start).days + 1,
        may_be_longer=any(edge not in logged for edge in edges),
    )


def weekly_efficiency(
    rows: Sequence[tuple[date, float, float]], start: date, source: SleepSource
) -> list[WeeklyEfficiency]:
    """Sleep efficiency per 7-night week from ``start``: 100 × ΣTST / ΣTIB.

    ``rows`` are (night, total sleep minutes, time in bed minutes); nights without a time in
    bed are left out by the caller.
    """
    weeks: dict[date, list[tuple[float, float]]] = {}
    for night, tst, tib in rows:
        week = start + timedelta(days=7 * ((night - start).days // 7))
        weeks.setdefault(week, []).append((tst, tib))
    out = []
    for week in sorted(weeks):
        tst = sum(t for t, _ in weeks[week])
        tib = sum(b for _, b in weeks[week])
        if tib <= 0:
            continue
        out.append(
            WeeklyEfficiency(
                week_start=week,
                source=source,
                nights=len(weeks[week]),
                total_sleep_min=tst,
                time_in_bed_min=tib,
                efficiency_pct=100.0 * tst / tib,
            )
        )
    return out


def minutes_after_noon(local: datetime) -> float:
    """Minutes from the noon that starts the night: bedtimes around midnight stay in order."""
    minutes = local.hour * 60 + local.minute + local.second / 60
    return (minutes - 12 * 60) % MINUTES_PER_DAY


def clock_of(minutes_after_noon_value: float) -> str:
    """``HH:MM`` of a number of minutes after noon."""
    total = round(minutes_after_noon_value + 12 * 60) % MINUTES_PER_DAY
    return f"{total // 60:02d}:{total % 60:02d}"


def regularity(times: Sequence[datetime]) -> tuple[str | None, float | None]:
    """Median clock time and standard deviation in minutes (SD needs two or more nights)."""
    if not times:
        return None, None
    minutes = [minutes_after_noon(t) for t in times]
    sd = statistics.stdev(minutes) if len(minutes) >= 2 else None
    return clock_of(statistics.median(minutes)), sd


def per_week(count: int, nights: int) -> float | None:
    """A count over ``nights`` nights as a rate per 7 nights."""
    return None if nights <= 0 else 7.0 * count / nights


def halves(start: date, end: date) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """The period split into two halves (``None`` when shorter than two weeks)."""
    nights = (end - start).days + 1
    if nights < 14:
        return None
    middle = start + timedelta(days=nights // 2)
    return (start, middle - timedelta(days=1)), (middle, end)


def in_range(values: Mapping[date, float], first: date, last: date) -> list[float]:
    """The values whose night lies in ``[first, last]``."""
    return [v for night, v in values.items() if first <= night <= last]
