"""Backups of the embedded database: list, create, restore, and the automatic daily copy.

These use cases take :class:`Settings`, not a started application, so they work on a database
that is damaged or refused (restoring one is what they are for).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from bedside.domain.errors import BackupError
from bedside.settings import Settings
from bedside.storage import backups, health

PG_DUMP = (
    "Bedside's backups copy its SQLite file; back up a PostgreSQL database with pg_dump "
    "(e.g. `pg_dump --format=custom DBNAME > bedside.dump`)"
)


class BackupOut(BaseModel):
    """One copy of the database."""

    id: str
    kind: str
    taken_at: datetime
    size_bytes: int
    path: str


class RestoreOut(BaseModel):
    """What a restore did: the copy now in use and where the replaced file was kept."""

    restored_from: str
    kept_aside: BackupOut | None


class BackupStatusOut(BaseModel):
    """The newest copy and its age, for the Settings page (None: no copy yet or not SQLite)."""

    newest: BackupOut | None
    age_hours: float | None
    supported: bool


def _out(backup: backups.BackupFile) -> BackupOut:
    return BackupOut(
        id=backup.id,
        kind=backup.kind,
        taken_at=backup.taken_at,
        size_bytes=backup.size_bytes,
        path=str(backup.path),
    )


def _sqlite_file(settings: Settings) -> Path:
    path = settings.sqlite_path
    if path is None:
        raise BackupError(
            PG_DUMP if not settings.is_sqlite else "an in-memory database has no file"
        )
    return path


def list_backups(settings: Settings) -> list[BackupOut]:
    """The copies of this database, newest first."""
    path = _sqlite_file(settings)
    return [_out(b) for b in backups.list_backups(settings.data_dir, path)]


def create_backup(settings: Settings, now: datetime) -> BackupOut:
    """Copy the database now (kept until the person deletes it)."""
    path = _sqlite_file(settings)
    if not path.is_file():
        raise BackupError(f"there is no database at {path} yet; nothing to back up")
    return _out(backups.make_backup(settings.data_dir, path, backups.MANUAL, now))


def daily_backup(settings: Settings, now: datetime) -> BackupOut | None:
    """The automatic copy: at most once a day, then old daily copies are pruned."""
    path = settings.sqlite_path
    if path is None or not path.is_file():
        return None
    if not backups.daily_due(settings.data_dir, path, now):
        return None
    made = backups.make_backup(settings.data_dir, path, backups.DAILY, now)
    backups.prune(settings.data_dir, path)
    return _out(made)


def restore_backup(settings: Settings, ref: str, now: datetime) -> RestoreOut:
    """Put a copy (an id from :func:`list_backups`, or a file) back in place of the database.

    The copy is checked with ``PRAGMA integrity_check`` first; the current file is kept aside
    as a ``before-restore`` copy. Nothing changes when the copy is refused.
    """
    path = _sqlite_file(settings)
    source = _resolve(settings, path, ref)
    backups.verify_copy(source)
    aside = backups.keep_aside(settings.data_dir, path, now) if path.is_file() else None
    backups.restore_copy(source, path)
    health.record_check(settings.data_dir, path)
    return RestoreOut(restored_from=str(source), kept_aside=_out(aside) if aside else None)


def _resolve(settings: Settings, path: Path, ref: str) -> Path:
    for backup in backups.list_backups(settings.data_dir, path):
        if ref in (backup.id, backup.path.name):
            return backup.path
    candidate = Path(ref).expanduser()
    if candidate.is_file():
        if candidate.resolve() == path.resolve():
            raise BackupError(f"{ref} is the database itself; give a backup id or another file")
        return candidate.resolve()
    raise BackupError(f"no backup with id or file {ref}", next_step="list_backups")


def backup_status(settings: Settings, now: datetime) -> BackupStatusOut:
    """The newest copy and how many hours old it is."""
    path = settings.sqlite_path
    if path is None:
        return BackupStatusOut(newest=None, age_hours=None, supported=False)
    newest = next(iter(backups.list_backups(settings.data_dir, path)), None)
    if newest is None:
        return BackupStatusOut(newest=None, age_hours=None, supported=True)
    age = max(0.0, (now - newest.taken_at).total_seconds() / 3600)
    return BackupStatusOut(newest=_out(newest), age_hours=age, supported=True)
