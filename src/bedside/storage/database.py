"""Engine, sessions and automatic, safe migrations."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from bedside.settings import Settings
from bedside.storage import health
from bedside.storage.cache import bump_if_written, watch_writes
from bedside.storage.files import private_dir, private_file, tighten_sqlite

#: The newest migration revision; a test checks it matches Alembic's head.
SCHEMA_HEAD = "0010"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: How long a SQLite writer waits for the lock before it reports :class:`BusyError`; an import
#: releases the lock at least every second (see :func:`checkpoint`).
BUSY_TIMEOUT_S = 10
#: A pooled server connection (PostgreSQL) idle for longer than this is pinged before it is
#: used, so one the server dropped meanwhile is replaced; one in steady use is not pinged,
#: which saves a round trip per transaction (two per web request) under load.
PING_AFTER_IDLE_S = 10.0


class Database:
    """One database: its engine, a session factory and the migration state."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        path = settings.sqlite_path
        #: A ``-wal`` file before we connect: the last run did not close cleanly.
        self.unclean = path is not None and health.unclean_shutdown(path)
        self.engine = make_engine(settings)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        watch_writes(self._sessions)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        Driver errors (a database still locked after the busy timeout, a full disk) are
        raised as they are; :mod:`bedside.services.faults` translates them at the edge.
        """
        with self._sessions() as session, session.begin():
            yield session

    def current_revision(self) -> str | None:
        """The schema revision recorded in the database, or None when it is empty."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def ensure_schema(self) -> str | None:
        """Create or upgrade the schema to the newest revision (a no-op when up to date).

        A SQLite file that already holds data is copied aside before an upgrade, so a failed
        migration can never lose what was there. Returns the revision found (None: new).
        """
        current = self.check()
        if current == SCHEMA_HEAD:
            return current
        if current is not None:
            backup_sqlite(self.settings, current)
        upgrade(self.engine)
        return current

    def check(self) -> str | None:
        """Refuse a database this Bedside cannot safely use; returns its revision.

        Raises :class:`~bedside.domain.errors.NewerDatabaseError` for an unknown (newer)
        revision and :class:`~bedside.domain.errors.DamagedDatabaseError` when SQLite's
        quick check fails (run once a day and after an unclean shutdown). Nothing is written.
        """
        path = self.settings.sqlite_path
        display = self.settings.display_url
        try:
            current = self.current_revision()
        except DBAPIError as exc:
            if path is not None and health.is_damage(exc.orig):
                raise health.damaged(display, str(exc.orig)) from None
            raise
        if current is not None and current != SCHEMA_HEAD and not health.known_revision(current):
            raise health.refuse_newer(display, current, SCHEMA_HEAD)
        data_dir = self.settings.data_dir
        if (
            path is not None
            and current is not None
            and health.check_due(data_dir, path, self.unclean)
        ):
            result = health.quick_check(path)
            if result != "ok":
                health.forget_check(data_dir, path)
                raise health.damaged(display, result)
            health.record_check(data_dir, path)
        return current

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def checkpoint(session: Session) -> None:
    """Commit what ``session`` has written so far and carry on in a new transaction.

    For long imports only: each chunk becomes durable and the write lock is released between
    chunks, so other writers get their turn. The session's transaction stays open for
    SQLAlchemy (rolled back or committed as usual at the end of :meth:`Database.session`).
    The person's data version moves on with each chunk, so no stored result outlives it.
    """
    bump_if_written(session)
    session.connection().connection.dbapi_connection.commit()  # type: ignore[union-attr]


def make_engine(settings: Settings) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys, a busy timeout and private files.

    A SQLite file is refused when it or its folder is read-only, and is created 0600 before
    SQLite opens it (SQLite gives ``-wal`` and ``-shm`` the database file's mode).
    """
    if settings.is_sqlite:
        path = settings.sqlite_path
        if path is not None:
            tighten_sqlite(path)  # private even when it is then refused as read-only
            health.check_writable(path)
            private_dir(path.parent, ours=path.parent == settings.data_dir.expanduser().resolve())
            private_file(path)
        engine = create_engine(settings.database_url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas(path))
        return engine
    engine = create_engine(settings.database_url)
    ping_when_idle(engine)
    return engine


def ping_when_idle(engine: Engine, idle_s: float = PING_AFTER_IDLE_S) -> None:
    """Ping a pooled connection before use when it sat idle for over ``idle_s`` seconds.

    Like ``pool_pre_ping``, a connection that fails the ping is replaced by a new one (the
    pool retries on ``DisconnectionError``); unlike it, a connection checked in moments ago
    is handed out without the extra round trip.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since <= idle_s:
            return  # just connected, or in steady use
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: let the pool open a new connection
            raise DisconnectionError("the database closed an idle connection") from exc


def _sqlite_pragmas(path: Path | None) -> Any:
    """The connect hook: pragmas, then owner-only journal files."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if path is not None:
            tighten_sqlite(path)

    return on_connect


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` on ``engine``."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def alembic_config(connection: Connection | None = None) -> Any:
    """An Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def backup_sqlite(settings: Settings, revision: str) -> Path | None:
    """Copy a SQLite database into its private backups folder before migrating it from
    ``revision``; returns the copy (0600, in a 0700 folder)."""
    from bedside.storage.backups import make_backup

    path = settings.sqlite_path
    if path is None or not path.exists():
        return None
    made = make_backup(settings.data_dir, path, f"before-{revision}", datetime.now(UTC))
    return made.path
