"""The analysis cache on the web: a locked database only skips storing the result."""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import create_engine, func, select

from bedside.storage.cache import ComputedResult
from bedside.storage.database import BUSY_TIMEOUT_S
from tests.integration.web.conftest import Web


def _stored(web: Web) -> int:
    engine = create_engine(web.settings.database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(ComputedResult)) or 0)
    finally:
        engine.dispose()


def test_a_locked_database_skips_storing_and_the_page_is_still_shown(profiled: Web) -> None:
    dose = {"amount": 2.5, "unit": "g", "time": "2025-06-13T21:00"}
    assert profiled.api("POST", "/api/v1/doses", json=dose).status_code == 201
    for url in ("/insights", "/api/v1/insights"):  # the first request loads the libraries
        assert profiled.get(f"{url}?outcome=pain_next_morning").status_code == 200
    assert _stored(profiled) == 2
    path = profiled.settings.sqlite_path
    assert path is not None
    holder = sqlite3.connect(path, timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a long time
        started = time.monotonic()
        locked = profiled.get("/insights")
        api = profiled.api("GET", "/api/v1/insights")
        # storing gave up after a short wait instead of the writers' long busy timeout
        assert time.monotonic() - started < BUSY_TIMEOUT_S / 4
        assert locked.status_code == 200 and api.status_code == 200, api.text
    finally:
        holder.rollback()
        holder.close()
    assert _stored(profiled) == 2
    assert profiled.get("/insights").text == locked.text
    assert profiled.api("GET", "/api/v1/insights").json() == api.json()
    assert _stored(profiled) == 4
