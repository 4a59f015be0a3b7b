"""Fixtures for the web lane: the ASGI app in-process on a temporary SQLite file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bedside.settings import Settings, sqlite_url
from bedside.web.app import create_app

BASE_URL = "http://127.0.0.1:8765"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
#: 20:30 in New York on Saturday 14 June 2025 (EDT, UTC-4): the evening of night 2025-06-14.
EVENING = datetime(2025, 6, 15, 0, 30, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the tests can move."""

    now: datetime = EVENING

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Web:
    """A test client with helpers for forms (CSRF token included) and JSON."""

    client: TestClient
    settings: Settings
    clock: Clock
    _token: str | None = field(default=None)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        """The CSRF token of this client's cookie, read from a page with a form."""
        if self._token is None:
            page = self.client.get("/welcome")
            found = TOKEN.search(page.text)
            assert found, page.text[:500]
            self._token = found.group(1)
        return self._token

    def post(self, url: str, data: dict[str, Any] | list[tuple[str, str]]) -> httpx.Response:
        """Submit a form (without following the redirect)."""
        items = list(data.items()) if isinstance(data, dict) else list(data)
        items.append(("csrf_token", self.token()))
        return self.client.post(url, data=_encode(items), follow_redirects=False)

    def api(self, method: str, url: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, url, json=json, **kwargs)


def _encode(items: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in items:
        if key in data:
            data[key] = (
                [*data[key], str(value)]
                if isinstance(data[key], list)
                else [
                    data[key],
                    str(value),
                ]
            )
        else:
            data[key] = str(value)
    return data


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """Settings on a temporary SQLite file and data directory."""
    return Settings(database_url=sqlite_url(tmp_path / "web.db"), data_dir=tmp_path / "data")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def web(web_settings: Settings, clock: Clock) -> Iterator[Web]:
    """The app started (database migrated), with no profile yet."""
    app = create_app(web_settings, clock=clock)
    with TestClient(app, base_url=BASE_URL) as client:
        yield Web(client=client, settings=web_settings, clock=clock)


PROFILE = {
    "timezone": "America/New_York",
    "region": "US-TX",
    "bedtime": "23:00",
    "lead_min": 60,
    "wind_down": [
        {"text": "Screens off", "minutes_before": 60},
        {"text": "Dim the lights", "minutes_before": 45},
    ],
}


@pytest.fixture
def profiled(web: Web) -> Web:
    """The app with a New York profile (bedtime 23:00, lead 60 min)."""
    response = web.api("PUT", "/api/v1/profile", json=PROFILE)
    assert response.status_code == 200, response.text
    return web
