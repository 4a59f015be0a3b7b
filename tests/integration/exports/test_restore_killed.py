"""A restore killed with SIGKILL half-way leaves the database as it was (one transaction)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from bedside.services import backup, profiles
from tests.integration.exports.conftest import Clock, at_local, open_app

SAMPLES = 300_000
DAY = date(2025, 6, 1)
pytestmark = pytest.mark.slow


def _big_backup(tmp_path: Path) -> bytes:
    app = open_app(str(tmp_path / "made.db"), Clock(at_local(DAY, 12)))
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "Europe/London"})
        data = json.loads(backup.json_bytes(scope))
    app.close()
    data["entities"]["wearable_sources"] = [
        {"id": 1, "importer": "oura", "source_name": "Oura Ring"}
    ]
    data["entities"]["health_samples"] = [
        {"id": i + 1, "source_id": 1, "kind": "hr", "at_epoch": 1_700_000_000 + i, "value": 60.0}
        for i in range(SAMPLES)
    ]
    return json.dumps(data).encode()


def test_sigkill_during_restore_changes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "big.json"
    source.write_bytes(_big_backup(tmp_path))
    target = tmp_path / "target.db"
    app = open_app(str(target), Clock(at_local(DAY, 12)))
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York", "medications": ["x"]})
        before = json.loads(backup.json_bytes(scope))
    app.close()

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-m", "bedside", "--db", str(target), "restore", str(source), "--merge"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wal = target.with_name(target.name + "-wal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # rows are being written
            break
        time.sleep(0.02)
    assert child.poll() is None, "the restore finished before it could be killed: grow SAMPLES"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    app = open_app(str(target), Clock(at_local(DAY, 12)))
    with app.scope() as scope:
        after = json.loads(backup.json_bytes(scope))
    app.close()
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before
    assert after["entities"]["health_samples"] == []
