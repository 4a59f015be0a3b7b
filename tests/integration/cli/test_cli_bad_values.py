"""Values no person means are refused on one line, and nothing is stored (issue 11, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli

ESCAPE = "\x1b]0;owned\x07\x1b[2J"


def rows(database: str, table: str) -> int:
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    with engine.connect() as conn:
        found = int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    engine.dispose()
    return found


def refused(cli: Cli, *args: str) -> str:
    """Run a command that must fail on one line of stderr; return that line."""
    result = cli(*args, ok=False)
    assert result.code == 2, (args, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("amount", ["inf", "-inf", "nan", "1e309"])
def test_medication_amount_must_be_finite(profiled_cli: Cli, database: str, amount: str) -> None:
    line = refused(
        profiled_cli,
        "intake",
        "add",
        "--kind",
        "medication",
        "--name",
        "ibuprofen",
        "--unit",
        "mg",
        "--amount",
        amount,
        "--json",
    )
    assert "--amount" in line and "finite" in line
    assert rows(database, "intakes") == 0


@pytest.mark.parametrize("amount", ["inf", "nan"])
def test_dose_amount_must_be_finite(profiled_cli: Cli, database: str, amount: str) -> None:
    assert "--amount" in refused(profiled_cli, "dose", "add", "--amount", amount)
    assert rows(database, "doses") == 0


def test_checkin_on_year_one_is_refused(profiled_cli: Cli, database: str) -> None:
    line = refused(profiled_cli, "checkin", "--day", "0001-01-01", "urge=3")
    assert line.startswith("error: --day:") and "1900-01-01" in line
    assert rows(database, "self_ratings") == 0


def test_lab_test_on_year_one_is_refused(profiled_cli: Cli, database: str) -> None:
    line = refused(
        profiled_cli, "product", "add", "--name", "P", "--lot", "L1", "--tested-on", "0001-01-01"
    )
    assert line.startswith("error: --tested-on:")
    assert rows(database, "products") == 0


@pytest.mark.parametrize("db", ["", "  "])
def test_empty_db_option_is_refused(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bedside.cli.main import app

    monkeypatch.delenv("BEDSIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BEDSIDE_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["--db", db, "profile", "show"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --db: is empty; give a database file or URL, or leave --db out for the default"
    )
    assert not (tmp_path / "data").exists()  # the default database was not created


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("localtime", "IANA name"),
        ("posix/Europe/London", "use 'Europe/London'"),
        ("right/America/New_York", "use 'America/New_York'"),
        ("Factory", "IANA name"),
        ("Europe/" + "x" * 300, "(307 characters)"),
    ],
)
def test_only_iana_place_names_are_time_zones(cli: Cli, name: str, hint: str) -> None:
    line = refused(cli, "profile", "set", "--timezone", name, "--bedtime", "23:00")
    assert line.startswith("error: --timezone: unknown time zone") and hint in line
    assert len(line) < 200


@pytest.mark.parametrize("option", ["--name", "--note", "--vendor"])
def test_terminal_escapes_in_text_are_refused(
    profiled_cli: Cli, database: str, option: str
) -> None:
    args = ["product", "add", "--name", "P"]
    if option == "--name":
        args[-1] = f"P{ESCAPE}"
    else:
        args += [option, f"x{ESCAPE}"]
    line = refused(profiled_cli, *args)
    assert "\x1b" not in line and "control characters" in line
    assert rows(database, "products") == 0


def test_stored_escapes_and_markup_are_shown_inert(profiled_cli: Cli, database: str) -> None:
    """Text stored before the check (or imported) is printed with its escapes made visible."""
    profiled_cli("product", "add", "--name", "[b]M[/b]")
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET vendor = :v"), {"v": f"V{ESCAPE}"})
    engine.dispose()
    shown = profiled_cli("product", "list").stdout
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b" in shown
    assert "[b]M[/b]" in shown  # Rich markup is printed as written, not applied
