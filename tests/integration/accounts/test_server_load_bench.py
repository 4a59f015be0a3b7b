"""The server load benchmark's smoke mode runs, so ``bench/server_load.py`` cannot rot.

It runs the real script (``--quick``: 5 participants, 5 s) against a real multi-worker
``bedside serve`` on the test database, then reads the database to check that what the
benchmark reports really happened. No timings are asserted: benchmarks print figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bedside.settings import load_settings
from bedside.storage.database import Database
from bedside.storage.models import DiaryEntry, Dose, User

BENCH = Path(__file__).resolve().parents[3] / "bench" / "server_load.py"


@pytest.mark.slow
def test_quick_load_run_serves_every_flow_without_errors(database: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", "--days", "30", "--db", database],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert figures["errors"] == 0 and figures["first_errors"] == []
    assert figures["participants"] == 5 and figures["workers"] == 2
    assert figures["database"] == ("SQLite" if "://" not in database else "PostgreSQL")
    evening, morning = figures["flows"]["evening"], figures["flows"]["morning"]
    assert evening["count"] > 0 and morning["count"] > 0
    steps = figures["steps"]
    assert steps["Tonight page"]["count"] == steps["log a dose"]["count"] == evening["count"]
    assert steps["diary page"]["count"] == steps["fill in diary"]["count"] == morning["count"]
    assert figures["requests"] == 2 * (evening["count"] + morning["count"])
    assert 0 < evening["median_ms"] <= evening["p95_ms"]
    assert figures["cpu_ms_per_request"]["server"] > 0

    settings = load_settings(db=database, environ={"BEDSIDE_DATA_DIR": str(tmp_path / "d")})
    db = Database(settings)
    try:
        with db.session() as session:
            people = session.scalar(select(func.count()).select_from(User).where(User.email != ""))
            doses = session.scalar(select(func.count()).select_from(Dose))
            diaries = session.scalar(select(func.count()).select_from(DiaryEntry))
    finally:
        db.dispose()
    warm_up = figures["warm_up_flows"]
    assert people == 5
    # a month each, then one dose per evening flow and one new diary night per morning flow
    assert doses == 5 * 30 + evening["count"] + warm_up["evening"]
    assert diaries == 5 * 30 + morning["count"] + warm_up["morning"]
