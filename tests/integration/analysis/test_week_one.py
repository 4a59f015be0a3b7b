"""Feedback from week one: plain averages with counts before the 28-night analysis (CLI, API)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.integration.analysis.conftest import Sim, log_history

FIRST = date(2025, 1, 6)
#: Two weeks: the first fully logged, the second with one night of nothing at all.
TWO_WEEKS: list[bool | None] = (
    [True, False] * 3 + [True] + [False, True, None, True, False, True, True]
)
NO_CLAIM = re.compile(
    r"\b(causes|caused|improves|improved|helps|leads to|reduces|significant|p-value|"
    r"p =|likely worth it|probably worth it)\b",
    re.IGNORECASE,
)


def test_seven_nights_give_week_one_feedback_in_json(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, [True, False, True, False, True, False, True])
    result = profiled_cli("analyze", "--json").json()
    assert result["status"] == "not_enough_data"
    week = result["week_one"]
    logging = week["logging"]
    assert logging["logged_nights"] == 7
    assert logging["with_kratom"] == 4 and logging["without_kratom"] == 3
    assert logging["current_streak"] == 7
    assert logging["completeness_pct"] == 100.0
    assert logging["nights_until_analysis"] == 21
    assert logging["this_week_from"] == "2025-01-06"
    quality = next(o for o in week["outcomes"] if o["outcome"] == "quality")
    assert quality["this_week"]["nights"] == 7
    assert quality["earlier_weeks"] == {"mean": None, "nights": 0}
    assert quality["with_kratom"]["nights"] == 4
    assert quality["without_kratom"]["nights"] == 3
    assert week["not_yet"] == (
        "Not yet enough nights to say whether the difference is more than chance."
    )
    names = [o["outcome"] for o in week["outcomes"]]
    assert names == [
        "sleep_efficiency_pct",
        "total_sleep_time_min",
        "quality",
        "pain_next_morning",
        "soreness_next_morning",
    ]


def test_this_week_is_compared_with_earlier_weeks(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, TWO_WEEKS)
    week = profiled_cli("analyze", "--json").json()["week_one"]
    logging = week["logging"]
    assert logging["last_night"] == (FIRST + timedelta(days=13)).isoformat()
    assert logging["this_week_from"] == (FIRST + timedelta(days=7)).isoformat()
    assert logging["logged_nights"] == 13 and logging["nights_in_range"] == 14
    assert logging["current_streak"] == 4 and logging["longest_streak"] == 9
    sleep = next(o for o in week["outcomes"] if o["outcome"] == "total_sleep_time_min")
    assert sleep["this_week"]["nights"] == 6 and sleep["earlier_weeks"]["nights"] == 7
    assert sleep["this_week"]["mean"] is not None


def test_week_one_text_fits_80_columns_and_makes_no_claim(
    sim: Sim, profiled_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    log_history(sim, FIRST, [True, False, True, False, True, False, True])
    text = profiled_cli("analyze").stdout
    assert "Not yet enough nights to say whether the difference is more than chance." in text
    assert "21 more logged nights until the first real comparison" in text
    assert "Current streak: 7 nights in a row" in text
    assert "Sleep efficiency" in text or "sleep efficiency" in text
    assert "With kratom" in text and "Earlier weeks" in text
    table = text[text.index("Your nights so far") : text.index("more than chance.")]
    assert len(table.splitlines()) >= 8 and all(len(line) <= 80 for line in table.splitlines())
    assert "…" not in table, table
    section = text[text.index("You logged") : text.index("more than chance.")]
    assert NO_CLAIM.search(section) is None, section


def test_enough_nights_have_no_week_one_feedback(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, [i % 2 == 0 for i in range(30)])
    assert profiled_cli("analyze", "--json").json()["week_one"] is None


def test_default_range_starts_where_the_person_logs(sim: Sim, profiled_cli: Cli) -> None:
    """A wearable night imported from 2024 does not stretch the range back (polish, item 7)."""
    sample = Path(__file__).parents[2] / "data" / "samples" / "oura" / "oura-sleep-v2.json"
    profiled_cli("import", "oura", str(sample))
    log_history(sim, FIRST + timedelta(days=365), [True, False, True])
    result = profiled_cli("analyze", "--json").json()
    assert result["from"] == (FIRST + timedelta(days=365)).isoformat()
    assert result["counts"]["nights_in_range"] == 3
    assert result["counts"]["exposure_known"] == 3
    earlier = profiled_cli("analyze", "--json", "--from", "2024-03-01").json()
    assert earlier["counts"]["nights_in_range"] > 300
