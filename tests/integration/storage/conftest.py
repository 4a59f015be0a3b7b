"""Fixtures for the storage lane: the real CLI on a SQLite file in a folder it creates."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CliResult

FileCli = Callable[..., CliResult]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder standing for the machine: ``data/`` is the data dir, ``db/`` a --db folder."""
    return tmp_path


@pytest.fixture
def file_db(home: Path) -> Path:
    """The SQLite file ``--db`` names (its folder does not exist yet)."""
    return home / "db" / "bedside.db"


@pytest.fixture
def run(home: Path, file_db: Path, monkeypatch: pytest.MonkeyPatch) -> FileCli:
    """``bedside --db <file_db> ARGS`` in-process, data directory ``<home>/data``."""
    from bedside.cli.main import app

    monkeypatch.delenv("BEDSIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(home / "data"))
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True, db: str | None = None) -> CliResult:
        result = runner.invoke(app, ["--db", db or str(file_db), *args], catch_exceptions=False)
        outcome = CliResult(result.exit_code, result.stdout, result.stderr)
        if ok and outcome.code != 0:
            raise AssertionError(f"bedside {' '.join(args)} failed: {outcome.stderr}")
        return outcome

    return invoke


@pytest.fixture
def profiled_file(run: FileCli) -> FileCli:
    """The CLI with a profile set up (New York, bedtime 23:00)."""
    run("profile", "set", "--timezone", "America/New_York", "--bedtime", "23:00")
    return run


def corrupt_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with garbage (what a failing disk leaves)."""
    connection = sqlite3.connect(path)
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
    ).fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def one_line(text: str) -> str:
    """The single line of an error (fails when there is more than one)."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]
