"""Tonight's two pre-dose checks share one read of recent doses and intakes, same findings.

The plan's check runs at intake time and the repeat offer's now; each must see exactly the
doses of its own 30 days and the alcohol and medicines of its own 12 hours, as if it had
read them alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bedside.services import activity, doses, profiles, safety
from bedside.services.predose_history import TONIGHT_MARGIN, shared_history
from bedside.services.runtime import Bedside
from bedside.services.scope import Scope
from bedside.settings import load_settings

NOW = datetime(2025, 11, 10, 19, 0, tzinfo=UTC)  # 14:00 in New York
LATER = NOW + timedelta(hours=6)  # 20:00, the intake time


@pytest.fixture
def bedside(database: str, tmp_path: Path) -> Iterator[Bedside]:
    environ = {"BEDSIDE_DATA_DIR": str(tmp_path / "data")}
    app = Bedside(load_settings(db=database, environ=environ), clock=lambda: LATER).start()
    with app.scope() as scope:
        profiles.set_profile(
            scope, {"timezone": "America/New_York", "bedtime": "21:00", "cap_day_g": 5}
        )
        for when, grams in [
            (NOW - timedelta(days=30), 1.0),  # inside the 30 days of NOW, exactly at the edge
            (LATER - timedelta(days=30, minutes=1), 2.0),  # only NOW's 30 days hold it
            (NOW - timedelta(hours=2), 3.0),
            (NOW + timedelta(hours=1), 1.5),  # only LATER's
        ]:
            doses.add_dose(scope, {"amount": grams, "time": when.isoformat()})
        for when, kind in [
            (NOW - timedelta(hours=11), "alcohol"),  # NOW's 12 hours only
            (LATER - timedelta(hours=3), "alcohol"),  # LATER's only
            (LATER - timedelta(hours=1), "medication"),
        ]:
            data: dict[str, Any] = {"kind": kind, "time": when.isoformat(), "amount": 2}
            if kind == "medication":
                data |= {"name": "oxycodone", "amount": 5, "unit": "mg"}
            activity.add_intake(scope, data)
    try:
        yield app
    finally:
        app.close()


def history_reads(bedside: Bedside) -> list[str]:
    reads: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if (
            "FROM doses" in statement and "taken_at >=" in statement
        ) or "FROM intakes" in statement:
            reads.append(statement)

    event.listen(bedside.database.engine, "before_cursor_execute", seen)
    return reads


def checks(scope: Scope) -> list[list[tuple[str, str]]]:
    return [
        [(f.id, f.summary) for f in safety.predose_check(scope, at, 2.0, None, None).findings]
        for at in (LATER, NOW)
    ]


def test_shared_history_gives_each_check_its_own_rows_from_one_read(bedside: Bedside) -> None:
    with bedside.scope() as scope:
        alone = checks(scope)
    reads = history_reads(bedside)

    with bedside.scope() as scope, shared_history(scope, TONIGHT_MARGIN):
        shared = checks(scope)

    assert shared == alone
    assert alone[0] != alone[1]  # the two windows hold different rows
    assert len(reads) == 2  # one read of doses, one of intakes, for both checks
