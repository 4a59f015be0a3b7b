"""CLI output for terminals: tables fit 80 columns with whole dates, findings one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import add_dose

OURA = Path(__file__).parents[2] / "data" / "samples" / "oura" / "oura-sleep-v2.json"
APPLE = Path(__file__).parents[2] / "data" / "samples" / "synthetic" / "apple-watch-iphone-dst.xml"


DIARY = (
    "diary", "add", "--night", "2026-11-30", "--bedtime", "23:00", "--tried", "23:10",
    "--sol", "20", "--awakenings", "1", "--waso", "15", "--final-wake", "06:40",
    "--out-of-bed", "07:00", "--quality", "4",
)  # fmt: skip


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80-column terminal."""
    monkeypatch.setenv("COLUMNS", "80")


def _fits(text: str) -> None:
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "…" not in text, text


def test_dose_list_fits_80_columns_with_whole_dates(profiled_cli: Cli, narrow: None) -> None:
    profiled_cli(
        "product", "add", "--name", "Red Bali capsules from the usual vendor", "--form", "capsules"
    )
    add_dose(profiled_cli, "2026-11-28T00:30", 3, unit="g", product="1", reason="sleep")
    text = profiled_cli("dose", "list").stdout
    _fits(text)
    row = next(line for line in text.splitlines() if line.startswith("1 "))
    # a dose after midnight: the night is the evening before, the time shows its own day
    assert "2026-11-27" in row and "Sat 28 00:30" in row
    assert "mitragynine mg" not in text


def test_sleep_list_fits_80_columns_and_names_the_device(cli: Cli, narrow: None) -> None:
    cli("profile", "set", "--timezone", "Europe/Berlin")
    cli("import", "oura", str(OURA))
    cli("import", "apple-health", str(APPLE))
    text = cli("sleep", "list").stdout
    _fits(text)
    assert "2024-03-09" in text and "2024-03-16" in text
    assert "Oura" in text and "Apple" in text and "Watch" in text
    assert "wearable" not in text


def test_profile_and_diary_tables_have_no_empty_header_row(profiled_cli: Cli) -> None:
    lines = [line.rstrip() for line in profiled_cli("profile", "show").stdout.splitlines()]
    assert lines[0] == "Profile"
    assert lines[1].startswith("time zone") or lines[1].split()[0].isalpha(), lines[:3]
    assert not any(line and set(line) <= set("─━ ") for line in lines), lines
    profiled_cli(*DIARY)
    lines = [
        line.rstrip()
        for line in profiled_cli("diary", "show", "--night", "2026-11-30").stdout.splitlines()
    ]
    assert lines[0] == "Night of 2026-11-30"
    assert not any(line and set(line) <= set("─━ ") for line in lines), lines


def test_check_prints_one_line_per_finding_unless_details(cli: Cli, narrow: None) -> None:
    args = ["check", "--med", "alprazolam", "--condition", "COPD", "--region", "US-TX"]
    body = cli(*args, "--json").json()
    text = cli(*args).stdout
    lines = text.splitlines()
    for finding in body["findings"]:
        line = f"{finding['severity'].upper()}  {finding['title']}"
        assert lines.count(line) == 1, (line, text)
    assert "Sources:" not in text and "What to do:" not in text
    assert lines[-1] == "Why, what to do and sources: run again with --details."
    detailed = cli(*args, "--details").stdout
    assert detailed.count("Sources:") == len(body["findings"])
    assert "--details" not in detailed
    assert cli(*args, "--details", "--json").json() == body


def test_diary_add_echoes_naps_and_comments(profiled_cli: Cli) -> None:
    text = profiled_cli(
        *DIARY, "--naps", "2", "--nap-min", "45", "--note", "Neighbours loud"
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "naps yesterday 2 (45 min)" in lines, text
    assert "comments Neighbours loud" in lines, text


def test_product_show_says_passed_or_failed(profiled_cli: Cli) -> None:
    profiled_cli("product", "add", "--name", "Red Bali", "--lot", "RB-7", "--contaminants-failed")
    text = profiled_cli("product", "show", "1").stdout
    row = next(line for line in text.splitlines() if "RB-7" in line)
    assert "FAILED" in row and "True" not in text and "False" not in text
