"""Fixtures shared by every lane: a temporary database and an in-process CLI runner.

Outbound network is blocked for the whole run (:func:`no_network`): Bedside never calls
home, and a test that tried to would fail. Only loopback addresses and unix sockets work.
"""

from __future__ import annotations

import ipaddress
import json
import socket
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


@pytest.fixture(autouse=True)
def usual_umask_and_private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test runs under the usual umask 022 (so file modes are tested, not assumed), and
    settings built with ``environ={}`` get a temporary data directory, never the real one."""
    import os

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


class OutboundNetworkError(OSError):
    """A test (or the code under test) tried to reach another computer."""


LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_local(address: object) -> bool:
    """True for unix-socket paths and loopback hosts (127.0.0.0/8, ::1, localhost)."""
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _guarded(original: Callable[..., Any], where: int) -> Callable[..., Any]:
    def guard(*args: Any, **kwargs: Any) -> Any:
        address = args[where] if len(args) > where else None
        if address is not None and not is_local(address):
            raise OutboundNetworkError(f"outbound network is blocked in tests: {address!r}")
        return original(*args, **kwargs)

    guard.__wrapped__ = original  # type: ignore[attr-defined]
    return guard


def _guarded_lookup(original: Callable[..., Any]) -> Callable[..., Any]:
    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_local((host,)):
            raise OutboundNetworkError(f"name lookups are blocked in tests: {host!r}")
        return original(host, *args, **kwargs)

    lookup.__wrapped__ = original  # type: ignore[attr-defined]
    return lookup


@pytest.fixture(scope="session", autouse=True)
def no_network() -> Iterator[None]:
    """Block every connection and name lookup that leaves this computer, for the whole run."""
    patch = pytest.MonkeyPatch()
    patch.setattr(socket.socket, "connect", _guarded(socket.socket.connect, 1))
    patch.setattr(socket.socket, "connect_ex", _guarded(socket.socket.connect_ex, 1))
    patch.setattr(socket.socket, "sendto", _guarded(socket.socket.sendto, -1))
    patch.setattr(socket, "getaddrinfo", _guarded_lookup(socket.getaddrinfo))
    patch.setattr(socket, "gethostbyname", _guarded_lookup(socket.gethostbyname))
    try:
        yield
    finally:
        patch.undo()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database brought to the newest revision by the real migrations, once a run."""
    from bedside.settings import Settings, sqlite_url
    from bedside.storage.database import Database, upgrade

    folder = tmp_path_factory.mktemp("migrated-template")
    path = folder / "template.db"
    database = Database(Settings(database_url=sqlite_url(path), data_dir=folder / "data"))
    upgrade(database.engine)
    database.dispose()  # the last connection out checkpoints the WAL into the file
    return path


@pytest.fixture(autouse=True)
def copy_migrated_template(
    request: pytest.FixtureRequest, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new, empty SQLite database gets a copy of :func:`migrated_template` instead of
    running every migration again (about 0.5 s a test on this kind of machine).

    Only :func:`bedside.storage.database.upgrade` to ``head`` on an empty SQLite database is
    replaced; the result is the same schema (``test_template_matches_the_migrations``), and
    upgrades of databases that hold a schema, PostgreSQL, tests that call ``upgrade``
    themselves and tests marked ``real_migrations`` run the real migrations.
    """
    if request.node.get_closest_marker("real_migrations"):
        return
    from bedside.storage import database as storage

    real_upgrade = storage.upgrade

    def upgrade_or_copy(engine: Any, revision: str = "head") -> None:
        if revision == "head" and engine.dialect.name == "sqlite" and _is_empty(engine):
            _copy_database(migrated_template, engine)
            return
        real_upgrade(engine, revision)

    monkeypatch.setattr(storage, "upgrade", upgrade_or_copy)


def _is_empty(engine: Any) -> bool:
    """True when the database has no tables yet."""
    from sqlalchemy import inspect

    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def _copy_database(template: Path, engine: Any) -> None:
    """Copy ``template`` into the engine's database with SQLite's online backup."""
    import sqlite3

    with engine.connect() as connection:
        target = connection.connection.driver_connection
        with sqlite3.connect(template) as source:
            source.backup(target)
        source.close()


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
