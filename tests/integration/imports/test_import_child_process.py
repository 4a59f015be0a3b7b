"""Large files are parsed in a spawned child process: same result, same errors, same rollback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bedside.importers import parallel
from tests.conftest import Cli

SYNTHETIC = (
    Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "apple-watch-iphone-dst.xml"
)


@pytest.fixture
def in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)


def test_child_and_in_process_imports_agree(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("profile", "set", "--timezone", "America/Los_Angeles")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    child = cli("import", "apple-health", str(SYNTHETIC), "--json").json()
    nights_child = cli("sleep", "list", "--json").json()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 10**12)
    again = cli("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert sum(again["added"].values()) == 0
    assert again["duplicates"] == child["added"]
    assert cli("sleep", "list", "--json").json() == nights_child
    assert child["ignored"] and child["notes"] == again["notes"]


@pytest.mark.usefixtures("in_child")
def test_errors_in_the_child_reach_the_person(cli: Cli, tmp_path: Path) -> None:
    cli("profile", "set", "--timezone", "America/Los_Angeles")
    text = SYNTHETIC.read_text(encoding="utf-8")
    broken = tmp_path / "export.xml"
    broken.write_text(text[: len(text) * 3 // 4] + "<Record <<<", encoding="utf-8")
    result = cli("import", "apple-health", str(broken), ok=False)
    assert result.code == 2
    assert "export.xml, line" in result.stderr
    assert cli("sleep", "list", "--json").json() == []


def _heart_rate_export(records: int) -> str:
    """An export of ``records`` heart-rate samples a minute apart, from two watches."""
    start = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=-7)))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<HealthData locale="en_US">']
    for i in range(records):
        when = (start + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S %z")
        lines.append(
            f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch {i % 2}" '
            f'unit="count/min" startDate="{when}" endDate="{when}" value="{50 + i % 40}"/>'
        )
    return "\n".join([*lines, "</HealthData>", ""])


@pytest.mark.usefixtures("in_child")
def test_a_file_broken_half_way_keeps_the_batches_the_child_sent(
    cli: Cli, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch from the child is its own chunk here: the whole batches before the break
    are kept, the broken one is not, and importing the repaired file adds the rest."""
    from bedside.services import imports
    from tests.integration.imports.test_import_service import counts

    monkeypatch.setattr(imports, "CHUNK_SECONDS", 0.0)
    monkeypatch.setattr(imports, "PAUSE_SECONDS", 0.0)
    cli("profile", "set", "--timezone", "America/Los_Angeles")
    total = 2 * parallel.BATCH + 1_000
    text = _heart_rate_export(total)
    broken = tmp_path / "export.xml"
    broken.write_text(text[: text.rindex("<Record")] + "<Record type=", encoding="utf-8")
    result = cli("import", "apple-health", str(broken), ok=False)
    assert result.code == 2
    assert "importing the file again adds only what is missing" in result.stderr
    assert counts(database)["health_samples"] == 2 * parallel.BATCH
    fixed = tmp_path / "fixed" / "export.xml"
    fixed.parent.mkdir()
    fixed.write_text(text, encoding="utf-8")
    done = cli("import", "apple-health", str(fixed), "--json").json()
    assert done["added"] == {"samples": total - 2 * parallel.BATCH}
    assert done["duplicates"] == {"samples": 2 * parallel.BATCH}
    assert counts(database)["health_samples"] == total
