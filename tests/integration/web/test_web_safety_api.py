"""API: safety check, legal lookups, signals, check-ins, sleep by source, doses with findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.web.conftest import Web

PROBLEM_JSON = "application/problem+json"


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    if field is not None:
        assert body["field"] == field, body
    return body


def test_safety_check_reads_names_and_cites_sources(profiled: Web) -> None:
    body = profiled.api(
        "GET", "/api/v1/safety/check", params={"med": ["Xanax", "alprazolm"], "region": "US-AL"}
    ).json()
    avoid = [f for f in body["findings"] if f["severity"] == "avoid"]
    assert avoid and all(f["sources"] and f["as_of"] for f in avoid)
    assert any("benzodiazepine" in f["id"] for f in avoid)
    assert body["legal"]["status"] == "banned"
    assert body["medications"][1]["how"] == "fuzzy"


def test_safety_check_sleep_apnea_with_suboxone(profiled: Web) -> None:
    params = {"med": ["Suboxone"], "condition": ["sleep apnea", "fibromyalgia"]}
    body = profiled.api("GET", "/api/v1/safety/check", params=params).json()
    found = {f["id"]: f for f in body["findings"]}
    assert found["condition.sleep-apnea"]["severity"] == "caution"
    assert found["interaction.buprenorphine"]["severity"] == "avoid"
    for finding in (found["condition.sleep-apnea"], found["interaction.buprenorphine"]):
        assert finding["sources"] and finding["as_of"] and finding["checked_on"] == "2026-12-05"
        assert finding["dates"].startswith("as of ")
    assert body["unknown_conditions"] == ["fibromyalgia"]
    assert (
        "Not recognised — not checked: 'fibromyalgia'."
        in found["conditions.unrecognised"]["summary"]
    )


def test_a_legal_record_has_its_law_date_and_its_check_date(profiled: Web) -> None:
    australia = profiled.api("GET", "/api/v1/legal/AU").json()
    assert (australia["as_of"], australia["as_of_precision"]) == ("2004-01-01", "year")
    assert australia["checked_on"] == "2026-12-05" and australia["stale"] is False
    assert australia["dates"] == "law dated 2004 · checked 2026-12-05"


def test_safety_check_mistakes_are_problems(profiled: Web) -> None:
    problem(
        profiled.api("GET", "/api/v1/safety/check", params={"region": "XX-NOPE"}), 422, "region"
    )
    many = [("med", str(i)) for i in range(31)]
    problem(profiled.api("GET", "/api/v1/safety/check", params=many), 422)


def test_legal_lookup(profiled: Web) -> None:
    alabama = profiled.api("GET", "/api/v1/legal/US-AL").json()
    assert alabama["status"] == "banned" and alabama["sources"] and alabama["as_of"]
    county = profiled.api("GET", "/api/v1/legal/US-FL-Sarasota-County").json()
    assert county["status"] == "banned"
    assert [entry["code"] for entry in county["chain"]] == ["US-FL-Sarasota-County", "US-FL", "US"]
    body = problem(profiled.api("GET", "/api/v1/legal/NOWHERE"), 422, "code")
    assert "No legal record" in body["detail"]
    problem(profiled.api("GET", "/api/v1/legal/" + "x" * 100), 422)


def test_signals_and_checkins(profiled: Web) -> None:
    saved = profiled.api("POST", "/api/v1/checkins", json={"answers": {"urge": 3, "sleep": 4}})
    assert saved.status_code == 201
    assert saved.json() == [
        {"day": "2025-06-14", "item": "urge", "score": 3},
        {"day": "2025-06-14", "item": "sleep", "score": 4},
    ]
    signals = profiled.api("GET", "/api/v1/signals").json()
    assert {"windows", "current_streak", "dose_creep", "timing", "findings"} <= set(signals)
    urge = next(r for r in signals["ratings"] if r["item"] == "urge")
    assert urge["latest_score"] == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {}}, "answers"),
        ({"answers": {"mood": 3}}, "answers"),
        ({"answers": {"urge": 11}}, None),
        ({"answers": {"urge": 3}, "day": "yesterday"}, None),
        ({}, None),
    ],
)
def test_checkin_mistakes_are_problems(
    profiled: Web, body: dict[str, Any], field: str | None
) -> None:
    problem(profiled.api("POST", "/api/v1/checkins", json=body), 422, field)


def test_signals_need_a_profile(web: Web) -> None:
    problem(web.api("GET", "/api/v1/signals"), 422, "profile")


def test_sleep_by_source(profiled: Web) -> None:
    diary = {
        "night": "2025-06-13",
        "bedtime": "23:00",
        "tried": "23:10",
        "sol_min": 20,
        "awakenings": 1,
        "waso_min": 15,
        "final_wake": "06:30",
        "out_of_bed": "06:45",
        "quality": 3,
    }
    assert profiled.api("POST", "/api/v1/diary", json=diary).status_code == 201
    rows = profiled.api("GET", "/api/v1/sleep", params={"from": "2025-06-01"}).json()
    assert [(r["night"], r["source"]) for r in rows] == [("2025-06-13", "diary")]
    assert rows[0]["asleep_min"] == pytest.approx(405)
    assert profiled.api("GET", "/api/v1/sleep", params={"source": "wearable"}).json() == []
    problem(profiled.api("GET", "/api/v1/sleep", params={"source": "fitbit"}), 422, "source")
    problem(
        profiled.api("GET", "/api/v1/sleep", params={"from": "2025-06-10", "to": "2025-06-01"}), 422
    )


def test_a_dose_after_three_drinks_shows_the_alcohol_finding(profiled: Web) -> None:
    drinks = {"kind": "alcohol", "amount": 3, "time": "20:00"}
    assert profiled.api("POST", "/api/v1/intakes", json=drinks).status_code == 201
    logged = profiled.api("POST", "/api/v1/doses", json={"amount": 3, "time": "20:30"})
    assert logged.status_code == 201
    body = logged.json()
    assert body["id"] and body["acknowledged"] is False
    alcohol = next(f for f in body["findings"] if f["id"] == "predose.recent-alcohol")
    assert alcohol["severity"] == "avoid" and alcohol["sources"] and alcohol["as_of"]
    again = profiled.api(
        "POST", "/api/v1/doses", json={"amount": 1, "time": "20:31"}, params={"acknowledge": True}
    )
    assert again.status_code == 201 and again.json()["acknowledged"] is True


def test_a_dose_without_findings_has_an_empty_list(profiled: Web) -> None:
    body = profiled.api("POST", "/api/v1/doses", json={"amount": 2, "time": "20:00"}).json()
    assert all(f["severity"] != "avoid" for f in body["findings"])
    assert body["acknowledged"] is False
