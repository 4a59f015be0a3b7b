"""Private files regardless of umask: folders 0700, database, journals and backups 0600.

The autouse fixture in tests/conftest.py sets the usual umask 022, under which the old code
left the folder 0755 and every file 0644 (readable by every account on the machine).
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bedside.services.runtime import Bedside
from bedside.settings import load_settings
from bedside.storage.database import upgrade
from tests.integration.storage.conftest import FileCli, one_line


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_folder_and_file_are_owner_only(
    profiled_file: FileCli, file_db: Path, home: Path
) -> None:
    profiled_file("dose", "add", "--amount", "2")
    assert mode(file_db.parent) == 0o700
    assert mode(file_db) == 0o600
    assert not list(file_db.parent.glob("*-wal"))  # closed cleanly


def test_wal_and_shm_are_owner_only_while_the_database_is_open(home: Path) -> None:
    path = home / "open.db"
    app = Bedside(load_settings(db=str(path), environ={"BEDSIDE_DATA_DIR": str(home / "d")}))
    app.start()
    try:
        with app.database.engine.begin() as conn:
            conn.execute(text("CREATE TABLE scratch (x INTEGER)"))
            conn.execute(text("INSERT INTO scratch VALUES (1)"))
        wal, shm = path.with_name("open.db-wal"), path.with_name("open.db-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        app.close()


def test_an_older_world_readable_database_and_data_dir_are_tightened(
    run: FileCli, home: Path
) -> None:
    """Files left 0644 by an earlier Bedside become 0600 on the next start."""
    data = home / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    path = data / "bedside.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    run("profile", "set", "--timezone", "UTC", "--bedtime", "23:00", db=str(path))
    assert mode(data) == 0o700
    assert mode(path) == 0o600


def test_the_copy_before_a_migration_is_private_and_in_the_backups_folder(
    file_db: Path, home: Path, run: FileCli
) -> None:
    """The old code wrote ``bedside.db.before-0004-….bak`` beside the database, 0644."""
    settings = load_settings(db=str(file_db), environ={"BEDSIDE_DATA_DIR": str(home / "data")})
    app = Bedside(settings)
    upgrade(app.database.engine, "0004")
    app.close()
    run("profile", "set", "--timezone", "UTC", "--bedtime", "23:00")
    assert not list(file_db.parent.glob("*.bak"))
    copies = list((home / "data" / "backups").rglob("*-before-0004.db"))
    assert len(copies) == 1
    assert mode(copies[0]) == 0o600
    assert mode(copies[0].parent) == 0o700
    assert mode(home / "data" / "backups") == 0o700


def test_backup_files_are_owner_only(profiled_file: FileCli, home: Path) -> None:
    made = profiled_file("backup", "create", "--json").json()
    copy = Path(made["path"])
    assert copy.is_relative_to(home / "data" / "backups")
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700


def test_a_read_only_database_is_not_made_writable(profiled_file: FileCli, file_db: Path) -> None:
    """Tightening removes other people's bits only: the owner's read-only choice stays."""
    file_db.chmod(0o444)
    result = profiled_file("dose", "list", ok=False)
    assert result.code == 1
    assert "read-only" in one_line(result.stderr)
    assert mode(file_db) == 0o400


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_modes_do_not_depend_on_the_umask(
    umask: int, run: FileCli, file_db: Path, home: Path
) -> None:
    import os

    os.umask(umask)  # the autouse fixture puts the usual one back
    run("profile", "set", "--timezone", "UTC", "--bedtime", "23:00")
    run("backup", "create")
    assert mode(file_db) == 0o600
    assert mode(file_db.parent) == 0o700
    assert all(mode(p) == 0o600 for p in (home / "data" / "backups").rglob("*.db"))
