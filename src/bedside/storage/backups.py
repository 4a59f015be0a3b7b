"""SQLite backups: online copies in ``<data dir>/backups/<database>/``, kept 7 daily + 4 weekly.

Copies use SQLite's online backup API, so they are consistent even while Bedside is running.
Every folder is 0700 and every copy 0600. A copy is written under a temporary name and renamed
into place, so a crash never leaves half a backup that looks whole.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bedside.domain.errors import BackupError
from bedside.storage.files import SQLITE_COMPANIONS, private_dir, private_file, tighten_sqlite
from bedside.storage.health import database_key, is_damage, quick_check, read_only_uri

BACKUPS_DIR = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
#: Kinds of copy: made automatically once a day (pruned), or kept until the person deletes it.
DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)-(?P<kind>[a-z0-9-]+)(?:_(?P<n>\d+))?\.db$")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One copy of a database: its id (the file name without ``.db``) and when it was taken."""

    id: str
    kind: str
    taken_at: datetime
    path: Path
    size_bytes: int


def backup_dir(data_dir: Path, db_path: Path) -> Path:
    """The folder holding the copies of one database."""
    return data_dir / BACKUPS_DIR / database_key(db_path)


def list_backups(data_dir: Path, db_path: Path) -> list[BackupFile]:
    """The copies of ``db_path``, newest first (nothing when there are none yet)."""
    folder = backup_dir(data_dir, db_path)
    if not folder.is_dir():
        return []
    found = [_parse(p) for p in folder.iterdir() if p.is_file()]
    return sorted((b for b in found if b is not None), key=lambda b: (b.taken_at, b.id))[::-1]


def _parse(path: Path) -> BackupFile | None:
    match = NAME.match(path.name)
    if match is None:
        return None
    taken = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
    return BackupFile(path.stem, match["kind"], taken, path, path.stat().st_size)


def make_backup(data_dir: Path, db_path: Path, kind: str, now: datetime) -> BackupFile:
    """Copy ``db_path`` with the online backup API into its backups folder; returns the copy."""
    folder = private_dir(backup_dir(data_dir, db_path))
    target = _free_name(folder, now, kind)
    partial = folder / f".{target.name}.partial"
    partial.unlink(missing_ok=True)
    private_file(partial)
    try:
        online_copy(db_path, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    tighten_sqlite(target)
    made = _parse(target)
    assert made is not None
    return made


def _free_name(folder: Path, now: datetime, kind: str) -> Path:
    stem = f"{now.astimezone(UTC).strftime(STAMP)}-{kind}"
    candidate, n = folder / f"{stem}.db", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}_{n}.db"
    return candidate


def online_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database page by page with SQLite's backup API (reads ``source`` only)."""
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=15)
    try:
        dest = sqlite3.connect(target, timeout=15)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def keep_aside(data_dir: Path, db_path: Path, now: datetime) -> BackupFile:
    """Copy the current file before it is replaced; a damaged file is copied byte for byte."""
    try:
        return make_backup(data_dir, db_path, BEFORE_RESTORE, now)
    except sqlite3.DatabaseError:
        folder = private_dir(backup_dir(data_dir, db_path))
        target = _free_name(folder, now, BEFORE_RESTORE)
        private_file(target)
        shutil.copyfile(db_path, target)
        made = _parse(target)
        assert made is not None
        return made


def prune(data_dir: Path, db_path: Path) -> list[Path]:
    """Delete daily copies beyond the newest of each of 7 days and 4 older weeks.

    Manual, pre-migration and before-restore copies are never deleted here.
    """
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    covered: set[tuple[int, int]] = set()
    removed = []
    for backup in list_backups(data_dir, db_path):
        if backup.kind != DAILY:
            continue
        day = backup.taken_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            covered.add(week)
            continue
        if day not in days and week not in covered and len(weeks) < KEEP_WEEKLY:
            weeks.add(week)
            covered.add(week)
            continue
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def daily_due(data_dir: Path, db_path: Path, now: datetime) -> bool:
    """True when no copy of this database was taken in the last day."""
    newest = next(iter(list_backups(data_dir, db_path)), None)
    return newest is None or now - newest.taken_at >= timedelta(days=1)


def verify_copy(path: Path) -> None:
    """Refuse a file that is not a sound Bedside database (``PRAGMA integrity_check``)."""
    if not path.is_file():
        raise BackupError(f"there is no backup file {path}; see `bedside backup list`")
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=15)
        try:
            result = [str(r[0]) for r in connection.execute("PRAGMA integrity_check").fetchall()]
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise _failed_check(path, str(exc)) from None
        raise BackupError(f"{path} is not a usable backup ({exc}); nothing was changed") from None
    if result != ["ok"]:
        raise _failed_check(path, result[0])
    if not tables or not tables[0]:
        raise BackupError(f"{path} is not a Bedside database; nothing was changed")


def _failed_check(path: Path, reason: str) -> BackupError:
    return BackupError(
        f"{path} failed SQLite's integrity check ({reason[:120]}); nothing was changed: "
        "pick another backup"
    )


def restore_copy(source: Path, db_path: Path) -> None:
    """Write a verified copy over the database (online when it can, else by replacing the file).

    The online way lets a running Bedside see the restored data; a database too damaged for
    SQLite to write into is replaced as a file instead (its journal files removed first).
    """
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True, timeout=15)
        try:
            dest = sqlite3.connect(db_path, timeout=15)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.DatabaseError:  # the source was verified: the current file is the problem
        _replace_file(source, db_path)
    tighten_sqlite(db_path)
    result = quick_check(db_path)
    if result != "ok":
        raise BackupError(f"the restored database failed its check ({result[:120]})")


def _replace_file(source: Path, db_path: Path) -> None:
    partial = db_path.with_name(f".{db_path.name}.restoring")
    partial.unlink(missing_ok=True)
    private_file(partial)
    shutil.copyfile(source, partial)
    for suffix in SQLITE_COMPANIONS:
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(partial, db_path)
