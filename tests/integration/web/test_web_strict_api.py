"""The API refuses what its schema forbids, with documented problems (issue 11, item 7)."""

from __future__ import annotations

import pytest

from tests.integration.web.conftest import Web

LISTS = [
    "/api/v1/doses",
    "/api/v1/diary",
    "/api/v1/pain",
    "/api/v1/soreness",
    "/api/v1/workouts",
    "/api/v1/intakes",
    "/api/v1/nights",
]
PROBLEM = "application/problem+json"


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(("name", "value"), [("to", "0"), ("from", "1700000000"), ("to", "2025")])
def test_list_dates_must_be_iso_dates(profiled: Web, path: str, name: str, value: str) -> None:
    response = profiled.get(f"{path}?{name}={value}")
    assert response.status_code == 422, (path, response.text)
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == name
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_iso_dates_are_still_accepted(profiled: Web) -> None:
    response = profiled.get("/api/v1/doses?from=2025-06-01&to=2025-06-30")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/doses", {"amount": 1, "pain_before": False}, "pain_before"),
        ("/api/v1/doses", {"amount": True}, "amount"),
        ("/api/v1/pain", {"score": True}, "score"),
        ("/api/v1/soreness", {"ratings": {"quads": True}}, "ratings.quads"),
        ("/api/v1/intakes", {"kind": "caffeine", "amount": True}, "amount"),
        ("/api/v1/checkins", {"answers": {"urge": False}}, "answers.urge"),
    ],
)
def test_booleans_are_not_numbers(profiled: Web, path: str, body: object, field: str) -> None:
    response = profiled.api("POST", path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


@pytest.mark.parametrize("raw", [b"1e309", b"-1e309", b"NaN", b"Infinity"])
def test_amounts_must_be_finite(profiled: Web, raw: bytes) -> None:
    body = b'{"kind": "medication", "name": "ibuprofen", "unit": "mg", "amount": ' + raw + b"}"
    response = profiled.client.post(
        "/api/v1/intakes", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "amount"
    assert profiled.get("/api/v1/intakes").json() == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/checkins", {"answers": {"urge": 3}, "day": "0001-01-01"}, "day"),
        ("/api/v1/pain", {"score": 3, "night": "0001-01-01"}, "night"),
        ("/api/v1/pain", {"score": 3, "night": 0}, "night"),
    ],
)
def test_dates_must_be_sane(profiled: Web, path: str, body: object, field: str) -> None:
    response = profiled.api("POST", path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_batch_tested_in_year_one_is_refused(profiled: Web) -> None:
    product = profiled.api("POST", "/api/v1/products", json={"name": "P"}).json()
    response = profiled.api(
        "POST",
        f"/api/v1/products/{product['id']}/batches",
        json={"lot": "L", "tested_on": "0001-01-01"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "tested_on"


def test_a_lot_longer_than_its_column_is_refused_and_exports_still_work(profiled: Web) -> None:
    # Found by the fuzzer: a 200-character lot was stored, and the JSON backup then failed.
    product = profiled.api("POST", "/api/v1/products", json={"name": "P"}).json()
    batches = f"/api/v1/products/{product['id']}/batches"
    response = profiled.api("POST", batches, json={"lot": "0" * 121})
    assert response.status_code == 422, response.text
    assert profiled.api("POST", batches, json={"lot": "0" * 120}).status_code == 201
    backup = profiled.get("/api/v1/export/json")
    assert backup.status_code == 200 and backup.json()["entities"]["batches"][0]["lot"] == "0" * 120


@pytest.mark.parametrize("name", ["localtime", "posix/Europe/London", "A" * 300])
def test_profile_zone_must_be_an_iana_place(web: Web, name: str) -> None:
    response = web.api("PUT", "/api/v1/profile", json={"timezone": name, "bedtime": "23:00"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "timezone"
    assert len(response.json()["detail"]) < 200


def test_escape_sequences_in_text_are_refused(profiled: Web) -> None:
    response = profiled.api("POST", "/api/v1/products", json={"name": "P\x1b[31m"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "name"


def test_a_body_that_is_not_utf8_is_a_documented_400(profiled: Web) -> None:
    response = profiled.client.post(
        "/api/v1/doses",
        content=b'\xff\xfe{"amount": 1}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert "UTF-8" in response.json()["detail"]
    documented = profiled.get("/api/openapi.json").json()["paths"]["/api/v1/doses"]["post"]
    assert "400" in documented["responses"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/api/v1/doses/1", "GET, PUT, DELETE"),
        ("POST", "/api/v1/plan/tonight", "GET"),
        ("POST", "/api/openapi.json", "GET, HEAD"),
        ("DELETE", "/api/v1/profile", "GET, PUT"),
    ],
)
def test_wrong_method_is_405_with_allow(profiled: Web, method: str, path: str, allow: str) -> None:
    response = profiled.client.request(method, path)
    assert response.status_code == 405, response.text
    assert sorted(response.headers["allow"].split(", ")) == sorted(allow.split(", "))
    assert response.headers["content-type"] == PROBLEM
