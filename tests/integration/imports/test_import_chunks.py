"""Large imports commit in chunks: other writers keep working, and a killed import resumes."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.integration.imports.hostile import apple_export, start_import

#: Large enough that the import outlasts ten doses logged beside it (the parse and the
#: writes overlap, so an import takes less than the sum of the two).
SAMPLES = 600_000
#: "Other writers wait at most about a second"; generous for a loaded 2-core test machine.
MAX_WAIT_S = 3.0
#: Doses that must be logged from start to end while the import runs (however fast it is).
MIN_OVERLAPPING = 3


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return apple_export(tmp_path_factory.mktemp("apple") / "export.xml", SAMPLES)


def rows(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture
def utc(profiled_cli: Cli, database: str) -> Cli:
    if "://" in database:
        pytest.skip("lock waits are SQLite's")
    profiled_cli("profile", "set", "--timezone", "UTC")
    return profiled_cli


@pytest.mark.slow
def test_doses_logged_during_an_import_all_succeed_quickly(
    utc: Cli, db_path: Path, big_export: Path, tmp_path: Path
) -> None:
    importing = start_import(str(db_path), big_export, tmp_path / "data")
    while rows(db_path, "SELECT count(*) FROM import_runs") == 0 and importing.poll() is None:
        time.sleep(0.05)
    waits = []  # only doses whose logging began and ended while the import ran
    logged = 0
    while importing.poll() is None and len(waits) < 10:
        started = time.monotonic()
        utc("dose", "add", "--amount", "2")
        logged += 1
        if importing.poll() is None:
            waits.append(time.monotonic() - started)
    assert len(waits) >= MIN_OVERLAPPING, "too few doses overlapped the import; make it larger"
    assert max(waits) < MAX_WAIT_S, waits
    assert importing.wait() == 0, importing.stderr.read() if importing.stderr else ""
    assert rows(db_path, "SELECT count(*) FROM doses") == logged
    assert rows(db_path, "SELECT count(*) FROM health_samples") == SAMPLES


@pytest.mark.slow
def test_a_killed_import_resumes_adding_only_what_is_missing(
    utc: Cli, db_path: Path, big_export: Path, tmp_path: Path
) -> None:
    importing = start_import(str(db_path), big_export, tmp_path / "data")
    while importing.poll() is None:
        if rows(db_path, "SELECT count(*) FROM health_samples") > 0:
            break
        time.sleep(0.05)
    assert importing.poll() is None, "the import ended before it could be killed"
    importing.send_signal(signal.SIGKILL)
    importing.wait()
    kept = rows(db_path, "SELECT count(*) FROM health_samples")
    assert 0 < kept < SAMPLES
    assert rows(db_path, "SELECT count(*) FROM sleep_nights") == 0  # rebuilt only at the end
    assert rows(db_path, "SELECT count(*) FROM import_runs WHERE finished_at IS NULL") == 1
    again = utc("import", "apple-health", str(big_export), "--json").json()
    assert again["added"].get("samples", 0) == SAMPLES - kept
    assert again["added"].get("sleep_segments", 0) == 0  # committed before the kill
    assert rows(db_path, "SELECT count(*) FROM health_samples") == SAMPLES
    assert rows(db_path, "SELECT count(*) FROM sleep_nights") >= 1
    assert rows(db_path, "SELECT count(*) FROM import_runs WHERE finished_at IS NULL") == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    third = utc("import", "apple-health", str(big_export), "--json").json()
    assert sum(third["added"].values()) == 0


SYNTHETIC = (
    Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "apple-watch-iphone-dst.xml"
)


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record is its own chunk (so small files exercise the chunked path)."""
    from bedside.services import imports

    monkeypatch.setattr(imports, "CHUNK_SECONDS", 0.0)
    monkeypatch.setattr(imports, "CHECK_EVERY", 1)
    monkeypatch.setattr(imports, "PAUSE_SECONDS", 0.0)


def test_chunked_import_matches_a_single_transaction(
    profiled_cli: Cli, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bedside.cli.main import app
    from bedside.services import imports
    from tests.integration.imports.test_import_service import counts

    whole = str(tmp_path / "whole.db")
    for args in (["profile", "set", "--timezone", "America/Los_Angeles"], ["import", "auto"]):
        extra = [str(SYNTHETIC)] if args[0] == "import" else []
        done = CliRunner().invoke(app, ["--db", whole, *args, *extra], catch_exceptions=False)
        assert done.exit_code == 0, done.stderr
    monkeypatch.setattr(imports, "CHUNK_SECONDS", 0.0)
    monkeypatch.setattr(imports, "CHECK_EVERY", 1)
    monkeypatch.setattr(imports, "PAUSE_SECONDS", 0.0)
    profiled_cli("profile", "set", "--timezone", "America/Los_Angeles")
    first = profiled_cli("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert first["nights_updated"] > 0
    assert counts(database) == counts(whole)
    again = profiled_cli("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert sum(again["added"].values()) == 0
    assert counts(database)["import_runs"] == 2


def test_a_file_broken_half_way_keeps_its_chunks_and_says_so(
    profiled_cli: Cli, database: str, tmp_path: Path, tiny_chunks: None
) -> None:
    from tests.integration.imports.test_import_service import counts

    profiled_cli("profile", "set", "--timezone", "America/Los_Angeles")
    text = SYNTHETIC.read_text(encoding="utf-8")
    cut = text.rindex("<Record")
    broken = tmp_path / "export.xml"
    broken.write_text(text[:cut] + "<Record type=", encoding="utf-8")
    result = profiled_cli("import", "apple-health", str(broken), ok=False)
    assert (
        result.code == 2 and "importing the file again adds only what is missing" in result.stderr
    )
    kept = counts(database)
    assert kept["health_samples"] > 0
    fixed = tmp_path / "fixed" / "export.xml"
    fixed.parent.mkdir()
    fixed.write_text(text, encoding="utf-8")
    done = profiled_cli("import", "apple-health", str(fixed), "--json").json()
    assert done["added"]["samples"] + kept["health_samples"] == counts(database)["health_samples"]
