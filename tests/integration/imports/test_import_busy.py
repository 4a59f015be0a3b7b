"""A write that cannot get the database lock says "busy", never 500 or "check --db"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bedside.settings import Settings, sqlite_url
from bedside.storage import database as storage_database
from bedside.web.app import create_app
from tests.conftest import Cli


@pytest.fixture
def database(db_path: Path) -> str:
    """SQLite only: the write lock an import holds, and the wait for it, are SQLite's."""
    return str(db_path)


@pytest.fixture
def locked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another process holds the write lock (as a long import did) past a short timeout."""
    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_S", 0.3)
    holder = sqlite3.connect(db_path, isolation_level=None)
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def test_cli_dose_add_says_busy(profiled_cli: Cli, locked: sqlite3.Connection) -> None:
    locked.execute("BEGIN IMMEDIATE")
    result = profiled_cli("dose", "add", "--amount", "3", ok=False)
    assert result.code == 75
    assert result.stderr.strip() == "error: busy: an import is running, try again"


def test_api_dose_write_is_503_with_retry_after(
    db_path: Path, tmp_path: Path, locked: sqlite3.Connection
) -> None:
    settings = Settings(database_url=sqlite_url(db_path), data_dir=tmp_path / "data")
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8765") as client:
        profile = {"timezone": "Europe/London", "bedtime": "23:00"}
        assert client.put("/api/v1/profile", json=profile).status_code == 200
        locked.execute("BEGIN IMMEDIATE")
        response = client.post("/api/v1/doses", json={"amount": 3})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json()["detail"] == "busy: an import is running, try again"
