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
