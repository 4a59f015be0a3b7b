"""Damaged, newer-schema and read-only databases: one line, nothing written, serve refuses."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bedside.storage.database import SCHEMA_HEAD
from bedside.storage.health import CHECKS_DIR, database_key
from tests.integration.storage.conftest import FileCli, corrupt_table, one_line


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stamp(home: Path, db: Path) -> Path:
    return home / "data" / CHECKS_DIR / database_key(db)


def test_a_damaged_database_is_refused_for_writes_when_the_daily_check_is_due(
    profiled_file: FileCli, file_db: Path, home: Path
) -> None:
    profiled_file("dose", "add", "--amount", "2")
    corrupt_table(file_db, "doses")
    stamp(home, file_db).unlink()  # the last check was more than a day ago
    before = digest(file_db)

    result = profiled_file("dose", "add", "--amount", "3", ok=False)

    assert result.code == 1
    line = one_line(result.stderr)
    assert "is damaged" in line and "nothing was written" in line
    assert "bedside backup restore" in line
    assert digest(file_db) == before


def test_damage_met_between_daily_checks_is_one_line_and_checked_again_next_start(
    profiled_file: FileCli, file_db: Path, home: Path
) -> None:
    """The quick check passed today; pages broken since then are met by the command itself."""
    profiled_file("dose", "add", "--amount", "2")
    assert stamp(home, file_db).exists()
    corrupt_table(file_db, "doses")

    for args in (("dose", "add", "--amount", "3"), ("dose", "list"), ("dose", "list", "--json")):
        result = profiled_file(*args, ok=False)
        assert result.code == 1, args
        assert "is damaged" in one_line(result.stderr), args
        assert "Traceback" not in result.stderr
    assert not stamp(home, file_db).exists()  # the next start runs the full check


def test_an_unclean_shutdown_runs_the_check_even_within_the_day(
    profiled_file: FileCli, file_db: Path, home: Path
) -> None:
    """A ``-wal`` file left behind (a crash) makes the next start check the pages at once."""
    profiled_file("dose", "add", "--amount", "2")
    corrupt_table(file_db, "doses")
    profiled_file("profile", "show")  # the check passed today and profile pages are sound
    file_db.with_name(file_db.name + "-wal").touch()

    result = profiled_file("profile", "show", ok=False)

    assert "is damaged" in one_line(result.stderr)


def test_a_database_from_a_newer_bedside_names_both_versions_and_is_not_written(
    profiled_file: FileCli, file_db: Path
) -> None:
    connection = sqlite3.connect(file_db)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042'")
    connection.close()
    before = digest(file_db)

    for args in (("dose", "add", "--amount", "3"), ("dose", "list")):
        result = profiled_file(*args, ok=False)
        assert result.code == 1
        line = one_line(result.stderr)
        assert "newer Bedside" in line and "0042" in line and SCHEMA_HEAD in line
        assert "nothing was written" in line
    assert digest(file_db) == before


def test_a_read_only_folder_says_so(profiled_file: FileCli, file_db: Path) -> None:
    file_db.parent.chmod(0o555)
    try:
        result = profiled_file("dose", "list", ok=False)
    finally:
        file_db.parent.chmod(0o700)
    assert result.code == 1
    line = one_line(result.stderr)
    assert "read-only" in line and str(file_db.parent) in line


def test_a_read_only_file_says_so_and_is_not_written(profiled_file: FileCli, file_db: Path) -> None:
    file_db.chmod(0o400)
    before = digest(file_db)
    result = profiled_file("dose", "add", "--amount", "2", ok=False)
    assert "is read-only" in one_line(result.stderr)
    assert digest(file_db) == before


@pytest.mark.parametrize("problem", ["damaged", "newer", "read-only"])
def test_serve_refuses_to_start_with_the_same_one_line(
    problem: str,
    profiled_file: FileCli,
    file_db: Path,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    if problem == "damaged":
        corrupt_table(file_db, "doses")
        stamp(home, file_db).unlink(missing_ok=True)
    elif problem == "newer":
        connection = sqlite3.connect(file_db)
        with connection:
            connection.execute("UPDATE alembic_version SET version_num = '0042'")
        connection.close()
    else:
        file_db.chmod(0o400)

    result = profiled_file("serve", ok=False)

    assert result.code == 1
    assert problem.replace("damaged", "is damaged").replace("newer", "newer Bedside") in one_line(
        result.stderr
    )
    assert started == []
    assert "Bedside is running" not in result.stdout


def test_serve_refuses_a_web_secret_others_can_read(
    profiled_file: FileCli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from bedside.services.web_secret import SECRET_FILE, load_secret

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    load_secret(home / "data")
    (home / "data" / SECRET_FILE).chmod(0o644)

    result = profiled_file("serve", ok=False)

    assert "can be read by other accounts" in one_line(result.stderr)
    assert started == []


def test_a_sound_database_is_served(
    profiled_file: FileCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(a))
    profiled_file("serve")
    assert len(started) == 1
