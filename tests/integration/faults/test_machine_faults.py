"""A corpus of machine faults: each is one line and an exit code in the CLI, a problem (never
a 500) in the API, and a calm page on the web (issue 11, item 6).

A full disk is simulated with SQLite's ``PRAGMA max_page_count`` (the file may not grow past
its present size, so the next write fails with ``database or disk is full``); other faults are
raised at the operating-system boundary.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bedside.cli.main import app as cli_app
from tests.integration.faults.disk import DISK_FULL_MESSAGE, full_disk

DISK_FULL = f"error: {DISK_FULL_MESSAGE}"


def count(db: Path, table: str) -> int:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        found = int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    engine.dispose()
    return found


@pytest.fixture
def bedside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str]]:
    """``bedside ARGS`` in-process (no exception may escape): exit code and stderr."""
    monkeypatch.delenv("BEDSIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli_app, list(args), catch_exceptions=False)
        return result.exit_code, result.stderr

    return invoke


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- the CLI ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["product", "add", "--name", "Green Maeng Da", "--note", "n" * 1900],
        ["pain", "add", "--score", "6", "--note", "n" * 1900],
        ["intake", "add", "--kind", "caffeine", "--amount", "80", "--note", "n" * 1900],
    ],
)
def test_cli_write_on_a_full_disk(bedside: Any, tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "b.db"
    assert bedside("--db", str(db), "profile", "set", "--timezone", "Europe/London")[0] == 0
    table = {"product": "products", "pain": "pain_entries", "intake": "intakes"}[command[0]]
    with full_disk():
        for _ in range(20):  # the first few may still fit in free pages
            code, stderr = bedside("--db", str(db), *command)
            if code != 0:
                break
    assert code == 1
    assert one_line(stderr) == DISK_FULL
    saved = count(db, table)
    code, _ = bedside("--db", str(db), *command)  # room again: the same command works
    assert code == 0 and count(db, table) == saved + 1


def test_cli_first_start_on_a_full_disk(bedside: Any, tmp_path: Path) -> None:
    with full_disk(pages=2):
        code, stderr = bedside("--db", str(tmp_path / "new.db"), "profile", "show")
    assert code == 1
    assert one_line(stderr) == DISK_FULL


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (PermissionError(errno.EACCES, "Permission denied", "/data"), "cannot be written"),
        (OSError(errno.EROFS, "Read-only file system", "/data"), "cannot be written"),
    ],
)
def test_cli_data_folder_cannot_be_made(
    bedside: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, expected: str
) -> None:
    def refuse(self: Path, *args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, stderr = bedside("--db", str(tmp_path / "missing" / "b.db"), "profile", "show")
    assert code == 1
    assert expected in one_line(stderr)


def test_cli_read_only_database(
    bedside: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened read-only through a SQLite URI (root could write a file whatever its mode)."""
    monkeypatch.chdir(tmp_path)  # the URI's "file:" prefix is taken as a relative folder
    db = tmp_path / "b.db"
    assert bedside("--db", str(db), "profile", "set", "--timezone", "Europe/London")[0] == 0
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    code, stderr = bedside("--db", read_only, "pain", "add", "--score", "3")
    assert code == 1
    assert "read-only" in one_line(stderr)
    assert count(db, "pain_entries") == 0


def test_cli_csv_the_csv_module_cannot_split(bedside: Any, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert bedside("--db", str(db), "profile", "set", "--timezone", "Europe/London")[0] == 0
    huge = tmp_path / "sleep.csv"
    huge.write_text('start,end\n"' + "x" * 200_000 + '",2025-01-02T07:00\n')
    code, stderr = bedside("--db", str(db), "import", "csv", str(huge))
    assert code == 2
    line = one_line(stderr)
    assert line.startswith("error: ") and "sleep.csv" in line and "CSV" in line
    assert "x" * 50 not in line


@pytest.mark.parametrize("name", ["A" * 300, "localtime", "posix/Europe/London"])
def test_cli_odd_time_zone_names(bedside: Any, tmp_path: Path, name: str) -> None:
    code, stderr = bedside("--db", str(tmp_path / "b.db"), "profile", "set", "--timezone", name)
    assert code == 2
    line = one_line(stderr)
    assert line.startswith("error: --timezone: unknown time zone") and len(line) < 200


# --- bedside serve ------------------------------------------------------------------------


def test_serve_on_a_full_disk(bedside: Any, tmp_path: Path) -> None:
    with full_disk(pages=2):
        code, stderr = bedside("--db", str(tmp_path / "new.db"), "serve", "--port", "1")
    assert code == 1
    assert one_line(stderr) == DISK_FULL


def test_serve_when_the_secret_cannot_be_written(
    bedside: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from bedside.services.web_secret import SECRET_FILE

    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(SECRET_FILE):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, stderr = bedside("--db", str(tmp_path / "b.db"), "serve", "--port", "1")
    assert code == 1
    assert "cannot be written" in one_line(stderr)


def test_serve_on_a_port_in_use(bedside: Any, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stderr = bedside("--db", str(tmp_path / "b.db"), "serve", "--port", str(port))
    assert code == 1
    line = one_line(stderr)
    assert line.startswith("error: --port: cannot listen on 127.0.0.1:") and str(port) in line


def test_serve_with_a_data_folder_under_a_file(bedside: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, stderr = bedside("--db", str(blocker / "b.db"), "serve", "--port", "1")
    assert code == 1
    assert "could not be opened" in one_line(stderr)
