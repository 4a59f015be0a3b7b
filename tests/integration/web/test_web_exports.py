"""Exports, restore and delete-all from the JSON API and the Settings page."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from tests.integration.web.conftest import Web


def _log(web: Web) -> None:
    for body in (
        {"amount": 3, "time": "2025-06-14T20:15"},
        {"amount": 2, "time": "2025-06-13T21:30"},
    ):
        response = web.api("POST", "/api/v1/doses", json=body)
        assert response.status_code == 201, response.text
    response = web.api("POST", "/api/v1/pain", json={"score": 6, "time": "2025-06-14T20:00"})
    assert response.status_code == 201, response.text


def _stamped(raw: bytes) -> dict[str, object]:
    data = json.loads(raw)
    data.pop("exported_at")
    return data


def test_every_export_downloads_from_the_api(profiled: Web) -> None:
    web = profiled
    _log(web)
    backup = web.get("/api/v1/export/json")
    assert backup.status_code == 200 and backup.headers["cache-control"] == "no-store"
    assert "attachment" in backup.headers["content-disposition"]
    assert len(backup.json()["entities"]["doses"]) == 2
    archive = zipfile.ZipFile(io.BytesIO(web.get("/api/v1/export/csv").content))
    assert "bedside-csv/data-dictionary.csv" in archive.namelist()
    assert archive.read("bedside-csv/doses.csv").decode().count("\n") == 3
    fhir = web.get("/api/v1/export/fhir")
    assert fhir.headers["content-type"].startswith("application/fhir+json")
    Bundle.model_validate(fhir.json())
    ics = web.get("/api/v1/export/ics", params={"morning": "07:30"})
    assert ics.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(ics.content).walk("VALARM")) == 2
    assert web.get("/api/v1/export/ics", params={"morning": "25:00"}).status_code == 422


def test_delete_all_then_restore_through_the_api(profiled: Web) -> None:
    web = profiled
    _log(web)
    raw = web.get("/api/v1/export/json").content
    busy = web.api("POST", "/api/v1/restore", json=json.loads(raw))
    assert busy.status_code == 409
    assert busy.json()["detail"] == (
        "this database already holds your data: merge the backup instead to add only what is "
        "missing, or delete all your data first"
    )
    wrong = web.api("POST", "/api/v1/delete-all", json={"confirm": "yes"})
    assert wrong.status_code == 422 and "DELETE" in wrong.text
    assert len(web.api("GET", "/api/v1/doses").json()) == 2
    deleted = web.api("POST", "/api/v1/delete-all", json={"confirm": "DELETE"})
    assert deleted.status_code == 200 and deleted.json()["deleted"]["doses"] == 2
    assert web.api("GET", "/api/v1/doses").json() == []
    merged = web.api("POST", "/api/v1/restore?merge=true", json=json.loads(raw))
    assert merged.status_code == 200, merged.text
    assert merged.json()["added"]["doses"] == 2 and merged.json()["skipped"]["profiles"] == 1
    again = web.get("/api/v1/export/json").content
    entities = _stamped(again)["entities"]
    assert isinstance(entities, dict)
    assert entities["doses"] == json.loads(raw)["entities"]["doses"]
    future = json.loads(raw) | {"schema_version": 999}
    refused = web.api("POST", "/api/v1/restore?merge=true", json=future)
    assert refused.status_code == 422 and "newer Bedside" in refused.json()["detail"]


def test_settings_page_offers_downloads_restore_and_delete(profiled: Web) -> None:
    web = profiled
    _log(web)
    page = web.get("/settings").text
    for link in (
        "/settings/export/json",
        "/settings/export/csv",
        "/settings/export/fhir",
        "/settings/export/ics",
    ):
        assert f'href="{link}"' in page
        assert web.get(link).status_code == 200, link
    assert web.get("/settings/export/pdf").status_code == 404
    raw = web.get("/settings/export/json").content

    wrong = web.post("/settings/delete-all", {"confirm": "delete"})
    assert wrong.status_code == 422 and "type DELETE" in wrong.text
    assert len(web.api("GET", "/api/v1/doses").json()) == 2
    done = web.post("/settings/delete-all", {"confirm": "DELETE"})
    assert done.status_code == 303 and done.headers["location"].startswith("/settings?deleted=")
    assert "All your data was deleted" in web.get(done.headers["location"]).text
    assert web.api("GET", "/api/v1/doses").json() == []

    def upload(data: bytes, merge: bool) -> httpx.Response:
        fields = {"csrf_token": web.token(), **({"merge": "1"} if merge else {})}
        return web.client.post(
            "/settings/restore",
            data=fields,
            files={"backup": ("mine.json", data, "application/json")},
            follow_redirects=False,
        )

    broken = upload(raw[:100], merge=True)
    assert broken.status_code == 422 and "truncated or corrupted" in broken.text
    restored = upload(raw, merge=True)
    assert restored.status_code == 303
    assert "Backup restored: 3 entries added" in web.get(restored.headers["location"]).text
    assert len(web.api("GET", "/api/v1/doses").json()) == 2


def test_restoring_over_data_says_how_to_merge_on_the_page(profiled: Web) -> None:
    _log(profiled)
    raw = profiled.get("/settings/export/json").content
    refused = profiled.client.post(
        "/settings/restore",
        data={"csrf_token": profiled.token()},
        files={"backup": ("mine.json", raw, "application/json")},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "merge the backup instead" in refused.text
    assert "to merge, tick &#39;Add to the data already here&#39;" in refused.text
    assert "--merge" not in refused.text
    assert len(profiled.api("GET", "/api/v1/doses").json()) == 2


def test_a_new_install_restores_from_the_welcome_page(profiled: Web) -> None:
    _log(profiled)
    raw = profiled.get("/api/v1/export/json").content
    assert profiled.api("POST", "/api/v1/delete-all", json={"confirm": "DELETE"}).status_code == 200
    bedside = profiled.client.app.state.bedside  # type: ignore[attr-defined]
    with bedside.scope() as scope:  # a new computer: not even a profile yet
        scope.session.delete(scope.require_profile())
    page = profiled.get("/welcome").text
    assert 'action="/settings/restore"' in page

    def upload(data: bytes) -> httpx.Response:
        return profiled.client.post(
            "/settings/restore",
            data={"csrf_token": profiled.token()},
            files={"backup": ("mine.json", data, "application/json")},
            follow_redirects=False,
        )

    broken = upload(raw[:50])
    assert broken.status_code == 422 and "Welcome to Bedside" in broken.text
    assert "truncated or corrupted" in broken.text
    done = upload(raw)
    assert done.status_code == 303, done.text
    assert len(profiled.api("GET", "/api/v1/doses").json()) == 2
    assert profiled.api("GET", "/api/v1/profile").json()["timezone"] == "America/New_York"
