"""The pre-dose check on the web and in the API: one check over one resolved dose.

Regular medicines count before every dose, a second dose soon after the first asks to be
read first, and "Log the same as last time" is only offered within the person's caps.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from tests.integration.web.conftest import PROFILE, Web

ACK = "I have read this and choose to log the dose"
ONE_TAP = re.compile(r'<form method="post" action="/log/dose" class="one-tap">(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def set_profile(web: Web, **changes: Any) -> None:
    response = web.api("PUT", "/api/v1/profile", json={**PROFILE, **changes})
    assert response.status_code == 200, response.text


def acknowledged_ids(web: Web) -> list[str]:
    path = web.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("select finding_ids from finding_acknowledgements")]


def capsule_batch(web: Web) -> int:
    """A 0.5 g capsule product with one lab batch; returns the batch id."""
    product = web.api(
        "POST",
        "/api/v1/products",
        json={"name": "Red caps", "form": "capsules", "grams_per_capsule": 0.5},
    ).json()
    batch = web.api("POST", f"/api/v1/products/{product['id']}/batches", json={"lot": "L1"})
    assert batch.status_code == 201, batch.text
    return int(batch.json()["id"])


def test_a_regular_gabapentin_is_checked_before_the_dose_is_saved(profiled: Web) -> None:
    set_profile(profiled, medications=["gabapentin"])
    form = {"amount": "2", "unit": "g", "time": "2025-06-14T20:30"}
    held = profiled.post("/log/dose", form)
    assert held.status_code == 409
    assert "Kratom with gabapentin or pregabalin" in held.text and ACK in held.text
    assert profiled.api("GET", "/api/v1/doses").json() == []
    saved = profiled.post("/log/dose", {**form, "acknowledge": "on"})
    assert saved.status_code == 303
    assert "interaction.gabapentinoids" in acknowledged_ids(profiled)[0]

    body = profiled.api("POST", "/api/v1/doses", json={"amount": 1, "night": "2025-06-10"}).json()
    gaba = next(f for f in body["findings"] if f["id"] == "interaction.gabapentinoids")
    assert gaba["severity"] == "avoid" and gaba["sources"] and gaba["as_of"]


def test_the_same_dose_gets_the_same_check_on_the_web_and_in_the_api(profiled: Web) -> None:
    set_profile(profiled, cap_dose_g=1.5)
    alcohol = {"kind": "alcohol", "amount": 1, "time": "19:00"}  # holds the web form
    assert profiled.api("POST", "/api/v1/intakes", json=alcohol).status_code == 201
    batch = capsule_batch(profiled)
    dose = {"amount": "4", "unit": "capsules", "batch_id": str(batch), "time": "2025-06-14T20:30"}
    held = profiled.post("/log/dose", dose)
    assert held.status_code == 409
    assert "Above the per-dose cap you set" in held.text and "(2 g)" in held.text
    assert "Per-dose cap not checked" not in held.text

    body = profiled.api("POST", "/api/v1/doses", json={**dose, "amount": 4}).json()
    ids = {f["id"] for f in body["findings"]}
    assert "predose.cap.per-dose" in ids and "predose.cap.per-dose-unknown" not in ids
    assert body["grams"] == 2


def test_a_second_dose_asks_first_and_tonight_offers_no_one_tap(profiled: Web) -> None:
    product = profiled.api("POST", "/api/v1/products", json={"name": "Red Bali"}).json()
    first = {"amount": 3, "time": "20:00", "product_id": product["id"]}
    assert profiled.api("POST", "/api/v1/doses", json=first).status_code == 201

    tonight = profiled.get("/").text
    assert "This would be a second dose" in tonight and "You logged 3 g at 20:00" in tonight
    [form] = ONE_TAP.findall(tonight)
    assert 'name="acknowledge" value="on" required' in form  # not one tap any more
    assert "Log the same as last time (3 g Red Bali)" in form

    fields = dict(HIDDEN.findall(form))
    fields.pop("csrf_token")
    held = profiled.post("/log/dose", fields)
    assert held.status_code == 409 and "This would be a second dose" in held.text
    assert len(profiled.api("GET", "/api/v1/doses").json()) == 1
    saved = profiled.post("/log/dose", {**fields, "acknowledge": "on"})
    assert saved.status_code == 303
    assert len(profiled.api("GET", "/api/v1/doses").json()) == 2
    assert acknowledged_ids(profiled) == ['["predose.second-dose"]']


def test_the_api_reports_a_second_dose_in_the_same_minute(profiled: Web) -> None:
    dose = {"amount": 3, "time": "20:15"}
    assert profiled.api("POST", "/api/v1/doses", json=dose).json()["findings"] == []
    again = profiled.api("POST", "/api/v1/doses", json=dose).json()
    second = next(f for f in again["findings"] if f["id"] == "predose.second-dose")
    assert second["severity"] == "caution" and "You logged 3 g at 20:15" in second["summary"]


def test_no_amount_above_the_cap_is_offered(profiled: Web) -> None:
    set_profile(profiled, cap_dose_g=2)
    product = profiled.api("POST", "/api/v1/products", json={"name": "Red Bali"}).json()
    last = {"amount": 3, "night": "2025-06-13", "time": "21:50", "product_id": product["id"]}
    assert profiled.api("POST", "/api/v1/doses", json=last).status_code == 201
    tonight = profiled.get("/").text
    assert not ONE_TAP.search(tonight) and "Log the same as last time" not in tonight
    assert "Log a dose" in tonight
    form = profiled.get("/log/dose").text
    assert "Log the same as last time" not in form
    assert re.search(r'name="amount" type="number"(?! value)', form), form
    assert f'<option value="{product["id"]}" selected>' not in form


def test_the_same_as_last_time_is_offered_within_the_caps(profiled: Web) -> None:
    set_profile(profiled, cap_dose_g=3, cap_day_g=6)
    product = profiled.api("POST", "/api/v1/products", json={"name": "Red Bali"}).json()
    last = {"amount": 3, "night": "2025-06-13", "time": "21:50", "product_id": product["id"]}
    assert profiled.api("POST", "/api/v1/doses", json=last).status_code == 201
    for page in ("/", "/log/dose"):
        text = profiled.get(page).text
        [form] = ONE_TAP.findall(text)
        assert "Log the same as last time (3 g Red Bali)" in form
        assert "acknowledge" not in form
    form = profiled.get("/log/dose").text
    assert re.search(r'name="amount" type="number"(?! value)', form), form
