"""A scope reads the person's profile once, however often the services ask for it.

The Tonight page asks for the profile about twenty times in one request; each time the row
had been dropped from the session's (weak) identity map it was read again, which cost a
study server with many participants a dozen queries per page.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bedside.services import profiles
from bedside.services.runtime import Bedside
from bedside.services.tonight import tonight_screen
from bedside.settings import load_settings

NOW = datetime(2025, 11, 10, 19, 0, tzinfo=UTC)


@pytest.fixture
def bedside(database: str, tmp_path: Path) -> Iterator[Bedside]:
    environ = {"BEDSIDE_DATA_DIR": str(tmp_path / "data")}
    app = Bedside(load_settings(db=database, environ=environ), clock=lambda: NOW).start()
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York", "bedtime": "23:00"})
    try:
        yield app
    finally:
        app.close()


def profile_reads(bedside: Bedside) -> list[str]:
    """Start listening for SELECTs of the profiles table on ``bedside``'s engine."""
    reads: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM profiles" in statement:
            reads.append(statement)

    event.listen(bedside.database.engine, "before_cursor_execute", seen)
    return reads


def test_profile_is_read_once_per_scope(bedside: Bedside) -> None:
    reads = profile_reads(bedside)
    with bedside.scope() as scope:
        for _ in range(3):
            assert scope.require_profile().timezone == "America/New_York"
            gc.collect()  # nothing but the scope holds the row between the calls
        assert scope.tz.key == "America/New_York"
    assert len(reads) == 1


def test_tonight_screen_reads_the_profile_once(bedside: Bedside) -> None:
    reads = profile_reads(bedside)
    with bedside.scope() as scope:
        screen = tonight_screen(scope)
    assert screen.plan.timezone == "America/New_York"
    assert len(reads) == 1


def test_a_profile_set_up_in_the_scope_is_seen_and_a_new_scope_reads_it_again(
    bedside: Bedside,
) -> None:
    with bedside.scope() as scope:
        profiles.set_profile(scope, {"timezone": "Europe/London"})
        assert scope.require_profile().timezone == "Europe/London"
    reads = profile_reads(bedside)
    with bedside.scope() as scope:
        assert scope.tz.key == "Europe/London"
    assert len(reads) == 1
