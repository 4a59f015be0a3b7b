"""Staleness: records older than six calendar months are flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.knowledge import STALE_NOTE, is_stale, stale_cutoff
from bedside.knowledge.staleness import months_before, stale_sentence


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 22), 6, date(2026, 5, 22)),
        (date(2026, 3, 5), 6, date(2025, 9, 5)),
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 15), 13, date(2024, 12, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [
        (date(2026, 5, 21), True),
        (date(2026, 5, 22), False),
        (date(2026, 11, 22), False),
        (date(2025, 1, 1), True),
    ],
)
def test_is_stale_boundary(as_of: date, stale: bool) -> None:
    assert is_stale(as_of, today=date(2026, 11, 22)) is stale


def test_stale_text() -> None:
    assert STALE_NOTE == "may be out of date — check before relying on it"
    assert stale_sentence(True) == f"This information {STALE_NOTE}."
    assert stale_sentence(False) == ""


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_cutoff_is_about_six_months(today: date) -> None:
    cutoff = stale_cutoff(today)
    assert timedelta(days=181) <= today - cutoff <= timedelta(days=184)
    assert not is_stale(cutoff, today)
    assert is_stale(cutoff - timedelta(days=1), today)
