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


def _count_children(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"early": 0, "started": 0, "closed": 0}
    start, close = parallel.ChildParse.__init__, parallel.ChildParse.close
    head_start = parallel.ChildParse.head_start

    def counting_head_start(name: str | None, path: Path) -> parallel.ChildParse | None:
        started = head_start(name, path)
        counts["early"] += started is not None
        return started

    def counting_start(self: parallel.ChildParse, *args: object) -> None:
        counts["started"] += 1
        start(self, *args)  # type: ignore[arg-type]

    def counting_close(self: parallel.ChildParse) -> None:
        counts["closed"] += 1
        close(self)

    monkeypatch.setattr(parallel.ChildParse, "__init__", counting_start)
    monkeypatch.setattr(parallel.ChildParse, "close", counting_close)
    monkeypatch.setattr(parallel.ChildParse, "head_start", staticmethod(counting_head_start))
    return counts


@pytest.mark.usefixtures("in_child")
def test_the_cli_starts_parsing_before_the_database_and_uses_that_parse(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("profile", "set", "--timezone", "America/Los_Angeles")
    counts = _count_children(monkeypatch)
    done = cli("import", "apple-health", str(SYNTHETIC), "--json").json()
    assert counts == {"early": 1, "started": 1, "closed": 1}  # the early child was the one used
    assert done["added"]["samples"] == 7 and done["added"]["sleep_segments"] == 12


@pytest.mark.usefixtures("in_child")
def test_an_early_parse_of_a_file_that_is_refused_is_ended(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_apple = tmp_path / "export.xml"
    not_apple.write_text("<ClinicalDocument><entry/></ClinicalDocument>\n", encoding="utf-8")
    counts = _count_children(monkeypatch)
    result = cli("import", "apple-health", str(not_apple), ok=False)
    assert result.code == 2 and "does not look like an Apple Health export" in result.stderr
    assert counts == {"early": 1, "started": 1, "closed": 1}
