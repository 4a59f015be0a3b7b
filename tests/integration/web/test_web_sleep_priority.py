"""The sleep source priority on the web: the JSON API and the Settings form.

The fixture and its hand-computed nights are described in
``tests/integration/imports/test_sleep_priority.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.integration.web.conftest import Web

FIXTURE = (
    Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "sleep-priority-overlap.xml"
)
URL = "/api/v1/sleep/priority"
STAGED = "2024-01-10"
NOTICE = re.compile(r'<p class="notice" role="status">([^<]+)</p>')


@pytest.fixture
def imported(profiled: Web) -> Web:
    """A London profile with the overlapping fixture imported."""
    assert profiled.api("PUT", "/api/v1/profile", json={"timezone": "Europe/London"})
    files = {"file": (FIXTURE.name, FIXTURE.read_bytes(), "text/xml")}
    done = profiled.client.post(
        "/import", data={"source": "apple-health", "csrf_token": profiled.token()}, files=files
    )
    assert done.status_code == 200, done.text[:2000]
    return profiled


def staged_night(web: Web) -> dict[str, Any]:
    rows = web.api("GET", "/api/v1/sleep", params={"source": "wearable"}).json()
    (row,) = [r for r in rows if r["night"] == STAGED]
    return row


def test_api_reads_sets_and_resets_the_priority(imported: Web) -> None:
    shown = imported.api("GET", URL).json()
    assert shown["is_default"] is True and shown["order"][0] == "apple_watch"
    assert shown["nights_rebuilt"] is None
    assert staged_night(imported)["asleep_min"] == 430

    put = imported.api("PUT", URL, json={"order": ["oura"]})
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["order"][:2] == ["oura", "apple_watch"] and body["nights_rebuilt"] == 2
    assert (staged_night(imported)["asleep_min"], staged_night(imported)["deep_min"]) == (450, 120)
    assert imported.api("GET", URL).json()["order"] == body["order"]

    for reset in ({"order": None}, {"order": []}, {}):
        imported.api("PUT", URL, json={"order": ["oura"]})
        again = imported.api("PUT", URL, json=reset).json()
        assert again["is_default"] is True, reset
        assert staged_night(imported)["asleep_min"] == 430


@pytest.mark.parametrize(
    ("order", "field", "needle"),
    [
        (["oura", "watch"], "order.1", "'watch' is not a device class"),
        (["oura", "iphone", "oura"], "order.2", "'oura' is given twice"),
    ],
)
def test_api_refuses_bad_orders_and_changes_nothing(
    imported: Web, order: list[str], field: str, needle: str
) -> None:
    imported.api("PUT", URL, json={"order": ["iphone"]})
    bad = imported.api("PUT", URL, json={"order": order})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    problem = bad.json()
    assert problem["field"] == field and needle in problem["detail"]
    assert imported.api("GET", URL).json()["order"][0] == "iphone"


def test_api_validates_the_body(profiled: Web) -> None:
    assert profiled.api("PUT", URL, json={"order": "oura"}).status_code == 422
    assert profiled.api("PUT", URL, json={"order": ["oura"], "rules": []}).status_code == 422
    too_many = profiled.api("PUT", URL, json={"order": ["oura"] * 9})
    assert too_many.status_code == 422


def test_without_a_profile_the_default_is_shown_and_setting_names_the_profile(web: Web) -> None:
    assert web.api("GET", URL).json()["is_default"] is True
    refused = web.api("PUT", URL, json={"order": ["oura"]})
    assert refused.status_code == 422 and refused.json()["field"] == "profile"


def test_settings_page_shows_one_labelled_choice_per_rank(profiled: Web) -> None:
    page = profiled.get("/settings").text
    assert 'action="/settings/sleep-priority"' in page
    form = page[page.index('action="/settings/sleep-priority"') :]
    assert 'name="csrf_token"' in form.split("</form>", 1)[0]
    for rank in range(8):
        assert f'<label for="f-priority.{rank}">' in form
        assert f'<select id="f-priority.{rank}" name="priority.{rank}"' in form
    assert '<option value="apple_watch" selected>Apple Watch</option>' in form
    assert "1st (believed first)" in form


def test_settings_form_saves_reorders_and_resets(imported: Web) -> None:
    saved = imported.post("/settings/sleep-priority", {"priority.0": "oura", "priority.1": ""})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/settings?saved=priority&rebuilt=2"
    page = imported.get(saved.headers["location"]).text
    assert NOTICE.findall(page) == ["Sleep source priority saved; 2 nights rebuilt with it."]
    assert '<option value="oura" selected>' in page.split('id="f-priority.0"', 1)[1][:2000]
    assert imported.api("GET", URL).json()["order"][:2] == ["oura", "apple_watch"]
    assert staged_night(imported)["asleep_min"] == 450

    reset = imported.post("/settings/sleep-priority", {"priority.0": "oura", "action": "reset"})
    assert reset.status_code == 303
    assert imported.api("GET", URL).json()["is_default"] is True
    assert staged_night(imported)["asleep_min"] == 430


@pytest.mark.parametrize("rebuilt", ["abc", "\u00b2", "9" * 5000, ""])
def test_a_tampered_notice_count_is_ignored(profiled: Web, rebuilt: str) -> None:
    page = profiled.get("/settings", params={"saved": "priority", "rebuilt": rebuilt})
    assert page.status_code == 200
    assert NOTICE.findall(page.text) == ["Sleep source priority saved; 0 nights rebuilt with it."]


def test_settings_form_errors_are_beside_the_rank_and_change_nothing(imported: Web) -> None:
    bad = imported.post(
        "/settings/sleep-priority",
        {"priority.0": "oura", "priority.1": "", "priority.2": "oura", "priority.3": "iphone"},
    )
    assert bad.status_code == 422
    assert 'id="f-priority.2-error"' in bad.text and "&#39;oura&#39; is given twice" in bad.text
    assert '<a href="#f-priority.2">' in bad.text  # the summary links to the rank
    assert 'id="f-timezone"' in bad.text  # the profile form is still there, filled in
    chosen = bad.text.split('id="f-priority.2"', 1)[1][:2000]
    assert '<option value="oura" selected>' in chosen  # what was sent is kept
    assert imported.api("GET", URL).json()["is_default"] is True
    assert staged_night(imported)["asleep_min"] == 430
    forged = imported.post("/settings/sleep-priority", {"priority.0": "nonsense"})
    assert forged.status_code == 422 and 'id="f-priority.0-error"' in forged.text


def test_settings_form_needs_the_csrf_token(imported: Web) -> None:
    response = imported.client.post(
        "/settings/sleep-priority", data={"priority.0": "oura"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert imported.api("GET", URL).json()["is_default"] is True
