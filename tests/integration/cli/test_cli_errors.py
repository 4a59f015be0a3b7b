"""User mistakes exit non-zero with one line on stderr and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli
from tests.factories import add_dose

DIARY = [
    "diary",
    "add",
    "--night",
    "2025-03-08",
    "--bedtime",
    "23:00",
    "--tried",
    "23:10",
    "--sol",
    "20",
    "--awakenings",
    "1",
    "--waso",
    "15",
    "--final-wake",
    "06:40",
    "--out-of-bed",
    "07:00",
    "--quality",
    "4",
]


def counts(database: str) -> dict[str, int]:
    url = database if "://" in database else f"sqlite:///{database}"
    engine = create_engine(url)
    tables = ["doses", "diary_entries", "products", "batches", "pain_entries", "intakes"]
    with engine.connect() as conn:
        found = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
    engine.dispose()
    return found


def replace(args: list[str], option: str, value: str) -> list[str]:
    out = list(args)
    out[out.index(option) + 1] = value
    return out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (replace(DIARY, "--out-of-bed", "06:00"), "--out-of-bed: the time out of bed is before"),
        (replace(DIARY, "--tried", "22:00"), "--tried: the time you tried to sleep is before"),
        (replace(DIARY, "--quality", "9"), "--quality: sleep quality must be between 1 and 5"),
        (replace(DIARY, "--final-wake", "02:30"), "does not exist in America/New_York"),
        (replace(DIARY, "--night", "2025-02-30"), "--night: '2025-02-30' is not a date"),
        (replace(DIARY, "--sol", "-3"), "--sol: minutes to fall asleep must be between"),
        (["dose", "add", "--amount", "-1"], "--amount"),
        (["dose", "add", "--amount", "0"], "--amount"),
        (["dose", "add", "--amount", "2", "--product", "99"], "--product: no product with id 99"),
        (["dose", "add", "--amount", "2", "--time", "7pm"], "--time: '7pm' is not a time"),
        (["dose", "add", "--amount", "2", "--time", "2025-11-02T01:30"], "happens twice"),
        (["dose", "add", "--amount", "3", "--unit", "capsules"], "--grams-per-capsule"),
        (["dose", "add", "--amount", "500"], "not a plausible single dose"),
        (["pain", "add", "--score", "11"], "--score"),
        (["intake", "add", "--kind", "alcohol"], "--amount: give the amount of alcohol"),
        (["intake", "add", "--kind", "wine", "--amount", "1"], "--kind"),
        (["intake", "add", "--kind", "medication"], "--name: a medication needs its name"),
        (["soreness", "add", "toes=4"], "GROUP=SCORE"),
        (["soreness", "add", "quads"], "GROUP=SCORE"),
        (["profile", "set", "--timezone", "Mars/Base"], "--timezone: unknown time zone"),
        (["profile", "set", "--region", "Texas"], "--region: 'Texas' is not an ISO 3166"),
        (["profile", "set", "--region", "ZZ"], "--region: 'ZZ' is not an ISO 3166"),
        (["profile", "set", "--bedtime", "11pm"], "--bedtime: write the bedtime as HH:MM"),
        (["dose", "delete", "42"], "no dose with id 42"),
        (["diary", "show", "--night", "2024-01-01"], "no diary entry"),
        (["dose", "list", "--from", "2025-05-02", "--to", "2025-05-01"], "starts"),
        # usage mistakes Click reports are one line too, with where to find help
        (["dose", "add", "--amount", "3", "--unit", "kg"], "--unit"),
        (["dose", "add"], "Missing option '--amount'"),
        (["nosuch"], "No such command 'nosuch'. (see `bedside --help`)"),
        (["dose"], "Missing command"),
        # the option a message names is the one the command has
        (["dose", "edit", "42", "--amount", "1"], "error: no dose with id 42"),
        (["product", "show", "42"], "error: no product with id 42"),
        ([*DIARY, "--naps", "-1"], "--naps: number of naps must be between"),
        (["workout", "add", "--type", "", "--duration", "30"], "--type:"),
        (["workout", "add", "--type", "run", "--duration", "0"], "--duration:"),
        (["soreness", "add", "quads=4", "quads=5"], "quads is rated twice"),
        (["diary", "edit", "--night", "2024-01-01", "--quality", "3"], "for night 2024-01-01"),
        # a full date-time must belong to the night it is given for
        (
            replace(
                replace(
                    replace(
                        replace(DIARY, "--bedtime", "2025-03-01T23:00"),
                        "--tried",
                        "2025-03-01T23:10",
                    ),
                    "--final-wake",
                    "2025-03-02T06:40",
                ),
                "--out-of-bed",
                "2025-03-02T07:00",
            ),
            "--bedtime: 2025-03-01 23:00 belongs to night 2025-03-01, not 2025-03-08",
        ),
        # a logged time or night that has not happened yet is a mistyped date
        (["dose", "add", "--amount", "2", "--time", "2030-01-01T21:00"], "logs what has already"),
        (["pain", "add", "--score", "3", "--time", "2199-01-01T08:00"], "--time: 2199-01-01"),
        (replace(DIARY, "--night", "2199-06-01"), "--night: night 2199-06-01 has not begun"),
        # lab results belong to a batch, and a lab cannot test in the future
        (["product", "add", "--name", "A", "--mitragynine", "1.2"], "--lot: --mitragynine"),
        (
            ["product", "add", "--name", "A", "--lot", "A1", "--tested-on", "2199-01-01"],
            "--tested-on: the lab test date 2199-01-01 is in the future",
        ),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    profiled_cli: Cli, database: str, args: list[str], needle: str
) -> None:
    before = counts(database)
    result = profiled_cli(*args, ok=False)
    assert result.code != 0
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert counts(database) == before


def test_second_diary_for_a_night_is_refused(profiled_cli: Cli, database: str) -> None:
    profiled_cli(*DIARY)
    result = profiled_cli(*DIARY, ok=False)
    assert result.code == 2
    assert "already has a diary entry" in result.stderr
    assert counts(database)["diary_entries"] == 1


def test_logging_before_a_profile_says_what_to_do(cli: Cli) -> None:
    result = cli("dose", "add", "--amount", "2", ok=False)
    assert result.code == 2
    assert result.stderr.strip() == (
        "error: no profile yet: set up your profile first (run `bedside init`, or "
        "`bedside profile set --timezone ZONE --bedtime HH:MM`)"
    )


def test_batch_of_another_product_is_refused(profiled_cli: Cli) -> None:
    cli = profiled_cli
    cli("product", "add", "--name", "A", "--lot", "A1")
    cli("product", "add", "--name", "B", "--lot", "B1")
    result = cli("dose", "add", "--amount", "2", "--product", "1", "--batch", "2", ok=False)
    assert "--batch: batch 2 belongs to another product" in result.stderr


def test_changing_a_gram_dose_to_capsules_needs_the_capsule_weight(profiled_cli: Cli) -> None:
    cli = profiled_cli
    dose = add_dose(cli, "2025-03-08T21:00", 3, json=True).json()
    result = cli("dose", "edit", str(dose["id"]), "--unit", "capsules", ok=False)
    assert result.code == 2
    assert "--grams-per-capsule" in result.stderr
    assert cli("dose", "list", "--json").json()[0]["unit"] == "g"
    cli("dose", "edit", str(dose["id"]), "--unit", "capsules", "--grams-per-capsule", "0.5")
    changed = cli("dose", "list", "--json").json()[0]
    assert (changed["amount"], changed["unit"], changed["grams"]) == (3.0, "capsules", 1.5)
    cli("dose", "edit", str(dose["id"]), "--amount", "4")  # the capsule weight stays
    assert cli("dose", "list", "--json").json()[0]["grams"] == 2.0


@pytest.mark.parametrize("kind", ["not-a-database", "missing-folder", "unknown-url"])
def test_a_database_that_cannot_be_opened_is_one_line(tmp_path: Path, kind: str) -> None:
    from typer.testing import CliRunner

    from bedside.cli.main import app

    if kind == "not-a-database":
        junk = tmp_path / "junk.db"
        junk.write_text("this is not SQLite")
        target = str(junk)
    elif kind == "missing-folder":
        blocker = tmp_path / "a-file"
        blocker.write_text("")
        target = str(blocker / "inside" / "x.db")
    else:
        target = "nosuchdialect://somewhere"
    result = CliRunner().invoke(app, ["--db", target, "dose", "list"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the database "), result.stderr
    assert "check --db" in lines[0]


@pytest.mark.parametrize(
    ("command", "ahead"),
    [
        (["dose", "add", "--amount", "2"], timedelta(hours=1)),
        (["intake", "add", "--kind", "caffeine", "--amount", "95"], timedelta(minutes=30)),
        (["pain", "add", "--score", "4"], timedelta(minutes=10)),
    ],
)
def test_a_time_later_today_is_refused_with_when_it_can_be_logged(
    profiled_cli: Cli, command: list[str], ahead: timedelta
) -> None:
    later = (datetime.now(UTC) + ahead).replace(second=0, microsecond=0)
    result = profiled_cli(*command, "--time", later.isoformat(), ok=False)
    shown = later.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%d %H:%M")
    assert result.code != 0 and "Traceback" not in result.stderr
    assert f"logs what has already happened: log it from {shown} on" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    now = datetime.now(UTC).isoformat()
    assert profiled_cli(*command, "--time", now, ok=False).code == 0  # now itself is fine
