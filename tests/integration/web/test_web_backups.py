"""Settings shows how old the newest backup is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bedside.services.backups import create_backup
from tests.integration.web.conftest import Web


def test_settings_page_shows_the_newest_backups_age(profiled: Web) -> None:
    assert "No backup yet" in profiled.get("/settings").text
    create_backup(profiled.settings, datetime.now(UTC) - timedelta(hours=5, minutes=10))
    page = profiled.get("/settings").text
    assert "Newest backup: 5 hours old (manual" in page
    create_backup(profiled.settings, datetime.now(UTC) - timedelta(minutes=3))
    assert "Newest backup: less than an hour old" in profiled.get("/settings").text


def test_damaged_pages_met_by_a_request_answer_503_with_one_line(profiled: Web) -> None:
    from tests.integration.storage.conftest import corrupt_table

    created = profiled.api("POST", "/api/v1/doses", json={"amount": 2, "unit": "g"})
    assert created.status_code in (200, 201), created.text
    path = profiled.settings.sqlite_path
    assert path is not None
    profiled.client.app.state.bedside.database.engine.dispose()  # type: ignore[attr-defined]
    corrupt_table(path, "doses")

    api = profiled.api("GET", "/api/v1/doses")
    page = profiled.get("/history")

    assert api.status_code == 503
    assert api.headers["content-type"].startswith("application/problem+json")
    detail = api.json()["detail"]
    assert "is damaged" in detail and "bedside backup restore" in detail and "\n" not in detail
    assert page.status_code == 503
    assert "is damaged" in page.text
