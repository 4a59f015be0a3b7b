"""The JSON API: CRUD for every entity, night filters, problem details for every mistake."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.web.conftest import PROFILE, Web

DIARY = {
    "night": "2025-06-12",
    "bedtime": "23:00",
    "tried": "23:10",
    "sol_min": 20,
    "awakenings": 1,
    "waso_min": 15,
    "final_wake": "06:40",
    "out_of_bed": "07:00",
    "quality": 4,
}

#: (collection, body to create, body to update, a field the update changes)
ENTITIES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "doses",
        {"amount": 3, "time": "2025-06-12T22:00"},
        {"amount": 2, "time": "2025-06-12T22:00"},
        "amount",
    ),
    ("diary", DIARY, {**DIARY, "quality": 2}, "quality"),
    (
        "pain",
        {"score": 6, "time": "2025-06-12T20:00"},
        {"score": 4, "time": "2025-06-12T20:00"},
        "score",
    ),
    (
        "workouts",
        {"kind": "run", "duration_min": 30, "time": "2025-06-12T18:00"},
        {"kind": "swim", "duration_min": 30, "time": "2025-06-12T18:00"},
        "kind",
    ),
    (
        "intakes",
        {"kind": "alcohol", "amount": 2, "time": "2025-06-12T19:00"},
        {"kind": "alcohol", "amount": 1, "time": "2025-06-12T19:00"},
        "amount",
    ),
]


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def test_profile_is_created_read_and_updated(web: Web) -> None:
    missing = problem(web.api("GET", "/api/v1/profile"), 422)
    assert missing["field"] == "profile"
    no_zone = problem(web.api("PUT", "/api/v1/profile", json={"bedtime": "23:00"}), 422)
    assert no_zone["field"] == "timezone"
    created = web.api("PUT", "/api/v1/profile", json=PROFILE).json()
    assert created["bedtime"] == "23:00" and created["region"] == "US-TX"
    changed = web.api("PUT", "/api/v1/profile", json={"lead_min": 45}).json()
    assert changed["lead_min"] == 45 and changed["bedtime"] == "23:00"
    assert web.api("GET", "/api/v1/profile").json() == changed


@pytest.mark.parametrize(("collection", "body", "update", "changed"), ENTITIES)
def test_crud_with_night_filters(
    profiled: Web, collection: str, body: dict[str, Any], update: dict[str, Any], changed: str
) -> None:
    base = f"/api/v1/{collection}"
    created = profiled.api("POST", base, json=body)
    assert created.status_code == 201, created.text
    entry = created.json()
    for extra in ("findings", "acknowledged"):  # a new dose comes with its pre-dose check
        entry.pop(extra, None)
    assert entry["night"] == "2025-06-12"
    assert profiled.api("GET", f"{base}/{entry['id']}").json() == entry
    assert [e["id"] for e in profiled.api("GET", base, params={"from": "2025-06-12"}).json()] == [
        entry["id"]
    ]
    assert profiled.api("GET", base, params={"from": "2025-06-13"}).json() == []
    assert profiled.api("GET", base, params={"to": "2025-06-11"}).json() == []
    updated = profiled.api("PUT", f"{base}/{entry['id']}", json=update)
    assert updated.status_code == 200, updated.text
    assert updated.json()[changed] == update[changed]
    assert profiled.api("DELETE", f"{base}/{entry['id']}").status_code == 204
    gone = problem(profiled.api("GET", f"{base}/{entry['id']}"), 404)
    assert gone["type"] == "/api/docs#problem-not-found"
    problem(profiled.api("DELETE", f"{base}/{entry['id']}"), 404)
    problem(profiled.api("PUT", f"{base}/{entry['id']}", json=update), 404)


def test_soreness_crud(profiled: Web) -> None:
    created = profiled.api("POST", "/api/v1/soreness", json={"ratings": {"quads": 6, "calves": 2}})
    assert created.status_code == 201
    rows = created.json()
    assert sorted(r["muscle_group"] for r in rows) == ["calves", "quads"]
    first = rows[0]
    changed = profiled.api(
        "PUT", f"/api/v1/soreness/{first['id']}", json={"ratings": {"hips": 4}, "note": "better"}
    ).json()
    assert (changed["muscle_group"], changed["score"], changed["note"]) == ("hips", 4, "better")
    two = problem(
        profiled.api(
            "PUT", f"/api/v1/soreness/{first['id']}", json={"ratings": {"hips": 4, "neck": 1}}
        ),
        422,
    )
    assert two["field"] == "ratings"
    assert profiled.api("GET", f"/api/v1/soreness/{first['id']}").json() == changed
    assert profiled.api("DELETE", f"/api/v1/soreness/{first['id']}").status_code == 204
    assert len(profiled.api("GET", "/api/v1/soreness").json()) == 1


def test_products_and_batches_crud(profiled: Web) -> None:
    product = profiled.api("POST", "/api/v1/products", json={"name": "Red Bali"}).json()
    assert product["batches"] == [] and product["form"] == "leaf_powder"
    batch = profiled.api(
        "POST",
        f"/api/v1/products/{product['id']}/batches",
        json={"lot": "RB-7", "mitragynine_pct": 1.2},
    )
    assert batch.status_code == 201
    bid = batch.json()["id"]
    assert profiled.api("GET", f"/api/v1/batches/{bid}").json()["lot"] == "RB-7"
    assert (
        profiled.api("PUT", f"/api/v1/batches/{bid}", json={"lot": "RB-8"}).json()["lot"] == "RB-8"
    )
    dose = profiled.api(
        "POST", "/api/v1/doses", json={"amount": 3, "product_id": product["id"]}
    ).json()
    assert dose["batch_id"] == bid and dose["mitragynine_mg"] is None  # the update cleared the %
    renamed = profiled.api("PUT", f"/api/v1/products/{product['id']}", json={"name": "RB"}).json()
    assert renamed["name"] == "RB" and len(renamed["batches"]) == 1
    assert profiled.api("DELETE", f"/api/v1/batches/{bid}").status_code == 204
    assert profiled.api("DELETE", f"/api/v1/products/{product['id']}").status_code == 204
    assert profiled.api("GET", f"/api/v1/doses/{dose['id']}").json()["product_id"] is None
    problem(profiled.api("GET", f"/api/v1/products/{product['id']}/batches"), 404)


def test_plan_and_nights(profiled: Web) -> None:
    plan = profiled.api("GET", "/api/v1/plan/tonight").json()
    assert plan["night"] == "2025-06-14"
    assert plan["intake_time"] == "2025-06-14T22:00:00-04:00"
    for finding in plan["findings"]:  # filled in by the safety engine
        assert {"id", "severity", "title", "summary", "action", "sources", "as_of"} <= set(finding)
    other = profiled.api("GET", "/api/v1/plan/tonight", params={"night": "2025-12-24"}).json()
    assert other["bedtime"] == "2025-12-24T23:00:00-05:00"
    profiled.api("POST", "/api/v1/doses", json={"amount": 3, "time": "2025-06-12T21:55"})
    profiled.api("POST", "/api/v1/diary", json={**DIARY, "bedtime": "23:30", "tried": "23:30"})
    nights = profiled.api("GET", "/api/v1/nights").json()
    assert len(nights) == 14 and nights[0]["night"] == "2025-06-14"
    night = next(n for n in nights if n["night"] == "2025-06-12")
    assert night["bedtime_source"] == "diary"
    assert night["doses"][0]["minutes_from_bedtime"] == -95
    assert night["diary"]["quality"] == 4
    problem(profiled.api("GET", "/api/v1/nights", params={"from": "2020-01-01"}), 422)


def test_conflict_is_409(profiled: Web) -> None:
    assert profiled.api("POST", "/api/v1/diary", json=DIARY).status_code == 201
    body = problem(profiled.api("POST", "/api/v1/diary", json=DIARY), 409)
    assert body["field"] == "night"
    assert body["type"] == "/api/docs#problem-conflict"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/doses", {"amount": 500}, "amount"),
        ("/api/v1/doses", {"amount": 2, "unit": "capsules"}, "grams_per_capsule"),
        ("/api/v1/doses", {"amount": 2, "time": "late"}, "time"),
        ("/api/v1/doses", {"amount": 2, "product_id": 999}, "product_id"),
        ("/api/v1/diary", {**DIARY, "tried": "22:00"}, "tried"),
        ("/api/v1/intakes", {"kind": "medication"}, "name"),
        ("/api/v1/intakes", {"kind": "alcohol", "amount": 80}, "amount"),
        ("/api/v1/doses?from=2025-06-10&to=2025-06-01", None, "from"),
    ],
)
def test_service_mistakes_name_the_field(
    profiled: Web, path: str, body: dict[str, Any] | None, field: str
) -> None:
    method = "POST" if body is not None else "GET"
    response = profiled.api(method, path, json=body)
    status = 404 if field == "product_id" else 422
    assert problem(response, status)["field"] == field
    assert profiled.api("GET", "/api/v1/doses").json() == []


def test_request_validation_lists_every_problem(profiled: Web) -> None:
    body = problem(
        profiled.api("POST", "/api/v1/pain", json={"score": 11, "mood": "x", "note": 3}), 422
    )
    assert body["type"] == "/api/docs#problem-validation"
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"score", "mood", "note"}
    assert body["field"] in fields
    assert all("input" not in e for e in body["errors"])  # values are never echoed
    assert "11" not in str(body["errors"])
    problem(profiled.api("GET", "/api/v1/doses", params={"from": "soon"}), 422)
    problem(profiled.api("GET", "/api/v1/doses/0"), 422)
    problem(profiled.api("GET", f"/api/v1/doses/{2**70}"), 422)
    broken = profiled.client.post(
        "/api/v1/pain", content=b"{not json", headers={"content-type": "application/json"}
    )
    problem(broken, 422)


def test_a_body_that_is_not_json_names_the_body(profiled: Web) -> None:
    broken = profiled.client.post(
        "/api/v1/doses", content=b'{"amount": 3,', headers={"content-type": "application/json"}
    )
    body = problem(broken, 422)
    assert body["field"] == "body"  # not the character position where parsing stopped
    assert [e["field"] for e in body["errors"]] == ["body"]
    assert body["detail"].startswith("body: not valid JSON")
    assert "at character 13" in body["detail"]
    assert profiled.api("GET", "/api/v1/doses").json() == []


def test_http_errors_are_problems(profiled: Web) -> None:
    problem(profiled.api("GET", "/api/v1/nothing"), 404)
    problem(profiled.api("PATCH", "/api/v1/doses", json={}), 405)


def test_writes_must_be_json(profiled: Web) -> None:
    form = profiled.client.post("/api/v1/pain", data={"score": "3"})
    assert problem(form, 415)["title"] == "Unsupported media type"
    text = profiled.client.post(
        "/api/v1/pain", content=b'{"score": 3}', headers={"content-type": "text/plain"}
    )
    problem(text, 415)
    assert profiled.api("GET", "/api/v1/pain").json() == []


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/v1/nights?to=0001-01-01", None, "to"),
        ("GET", "/api/v1/nights?from=9999-12-31", None, "from"),
        ("GET", "/api/v1/plan/tonight?night=9999-12-31", None, "night"),
        ("POST", "/api/v1/doses", {"amount": 1, "night": "9999-12-31", "time": "23:00"}, "night"),
        ("POST", "/api/v1/doses", {"amount": 1, "time": "0001-01-01T00:00+14:00"}, "time"),
        ("POST", "/api/v1/pain", {"score": 1, "time": "9999-12-31T23:59"}, "time"),
        ("POST", "/api/v1/diary", {**DIARY, "night": "9999-12-31"}, "night"),
        ("PUT", "/api/v1/profile", {"timezone": "A" * 5000}, "timezone"),
    ],
)
def test_dates_and_zones_at_the_limits_are_input_errors(
    profiled: Web, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    assert problem(profiled.api(method, path, json=body), 422)["field"] == field


@pytest.mark.parametrize("field", ["product_id", "batch_id"])
def test_ids_beyond_64_bits_are_not_found(profiled: Web, field: str) -> None:
    body = {"amount": 1, field: 2**63}
    assert problem(profiled.api("POST", "/api/v1/doses", json=body), 404)["field"] == field
