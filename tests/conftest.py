"""Fixtures shared by every lane: a temporary database and an in-process CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner


@dataclass
class CliResult:
    """What a CLI call printed and returned."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


Cli = Callable[..., CliResult]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A fresh SQLite file path (not created yet)."""
    return tmp_path / "bedside.db"


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    """One PostgreSQL server for the whole run (started on first use)."""
    from tests.pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The database a test runs on: a temporary SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(db_path)
    from tests.pg import create_database

    base: str = request.getfixturevalue("postgres_base")
    return create_database(base, f"t_{abs(hash(request.node.nodeid)) % 10**12}")


@pytest.fixture
def cli(database: str, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """Run ``bedside --db <database> ARGS`` in-process; returns code, stdout and stderr."""
    from bedside.cli.main import app

    monkeypatch.delenv("BEDSIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(db_path.parent / "data"))
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True, input: str | None = None) -> CliResult:
        result = runner.invoke(app, ["--db", database, *args], input=input, catch_exceptions=False)
        outcome = CliResult(result.exit_code, result.stdout, result.stderr)
        if ok and outcome.code != 0:
            raise AssertionError(f"bedside {' '.join(args)} failed: {outcome.stderr}")
        return outcome

    yield invoke


@pytest.fixture
def profiled_cli(cli: Cli) -> Cli:
    """A CLI whose profile is set up (New York, bedtime 23:00, region US-TX)."""
    cli(
        "profile",
        "set",
        "--timezone",
        "America/New_York",
        "--bedtime",
        "23:00",
        "--region",
        "US-TX",
    )
    return cli
