"""Backups: a daily online copy, 7 daily + 4 weekly kept, `bedside backup list/create/restore`."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bedside.storage import backups
from tests.integration.storage.conftest import FileCli, corrupt_table, one_line


def dose_amounts(run: FileCli) -> list[float]:
    return sorted(d["amount"] for d in run("dose", "list", "--json").json())


def test_create_then_restore_puts_the_copy_back_and_keeps_the_current_file(
    profiled_file: FileCli, file_db: Path
) -> None:
    profiled_file("dose", "add", "--amount", "2")
    made = profiled_file("backup", "create", "--json").json()
    assert made["kind"] == "manual"
    profiled_file("dose", "add", "--amount", "3")
    assert dose_amounts(profiled_file) == [2.0, 3.0]

    done = profiled_file("backup", "restore", made["id"], "--json").json()

    assert dose_amounts(profiled_file) == [2.0]
    aside = done["kept_aside"]
    assert aside["kind"] == "before-restore"
    listed = {b["id"]: b for b in profiled_file("backup", "list", "--json").json()}
    assert {made["id"], aside["id"]} <= set(listed)
    # the file kept aside still holds the dose logged after the backup
    kept = sqlite3.connect(f"file:{aside['path']}?mode=ro", uri=True)
    assert sorted(r[0] for r in kept.execute("SELECT amount FROM doses")) == [2.0, 3.0]
    kept.close()


def test_restore_checks_the_copy_first_and_changes_nothing_when_it_is_damaged(
    profiled_file: FileCli, file_db: Path, home: Path
) -> None:
    profiled_file("dose", "add", "--amount", "2")
    made = profiled_file("backup", "create", "--json").json()
    corrupt_table(Path(made["path"]), "doses")
    profiled_file("dose", "add", "--amount", "3")

    result = profiled_file("backup", "restore", made["id"], ok=False)

    assert result.code == 1
    line = one_line(result.stderr)
    assert "integrity check" in line and "nothing was changed" in line
    assert dose_amounts(profiled_file) == [2.0, 3.0]
    assert not [
        b for b in profiled_file("backup", "list", "--json").json() if "restore" in b["kind"]
    ]


def test_restore_of_an_unknown_id_or_a_foreign_file_is_one_line(
    profiled_file: FileCli, home: Path
) -> None:
    unknown = profiled_file("backup", "restore", "20200101T000000Z-manual", ok=False)
    assert "no backup with id or file" in one_line(unknown.stderr)
    other = home / "not-bedside.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    foreign = profiled_file("backup", "restore", str(other), ok=False)
    assert "is not a Bedside database" in one_line(foreign.stderr)


def test_a_restore_can_mend_a_damaged_database(profiled_file: FileCli, file_db: Path) -> None:
    profiled_file("dose", "add", "--amount", "2")
    made = profiled_file("backup", "create", "--json").json()
    corrupt_table(file_db, "doses")
    assert profiled_file("dose", "list", ok=False).code == 1

    profiled_file("backup", "restore", made["id"])

    assert dose_amounts(profiled_file) == [2.0]


def test_a_restore_replaces_a_file_that_is_no_longer_a_database(
    profiled_file: FileCli, file_db: Path
) -> None:
    profiled_file("dose", "add", "--amount", "2")
    made = profiled_file("backup", "create", "--json").json()
    with file_db.open("r+b") as handle:
        handle.write(b"\0" * 4096)  # the header is gone: SQLite cannot write into it

    profiled_file("backup", "restore", made["id"])

    assert dose_amounts(profiled_file) == [2.0]


def test_one_automatic_copy_a_day_from_the_second_start_on(
    run: FileCli, file_db: Path, home: Path
) -> None:
    run("profile", "set", "--timezone", "UTC", "--bedtime", "23:00")
    assert run("backup", "list", "--json").json() == []  # a brand-new database: nothing yet
    run("dose", "list")
    run("dose", "list")
    taken = run("backup", "list", "--json").json()
    assert [b["kind"] for b in taken] == ["daily"]


def test_seven_daily_and_four_weekly_copies_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    data = tmp_path / "data"
    start = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
    for day in range(60):
        backups.make_backup(data, db, backups.DAILY, start + timedelta(days=day))
        backups.make_backup(data, db, backups.DAILY, start + timedelta(days=day, hours=1))
    backups.make_backup(data, db, backups.MANUAL, start)

    backups.prune(data, db)

    kept = backups.list_backups(data, db)
    daily = [b.taken_at for b in kept if b.kind == backups.DAILY]
    last = start + timedelta(days=59, hours=1)
    assert daily[:7] == [last - timedelta(days=i) for i in range(7)]
    older = daily[7:]
    assert len(older) == 4
    weeks = {t.isocalendar()[:2] for t in older}
    assert len(weeks) == 4
    assert not weeks & {t.isocalendar()[:2] for t in daily[:7]}
    assert [b.kind for b in kept].count(backups.MANUAL) == 1  # never pruned


def test_postgres_backups_point_to_pg_dump(run: FileCli) -> None:
    result = run("backup", "list", ok=False, db="postgresql://u@127.0.0.1:1/none")
    assert result.code == 1
    assert "pg_dump" in one_line(result.stderr)
