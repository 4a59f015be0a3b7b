"""The JSON backup and restore: round trip, merge, refusals with nothing changed, old versions."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bedside.services import backup
from bedside.services.backup_tables import entity_tables
from tests.conftest import Cli
from tests.integration.exports.conftest import Clock, Lived, at_local, open_app


def without_stamp(raw: bytes) -> dict[str, object]:
    data = json.loads(raw)
    data.pop("exported_at")
    return data


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """Files are private even when the umask would make them world-writable."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_backup_holds_every_entity_of_the_history(lived: Lived) -> None:
    with lived.app.scope() as scope:
        document = backup.backup_document(scope)
    assert document.format == "bedside-backup"
    assert document.schema_version == backup.SCHEMA_VERSION
    assert set(document.entities) == {spec.name for spec in entity_tables()}
    counts = {name: len(rows) for name, rows in document.entities.items()}
    for name in (
        "profiles",
        "products",
        "batches",
        "doses",
        "diary_entries",
        "pain_entries",
        "soreness_entries",
        "workouts",
        "intakes",
        "wearable_sources",
        "sleep_segments",
        "sleep_nights",
        "health_samples",
        "experiments",
        "experiment_blocks",
    ):
        assert counts[name] > 0, name
    dose = document.entities["doses"][0]
    assert dose["product_id"] == 1 and dose["batch_id"] == 1  # file ids, not database ids


def test_export_restore_export_is_identical_apart_from_the_time(
    lived: Lived, cli: Cli, tmp_path: Path, umask_zero: None
) -> None:
    first = tmp_path / "out" / "backup.json"
    (tmp_path / "out").mkdir()
    with lived.app.scope() as scope:
        backup.export_json(scope, first)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600

    other = tmp_path / "other.db"
    out = cli("--db", str(other), "restore", str(first), "--json")  # --db after is the last one
    assert sum(out.json()["added"].values()) > 100
    second = tmp_path / "out" / "again.json"
    cli("--db", str(other), "export", "json", str(second))
    assert without_stamp(second.read_bytes()) == without_stamp(first.read_bytes())


def test_a_merge_adds_only_what_is_missing(lived: Lived, tmp_path: Path) -> None:
    with lived.app.scope() as scope:
        raw = backup.json_bytes(scope)
        complete = without_stamp(raw)
    partial = json.loads(raw)
    # a backup made earlier: the first 20 doses and diaries only
    for name in ("doses", "diary_entries"):
        partial["entities"][name] = partial["entities"][name][:20]
    partial["entities"]["finding_acknowledgements"] = []
    other = open_app(str(tmp_path / "other.db"), Clock(lived.clock.now))
    with other.scope() as scope:
        from bedside.services.restore import restore_backup

        restore_backup(scope, json.dumps(partial).encode())
    with other.scope() as scope:
        merged = restore_backup(scope, raw, merge=True)
    assert merged.added["doses"] == len(complete["entities"]["doses"]) - 20  # type: ignore[index]
    assert merged.skipped["doses"] == 20 and merged.skipped["products"] == 1
    with other.scope() as scope:
        again = restore_backup(scope, raw, merge=True)
        assert sum(again.added.values()) == 0
    with other.scope() as scope:
        assert without_stamp(backup.json_bytes(scope)) == complete
    other.close()


def _corrupt_value(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["entities"]["doses"][3]["amount"] = "three grams"
    return json.dumps(data).encode()


def _dangling_reference(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["entities"]["doses"][0]["product_id"] = 99
    return json.dumps(data).encode()


def _not_a_number(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["entities"]["doses"][1]["amount"] = float("nan")
    return json.dumps(data).encode()  # Python writes NaN, which JSON readers may accept


def _too_large(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["entities"]["health_samples"][0]["at_epoch"] = 2**70
    return json.dumps(data).encode()


def _not_positive(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["entities"]["doses"][-1]["amount"] = -1
    return json.dumps(data).encode()


def _future(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["schema_version"] = backup.SCHEMA_VERSION + 1
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[: len(raw) * 2 // 3], "truncated or corrupted"),
        (_corrupt_value, "damaged at doses[3].amount"),
        (_dangling_reference, "refers to products 99"),
        (_future, "made by a newer Bedside"),
        (_not_a_number, "damaged at doses[1].amount"),
        (_too_large, "damaged at health_samples[0].at_epoch"),
        (_not_positive, "values this database cannot store"),
        (lambda raw: b'{"hello": 1}', "not a Bedside backup"),
    ],
)
def test_a_bad_backup_is_refused_with_nothing_changed(
    lived: Lived, cli: Cli, tmp_path: Path, damage: object, message: str
) -> None:
    with lived.app.scope() as scope:
        raw = backup.json_bytes(scope)
    bad = tmp_path / "bad.json"
    assert callable(damage)
    bad.write_bytes(damage(raw))
    target = tmp_path / "target.db"
    cli("--db", str(target), "profile", "set", "--timezone", "Europe/London")
    before = cli("--db", str(target), "export", "json", str(tmp_path / "before.json"))
    result = cli("--db", str(target), "restore", str(bad), "--merge", ok=False)
    assert result.code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    cli("--db", str(target), "export", "json", str(tmp_path / "after.json"))
    assert before.code == 0
    assert without_stamp((tmp_path / "after.json").read_bytes()) == without_stamp(
        (tmp_path / "before.json").read_bytes()
    )


def test_restore_into_data_without_merge_is_refused(lived: Lived, cli: Cli, tmp_path: Path) -> None:
    with lived.app.scope() as scope:
        path = backup.export_json(scope, tmp_path / "b.json").path
    target = str(tmp_path / "mine.db")
    cli("--db", target, "profile", "set", "--timezone", "Europe/London")
    result = cli("--db", target, "restore", path, ok=False)
    assert result.code != 0
    assert "merge the backup instead" in result.stderr
    assert "(to merge, add --merge)" in result.stderr
    assert "tick" not in result.stderr
    assert cli("--db", target, "dose", "list", "--json").json() == []
    assert cli("--db", target, "profile", "show", "--json").json()["timezone"] == "Europe/London"


def test_a_backup_from_an_older_schema_restores(lived: Lived, tmp_path: Path) -> None:
    """Schema 4 had no sleep source priority: such a backup restores with the default."""
    with lived.app.scope() as scope:
        data = json.loads(backup.json_bytes(scope))
    data["schema_version"] = 4
    for profile in data["entities"]["profiles"]:
        del profile["sleep_priority"]
    other = open_app(str(tmp_path / "old.db"), Clock(at_local(lived.clock.now.date(), 12)))
    from bedside.services.restore import restore_backup

    with other.scope() as scope:
        result = restore_backup(scope, json.dumps(data).encode())
    assert result.schema_version == 4 and result.added["doses"] > 0
    with other.scope() as scope:
        restored = json.loads(backup.json_bytes(scope))
    assert restored["entities"]["profiles"][0]["sleep_priority"] is None
    assert restored["entities"]["doses"] == data["entities"]["doses"]
    other.close()
