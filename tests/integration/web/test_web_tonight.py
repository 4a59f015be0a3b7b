"""Tonight, phone first: the evening state after a dose, the morning card, the reminder hook."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.integration.web.conftest import Web

MEDICATED = {"timezone": "America/New_York", "bedtime": "23:00", "medications": ["tramadol"]}


def test_before_a_dose_tonight_asks_first_and_carries_the_intake_time(profiled: Web) -> None:
    text = profiled.get("/").text
    card = re.search(r'<section class="card intake"[^>]*>', text)
    assert card, text
    assert 'data-intake-at="2025-06-14T22:00:00-04:00"' in card.group(0)
    assert 'data-intake-clock="22:00"' in card.group(0)
    assert "data-remind hidden" in text  # shown by the script only, asked once
    assert 'href="/settings#calendar"' in text and "calendar reminder" in text


def test_findings_are_one_line_each_before_the_log_button(web: Web) -> None:
    assert web.api("PUT", "/api/v1/profile", json=MEDICATED).status_code == 200
    text = web.get("/").text
    lines = re.findall(
        r'<details class="finding line severity-(\w+)">\s*<summary>(.*?)</summary>', text, re.S
    )
    assert lines and lines[0][0] == "avoid"
    for _severity, summary in lines:
        assert 'class="severity"' in summary and '<span class="why">why</span>' in summary
    assert text.index("Intake time") < text.index("Before you take anything")
    assert text.index("Before you take anything") < text.index("Log a dose")


def test_after_a_dose_the_evening_moves_on(web: Web) -> None:
    web.api(
        "PUT",
        "/api/v1/profile",
        json={**MEDICATED, "wind_down": [{"text": "Screens off", "minutes_before": 60}]},
    )
    saved = web.api("POST", "/api/v1/doses", json={"amount": 3, "time": "2025-06-14T20:10"})
    assert saved.status_code == 201, saved.text
    text = web.get("/").text
    assert "Logged 3 g at 20:10 · wind-down next" in text
    assert "Before you take anything" not in text
    assert "Safety findings for tonight" in text  # the avoid finding stays in view
    assert "data-intake-at" not in text  # nothing to remind of any more
    assert 'name="acknowledge"' in text  # logging again still needs the tick
    web.clock.now = datetime(2025, 6, 15, 2, 30, tzinfo=UTC)  # 22:30, after the wind-down
    assert "Logged 3 g at 20:10 · bed at 23:00" in web.get("/").text


def test_no_good_morning_in_the_middle_of_the_night(profiled: Web) -> None:
    profiled.clock.now = datetime(2025, 6, 15, 4, 30, tzinfo=UTC)  # 00:30 in New York
    assert "Good morning" not in profiled.get("/").text


def test_good_morning_waits_for_the_usual_final_awakening(profiled: Web) -> None:
    for night in ("2025-06-10", "2025-06-11", "2025-06-12"):
        answers = {
            "night": night,
            "bedtime": "23:00",
            "tried": "23:10",
            "sol_min": 10,
            "awakenings": 0,
            "waso_min": 0,
            "final_wake": "07:30",
            "out_of_bed": "07:45",
            "quality": 4,
        }
        response = profiled.api("POST", "/api/v1/diary", json=answers)
        assert response.status_code == 201, response.text
    profiled.clock.now = datetime(2025, 6, 15, 10, 30, tzinfo=UTC)  # 06:30, before 07:30
    assert "Good morning" not in profiled.get("/").text
    profiled.clock.now = datetime(2025, 6, 15, 11, 40, tzinfo=UTC)  # 07:40
    assert "Good morning" in profiled.get("/").text
    profiled.clock.now = datetime(2025, 6, 15, 16, 10, tzinfo=UTC)  # 12:10: a new night
    assert "Good morning" not in profiled.get("/").text
