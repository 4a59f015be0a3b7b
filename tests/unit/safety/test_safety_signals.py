"""Dependence and tolerance signals on synthetic histories with gaps."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.knowledge import Severity
from bedside.safety.signals import (
    RATING_ITEMS,
    DoseEvent,
    SelfRating,
    SignalsReport,
    compute_signals,
)
from bedside.safety.signals.days import (
    DayCalendar,
    current_streak,
    frequency_windows,
    longest_streak,
)
from bedside.safety.signals.trends import least_squares_slope, theil_sen_slope
from bedside.services.safety_schemas import SignalsOut

TZ_NAME = "America/New_York"
TZ = ZoneInfo(TZ_NAME)
UTC = ZoneInfo("UTC")


def at(day: date, hour: int = 21, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def nightly(days: Iterable[date], grams: float | None = 3.0, hour: int = 21) -> list[DoseEvent]:
    return [DoseEvent(at(d, hour), grams) for d in days]


def run(doses: list[DoseEvent], observed: Iterable[date], today: date, **kw: Any) -> SignalsReport:
    return compute_signals(doses, observed, timezone=TZ_NAME, today=today, **kw)


def finding_ids(report: SignalsReport) -> set[str]:
    return {f.id for f in report.findings}


def finding(report: SignalsReport, finding_id: str) -> Any:
    return next(f for f in report.findings if f.id == finding_id)


# --- known, unknown and frequency ------------------------------------------------------------


def test_window_counts_use_non_use_and_unknown() -> None:
    today = date(2026, 3, 10)
    window = span(today - timedelta(days=27), today)
    used = window[::3]  # 10 days
    non_use = [d for d in window if d not in used][:8]
    report = run(nightly(used), non_use, today)
    now = report.windows[0]
    assert (now.used_days, now.non_use_days, now.unknown_days) == (10, 8, 10)
    assert now.days_per_week == pytest.approx(10 / 18 * 7)
    assert now.days_per_week_low == pytest.approx(2.5)
    assert now.days_per_week_high == pytest.approx(5.0)
    assert (now.start, now.end) == (today - timedelta(days=27), today)
    assert report.windows[1].end == today - timedelta(days=28)


def test_missing_days_are_unknown_not_abstinence() -> None:
    report = run([], [], date(2026, 3, 10))
    now = report.windows[0]
    assert now.unknown_days == 28
    assert now.days_per_week is None
    assert report.current_streak is None and report.longest_streak is None
    assert report.first_logged_day is None


def test_near_daily_use_finding() -> None:
    today = date(2026, 3, 10)
    days = span(today - timedelta(days=27), today)
    used = [d for i, d in enumerate(days) if i % 7 != 0]  # 24 of 28 -> 6 days a week
    report = run(nightly(used), days, today)
    assert finding(report, "signals.frequency").severity is Severity.MONITOR
    fewer = [d for i, d in enumerate(days) if i % 7 not in (0, 1)]  # 5 days a week
    assert "signals.frequency" not in finding_ids(run(nightly(fewer), days, today))


def test_rising_frequency_finding() -> None:
    today = date(2026, 3, 10)
    days = span(today - timedelta(days=55), today)
    before = [d for i, d in enumerate(days[:28]) if i % 7 < 3]  # 3 a week
    recent = [d for i, d in enumerate(days[28:]) if i % 7 < 4]  # 4 a week
    report = run(nightly(before + recent), days, today)
    assert "about 3.0 days a week" in finding(report, "signals.frequency").summary


def test_too_few_known_days_for_frequency() -> None:
    today = date(2026, 3, 10)
    used = span(today - timedelta(days=12), today)  # 13 known days only
    assert "signals.frequency" not in finding_ids(run(nightly(used), used, today))


def _days_with_gaps(today: date) -> tuple[list[date], list[date]]:
    """28 days ending today: 20 with a dose, 5 without, 3 with nothing logged (5.6 a week)."""
    days = span(today - timedelta(days=27), today)
    unknown = days[1:4]
    known = [d for d in days if d not in unknown]
    return known[:20], known


def test_over_the_weekly_cap_is_a_finding() -> None:
    today = date(2026, 3, 10)
    used, known = _days_with_gaps(today)
    report = run(nightly(used), known, today, weekly_cap=4)
    assert report.windows[0].days_per_week == pytest.approx(5.6)
    over = finding(report, "signals.weekly-cap")
    assert over.severity is Severity.CAUTION
    assert "about 5.6 days a week, above the 4 days a week you set" in over.summary
    assert "5.0 to 5.8 days a week" in over.summary  # the range if unlogged days went either way
    assert "Even if none of them had kratom" in over.summary
    assert over.sources and over.as_of
    assert SignalsOut.model_validate(report, from_attributes=True).weekly_cap == 4


@pytest.mark.parametrize("cap", [None, 6, 7])
def test_at_or_under_the_weekly_cap_is_not_flagged(cap: int | None) -> None:
    today = date(2026, 3, 10)
    used, known = _days_with_gaps(today)
    assert "signals.weekly-cap" not in finding_ids(run(nightly(used), known, today, weekly_cap=cap))
    exact = span(today - timedelta(days=27), today)[::2]  # 14 of 28 known days: 3.5 a week
    all_days = span(today - timedelta(days=27), today)
    report = run(nightly(exact), all_days, today, weekly_cap=4 if cap is None else cap)
    assert "signals.weekly-cap" not in finding_ids(report)


def test_weekly_cap_with_few_days_logged_is_an_early_sign() -> None:
    today = date(2026, 3, 10)
    known = span(today - timedelta(days=5), today)  # 6 days logged, 5 with a dose
    report = run(nightly(known[1:]), known, today, weekly_cap=2)
    early = finding(report, "signals.weekly-cap")
    assert early.severity is Severity.MONITOR
    assert "Only 6 days are logged" in early.summary
    assert "1.2 to 6.8 days a week" in early.summary


def test_weekly_cap_of_zero_flags_any_use() -> None:
    today = date(2026, 3, 10)
    days = span(today - timedelta(days=27), today)
    report = run(nightly(days[-1:]), days, today, weekly_cap=0)
    assert finding(report, "signals.weekly-cap").severity is Severity.CAUTION


# --- streaks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 1, 28), date(2026, 2, 3)),
        (date(2025, 12, 29), date(2026, 1, 2)),
        (date(2028, 2, 27), date(2028, 3, 2)),
        (date(2026, 4, 25), date(2026, 5, 8)),
    ],
)
def test_streak_across_month_and_year_ends(first: date, last: date) -> None:
    days = span(first, last)
    observed = [first - timedelta(days=1), *days]
    report = run(nightly(days), observed, last)
    assert report.current_streak is not None
    assert report.current_streak.days == len(days)
    assert (report.current_streak.start, report.current_streak.end) == (first, last)
    assert report.current_streak.may_be_longer is False
    assert report.longest_streak == report.current_streak


def test_unknown_gap_breaks_streak_and_flags_uncertainty() -> None:
    first_run = span(date(2026, 1, 1), date(2026, 1, 5))
    second_run = span(date(2026, 1, 7), date(2026, 1, 10))
    report = run(nightly(first_run + second_run), [], date(2026, 1, 10))
    assert report.current_streak is not None
    assert report.current_streak.days == 4
    assert report.current_streak.may_be_longer  # Jan 6 is unknown
    assert report.longest_streak is not None
    assert report.longest_streak.days == 5
    assert report.longest_streak.may_be_longer  # unknown before Jan 1 and on Jan 6


def test_known_non_use_day_ends_streak_with_certainty() -> None:
    days = span(date(2026, 1, 7), date(2026, 1, 10))
    report = run(nightly(days), [date(2026, 1, 6)], date(2026, 1, 10))
    assert report.current_streak is not None
    assert report.current_streak.may_be_longer is False


def test_today_not_logged_yet_keeps_current_streak() -> None:
    days = span(date(2026, 1, 1), date(2026, 1, 9))
    report = run(nightly(days), [date(2025, 12, 31)], date(2026, 1, 10))
    assert report.current_streak is not None
    assert report.current_streak.end == date(2026, 1, 9)
    assert report.current_streak.may_be_longer is False


def test_today_logged_without_dose_ends_current_streak() -> None:
    days = span(date(2026, 1, 1), date(2026, 1, 9))
    report = run(nightly(days), [date(2026, 1, 10)], date(2026, 1, 10))
    assert report.current_streak is None
    assert report.longest_streak is not None and report.longest_streak.days == 9


def test_longest_streak_tie_prefers_most_recent() -> None:
    days = span(date(2026, 1, 1), date(2026, 1, 3)) + span(date(2026, 1, 5), date(2026, 1, 7))
    calendar = DayCalendar.build(days, [date(2026, 1, 4), date(2026, 1, 8)], date(2026, 1, 8))
    streak = longest_streak(calendar)
    assert streak is not None and streak.start == date(2026, 1, 5)
    assert current_streak(calendar) is None


def test_after_midnight_dose_belongs_to_the_evening_before() -> None:
    days = span(date(2026, 1, 1), date(2026, 1, 7))
    doses = nightly(days[:3]) + nightly(days[4:])
    doses.append(DoseEvent(at(date(2026, 1, 5), 0, 30), 3))  # the night of Jan 4
    report = run(doses, [date(2025, 12, 31)], date(2026, 1, 7))
    assert report.current_streak is not None and report.current_streak.days == 7


def test_morning_dose_belongs_to_the_evening_before() -> None:
    # The night rule: a dose at 01:30 or at 09:00 counts on the previous evening's night.
    days = span(date(2026, 1, 1), date(2026, 1, 7))
    doses = nightly(days[:-1])
    doses.append(DoseEvent(at(date(2026, 1, 8), 1, 30), 3))  # the night of Jan 7
    doses.append(DoseEvent(at(date(2026, 1, 9), 9, 0), 3))  # the night of Jan 8
    report = run(doses, [date(2025, 12, 31)], date(2026, 1, 9))
    now = report.windows[0]
    assert report.current_streak is not None
    assert (report.current_streak.start, report.current_streak.end) == (days[0], date(2026, 1, 8))
    assert (now.used_days, now.non_use_days) == (8, 1)
    assert report.doses_per_day.recent == pytest.approx(1.0)


def test_a_morning_dose_is_late_in_its_night_not_first() -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=13), today)
    doses = nightly(days) + [DoseEvent(at(d + timedelta(days=1), 9, 0), 3) for d in days[:-1]]
    report = run(doses, days, today)
    assert report.timing.recent_median_first_dose == "21:00"
    assert report.doses_per_day.recent == pytest.approx(27 / 14)


@pytest.mark.parametrize(
    ("length", "severity"),
    [(6, None), (7, Severity.MONITOR), (27, Severity.MONITOR), (28, Severity.CAUTION)],
)
def test_streak_finding_thresholds(length: int, severity: Severity | None) -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=length - 1), today)
    report = run(nightly(days), [today - timedelta(days=length)], today)
    found = [f for f in report.findings if f.id == "signals.streak"]
    assert (found[0].severity if found else None) is severity


# --- dose creep ----------------------------------------------------------------------------------


def _creep_history(
    today: date, recent: float, four: float | None, eight: float | None
) -> list[DoseEvent]:
    doses = nightly(span(today - timedelta(days=6), today), recent)
    if four is not None:
        doses += nightly(span(today - timedelta(days=34), today - timedelta(days=28)), four)
    if eight is not None:
        doses += nightly(span(today - timedelta(days=62), today - timedelta(days=56)), eight)
    return doses


@pytest.mark.parametrize(
    ("four", "eight", "severity"),
    [
        (4.0, None, Severity.MONITOR),  # +25%
        (4.01, None, None),  # +24.7%
        (None, 3.33, Severity.CAUTION),  # +50.2%
        (3.4, None, Severity.MONITOR),  # +47%
        (5.0, 5.0, None),
    ],
)
def test_dose_creep_thresholds(
    four: float | None, eight: float | None, severity: Severity | None
) -> None:
    today = date(2026, 3, 1)
    report = run(_creep_history(today, 5.0, four, eight), [], today)
    found = [f for f in report.findings if f.id == "signals.dose-creep"]
    assert (found[0].severity if found else None) is severity


def test_dose_creep_figures() -> None:
    today = date(2026, 3, 1)
    creep = run(_creep_history(today, 5.0, 4.0, 2.5), [], today).dose_creep
    assert creep.recent_mean_g == pytest.approx(5.0)
    assert creep.four_weeks_ago_mean_g == pytest.approx(4.0)
    assert creep.eight_weeks_ago_mean_g == pytest.approx(2.5)
    assert creep.change_vs_4_weeks == pytest.approx(0.25)
    assert creep.change_vs_8_weeks == pytest.approx(1.0)


def test_dose_creep_needs_enough_days() -> None:
    today = date(2026, 3, 1)
    doses = nightly(span(today - timedelta(days=6), today), 5.0)
    doses += nightly([today - timedelta(days=28), today - timedelta(days=29)], 2.0)
    creep = run(doses, [], today).dose_creep
    assert creep.four_weeks_ago_mean_g is None and creep.change_vs_4_weeks is None


def test_days_with_unknown_amounts_are_left_out() -> None:
    today = date(2026, 3, 1)
    doses = _creep_history(today, 5.0, 4.0, None)
    doses.append(DoseEvent(at(today, 22), None))  # today's total becomes unknown
    creep = run(doses, [], today).dose_creep
    assert creep.recent_mean_g == pytest.approx(5.0)  # the other six days


def test_dose_creep_slope() -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=55), today)
    doses = [DoseEvent(at(d), 2.0 + 0.1 * i) for i, d in enumerate(days)]
    creep = run(doses, days, today).dose_creep
    assert creep.slope_g_per_week == pytest.approx(0.7)


def test_least_squares_slope_edge_cases() -> None:
    assert least_squares_slope([]) is None
    assert least_squares_slope([(1.0, 2.0), (1.0, 3.0)]) is None
    assert least_squares_slope([(0.0, 0.0), (1.0, 2.0), (2.0, 4.0)]) == pytest.approx(2.0)


# --- timing and doses per day --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes_per_week", "flagged"), [(20, True), (15, True), (10, False), (0, False)]
)
def test_first_dose_drifting_earlier(minutes_per_week: int, flagged: bool) -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=55), today)
    doses = []
    for i, d in enumerate(days):
        minutes = 21 * 60 - round((i / 7) * minutes_per_week)
        doses.append(DoseEvent(at(d, minutes // 60, minutes % 60), 3))
    report = run(doses, days, today)
    assert report.timing.slope_minutes_per_week == pytest.approx(-minutes_per_week, abs=0.5)
    assert ("signals.earlier-doses" in finding_ids(report)) is flagged


@pytest.mark.parametrize("history_days", [21, 56])
def test_one_early_dose_does_not_make_a_drift(history_days: int) -> None:
    today = date(2026, 12, 1)
    days = span(today - timedelta(days=history_days - 1), today)
    doses = [*nightly(days[:-1]), DoseEvent(at(today, 14), 3)]  # today's dose at 14:00
    report = run(doses, days, today)
    assert report.timing.slope_minutes_per_week == pytest.approx(0)
    assert "signals.earlier-doses" not in finding_ids(report)


def test_theil_sen_slope_ignores_an_outlier() -> None:
    points = [(float(x), 2.0 * x) for x in range(10)] + [(10.0, -100.0)]
    assert theil_sen_slope(points) == pytest.approx(2.0)
    ordinary = least_squares_slope(points)
    assert ordinary is not None and ordinary < 0
    assert theil_sen_slope([]) is None
    assert theil_sen_slope([(1.0, 2.0), (1.0, 3.0)]) is None


def test_after_midnight_doses_are_late_not_early() -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=55), today)
    doses = [DoseEvent(at(d + timedelta(days=1), 0, 30), 3) for d in days[:-1]]
    report = run(doses, days, today)
    assert report.timing.recent_median_first_dose == "00:30"
    assert report.timing.slope_minutes_per_week == pytest.approx(0, abs=0.01)


def test_more_doses_per_day() -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=55), today)
    doses = nightly(days) + nightly(days[28:], hour=15)
    report = run(doses, days, today)
    assert report.doses_per_day.recent == pytest.approx(2.0)
    assert report.doses_per_day.previous == pytest.approx(1.0)
    assert "signals.doses-per-day" in finding_ids(report)


# --- check-ins -----------------------------------------------------------------------------------


def test_rating_items_are_ours() -> None:
    assert 4 <= len(RATING_ITEMS) <= 6
    assert len({item.id for item in RATING_ITEMS}) == len(RATING_ITEMS)


def test_high_and_rising_ratings() -> None:
    today = date(2026, 3, 1)
    ratings = [SelfRating(today - timedelta(days=i), "urge", 6) for i in range(3)]
    ratings += [SelfRating(today - timedelta(days=i), "restless", 4) for i in range(3)]
    ratings += [SelfRating(today - timedelta(days=i), "restless", 1) for i in range(10, 15)]
    ratings += [SelfRating(today - timedelta(days=i), "aches", 3) for i in range(3)]
    report = run([], [], today, ratings=ratings)
    check_in = finding(report, "signals.check-ins")
    assert "urge to take kratom averaged 6.0/10" in check_in.summary
    assert "restlessness averaged 4.0/10, up from 1.0" in check_in.summary
    assert "aches" not in check_in.summary
    assert check_in.uncertain  # the items are not a validated scale
    summary = {r.item: r for r in report.ratings}
    assert summary["restless"].count_previous_21 == 5
    assert summary["urge"].latest_score == 6


def test_single_rating_is_not_enough() -> None:
    today = date(2026, 3, 1)
    report = run([], [], today, ratings=[SelfRating(today, "urge", 9)])
    assert "signals.check-ins" not in finding_ids(report)


@pytest.mark.parametrize(("item", "score"), [("mood", 3), ("urge", 11), ("urge", -1)])
def test_invalid_ratings(item: str, score: int) -> None:
    with pytest.raises(ValueError):
        SelfRating(date(2026, 3, 1), item, score)


# --- coverage, helpline, output ---------------------------------------------------------------


def test_coverage_info_when_many_days_unknown() -> None:
    today = date(2026, 3, 1)
    logged = span(today - timedelta(days=13), today)  # 14 unknown days remain
    report = run(nightly(logged[::2]), logged, today)
    assert finding(report, "signals.coverage").severity is Severity.INFO
    fuller = span(today - timedelta(days=14), today)
    assert "signals.coverage" not in finding_ids(run(nightly(fuller[::2]), fuller, today))


@pytest.mark.parametrize(
    ("region", "helpline"), [("US-TX", True), ("us", True), ("GB", False), (None, False)]
)
def test_helpline_only_in_the_us(region: str | None, helpline: bool) -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=9), today)
    report = run(nightly(days), [today - timedelta(days=10)], today, region=region)
    streak = finding(report, "signals.streak")
    assert ("1-800-662-4357" in streak.action) is helpline
    assert ("https://www.samhsa.gov/find-help/national-helpline" in streak.sources) is helpline
    assert "taper" in streak.action and "clinician" in streak.action


def test_future_doses_are_ignored() -> None:
    today = date(2026, 3, 1)
    report = run(nightly([today + timedelta(days=1)]), [], today)
    assert report.windows[0].used_days == 0


def test_naive_dose_time_refused() -> None:
    with pytest.raises(ValueError):
        DoseEvent(datetime(2026, 3, 1, 21), 3)


def test_report_is_json_ready() -> None:
    today = date(2026, 3, 1)
    days = span(today - timedelta(days=40), today)
    ratings = [SelfRating(today, item.id, 2) for item in RATING_ITEMS]
    report = run(nightly(days), days, today, ratings=ratings, region="US-CA")
    data = SignalsOut.model_validate(report, from_attributes=True).model_dump(mode="json")
    text = json.dumps(data)
    assert '"current_streak"' in text
    assert isinstance(data["findings"], list)
    for item in data["findings"]:
        assert set(item) == {
            "id",
            "severity",
            "title",
            "summary",
            "action",
            "sources",
            "as_of",
            "as_of_precision",
            "checked_on",
            "dates",
            "stale",
            "uncertain",
        }


@given(
    st.sets(st.integers(min_value=0, max_value=89)),
    st.sets(st.integers(min_value=0, max_value=89)),
)
def test_window_and_streak_invariants(use: set[int], seen: set[int]) -> None:
    today = date(2026, 3, 1)
    calendar = DayCalendar.build(
        (today - timedelta(days=i) for i in use), (today - timedelta(days=i) for i in seen), today
    )
    for window in frequency_windows(calendar):
        assert window.used_days + window.non_use_days + window.unknown_days == 28
        assert window.days_per_week_low <= window.days_per_week_high
        rate = window.days_per_week
        if rate is not None:
            assert window.days_per_week_low - 1e-9 <= rate <= window.days_per_week_high + 1e-9
    current, longest = current_streak(calendar), longest_streak(calendar)
    if current is not None:
        assert longest is not None and current.days <= longest.days
        assert all(
            current.start + timedelta(days=i) in calendar.use_days for i in range(current.days)
        )
