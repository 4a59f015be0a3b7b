"""Large files are parsed in a spawned child process: same result, same errors, same rollback."""

from __future__ import annotations

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
