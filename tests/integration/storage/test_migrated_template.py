"""The migrated template that tests copy is the schema the real migrations make."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bedside.services.runtime import Bedside
from bedside.settings import Settings, sqlite_url
from bedside.storage import database as storage
from bedside.storage.database import SCHEMA_HEAD, Database, upgrade


def _schema(path: Path) -> tuple[list[tuple[str, str, str | None]], str, str]:
    with sqlite3.connect(path) as conn:
        objects = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
            "ORDER BY type, name"
        ).fetchall()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    return objects, revision, journal


def _started(folder: Path) -> Path:
    path = folder / "bedside.db"
    app = Bedside(Settings(database_url=sqlite_url(path), data_dir=folder / "data")).start()
    app.close()
    return path


def _migrated(folder: Path) -> Path:
    """A new database made by running every migration (the real ``upgrade``)."""
    path = folder / "bedside.db"
    database = Database(Settings(database_url=sqlite_url(path), data_dir=folder / "data"))
    upgrade(database.engine)
    database.dispose()
    return path


def test_a_copied_template_is_the_schema_of_every_migration(tmp_path: Path) -> None:
    assert storage.upgrade is not upgrade  # new databases in tests are copies of the template
    copied = _started(tmp_path / "copied")
    assert _schema(copied)[1:] == (SCHEMA_HEAD, "wal")
    assert _schema(copied) == _schema(_migrated(tmp_path / "migrated"))
