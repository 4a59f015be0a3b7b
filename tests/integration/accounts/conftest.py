"""Server mode in-process: the app on the test database, people set up with the real CLI."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bedside.settings import Settings, load_settings
from bedside.web.app import create_app
from tests.conftest import Cli
from tests.integration.web.conftest import Clock

BASE_URL = "http://127.0.0.1:8765"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORDS = {
    "ann@example.org": "ann's long password",
    "bob@example.org": "bob's long password",
    "admin@example.org": "the admin's password",
    "doc@example.org": "the clinician's password",
    "rita@example.org": "the researcher's password",
    "rex@example.org": "another researcher's password",
}


@dataclass
class Browser:
    """One client (its own cookies) on the server-mode app."""

    client: TestClient

    def csrf(self) -> str:
        """The CSRF token of this client's cookie, read from the sign-in page."""
        found = CSRF.search(self.client.get("/signin").text)
        assert found
        return found.group(1)

    def form(self, url: str, data: dict[str, str]) -> httpx.Response:
        """Submit a form with the CSRF token, not following the redirect."""
        return self.client.post(
            url, data={**data, "csrf_token": self.csrf()}, follow_redirects=False
        )

    def sign_in(self, email: str, password: str | None = None) -> httpx.Response:
        """Sign in through the JSON API (sets the session cookie)."""
        body = {"email": email, "password": password or PASSWORDS[email]}
        return self.client.post("/api/v1/session", json=body)


@dataclass
class ServerApp:
    """The app in server mode, and a way to open more browsers on it."""

    settings: Settings
    clock: Clock
    open: Callable[..., Browser]


def server_settings(database: str, tmp_path: Path) -> Settings:
    """Server-mode settings on the test database (SQLite file or PostgreSQL URL)."""
    env = {"BEDSIDE_MODE": "server", "BEDSIDE_DATA_DIR": str(tmp_path / "data")}
    return load_settings(db=database, environ=env)


@pytest.fixture
def people(cli: Cli) -> dict[str, int]:
    """Two participants and an admin, added with ``bedside user add`` (password on stdin)."""
    ids = {}
    for email, role in (
        ("ann@example.org", "participant"),
        ("bob@example.org", "participant"),
        ("admin@example.org", "admin"),
    ):
        added = cli("user", "add", email, "--role", role, "--json", input=PASSWORDS[email] + "\n")
        ids[email] = added.json()["id"]
    return ids


@pytest.fixture
def clinician(cli: Cli, people: dict[str, int]) -> str:
    """A clinician's account (doc@example.org), added with ``bedside user add``."""
    email = "doc@example.org"
    cli("user", "add", email, "--role", "clinician", "--name", "Dr Doc", input=PASSWORDS[email])
    return email


@pytest.fixture
def researcher(cli: Cli, people: dict[str, int]) -> str:
    """A researcher's account (rita@example.org), added with ``bedside user add``."""
    email = "rita@example.org"
    cli("user", "add", email, "--role", "researcher", "--name", "Rita", input=PASSWORDS[email])
    return email


@pytest.fixture
def server(database: str, tmp_path: Path, people: dict[str, int]) -> Iterator[ServerApp]:
    """The server-mode app; ``open()`` gives a fresh browser (own cookie jar) on it."""
    settings = server_settings(database, tmp_path)
    clock = Clock()
    app = create_app(settings, clock=clock)

    def open_browser(base_url: str = BASE_URL) -> Browser:
        # Only the first client runs the app's start-up; the others share it.
        return Browser(TestClient(app, base_url=base_url))

    with TestClient(app, base_url=BASE_URL):
        yield ServerApp(settings=settings, clock=clock, open=open_browser)
