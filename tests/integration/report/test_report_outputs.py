"""The clinician report from an 8-week history: CLI text, JSON, HTML and PDF (read back)."""

from __future__ import annotations

import re
import stat
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from bedside.settings import load_settings
from tests.conftest import Cli
from tests.integration.report.report_history import NIGHTS, UNKNOWN, build_history

SECTIONS = (
    "Period and completeness",
    "Sleep (diary and wearable)",
    "Evening kratom use",
    "Pain and soreness",
    "Workouts",
    "Alcohol, caffeine and medications taken",
    "Medications, conditions and safety findings",
    "Dependence signals",
    "Self-experiment",
    "Charts",
    "What this report cannot show",
)


@pytest.fixture
def history(cli: Cli, database: str) -> tuple[str, str]:
    """The 8-week history on the CLI's database; its first and last night."""
    start, end = build_history(load_settings(db=database, environ={}))
    return start.isoformat(), end.isoformat()


def _pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"[ \t]+", " ", done.stdout)


def _pages(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    assert found, done.stdout
    return int(found.group(1))


def test_cli_writes_a_two_page_pdf_and_html_with_every_section(
    cli: Cli, history: tuple[str, str], tmp_path: Path
) -> None:
    start, end = history
    pdf, html = tmp_path / "report.pdf", tmp_path / "report.html"
    cli("report", "--from", start, "--to", end, "--pdf", str(pdf), "--html", str(html))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert 1 <= _pages(pdf) <= 2
    # Health data: both files are readable by their owner only, whatever the umask (022 here).
    assert stat.S_IMODE(pdf.stat().st_mode) == stat.S_IMODE(html.stat().st_mode) == 0o600
    text = _pdf_text(pdf)
    for heading in SECTIONS:
        assert heading in text, heading
    logged = NIGHTS - len(UNKNOWN)
    assert f"Anything logged on {logged} of {NIGHTS} nights" in text
    assert f"{len(UNKNOWN)} nights with nothing logged are unknown" in text
    # every safety finding carries its sources and both dates; the medicine logged as taken
    # is checked; findings are compact (severity, title, a short summary, the action)
    assert "gabapentin" in text and "Sources: https://" in text
    day = r"\d{4}-\d{2}-\d{2}"
    flat = " ".join(text.split())
    assert re.search(rf"As of {day} · checked {day}\.", flat), "evidence dates"
    assert re.search(rf"Law dated \d{{4}}(-\d{{2}}){{0,2}} · checked {day}\.", flat), "law dates"
    assert "Facts as of" not in flat
    data = cli("report", "--from", start, "--to", end, "--json").json()
    findings = [*data["safety"]["findings"], *data["signals"]["findings"]]
    assert flat.count("Sources: https://") == len(findings) >= 5  # none left out
    assert "You listed 'sleep apnea'" not in flat and "sleep clinic" in flat
    assert "Not verified: No study of kratom in people with sleep apnea" in flat
    assert "Red Bali" in text and "RB-7" in text
    assert "In bed to final awakening (bars), doses (dots)" in flat
    page = html.read_text()
    for heading in SECTIONS:
        assert heading in page, heading
    # total sleep, the sleep window, pain and soreness, dose timing
    assert page.count('src="data:image/svg+xml;base64,') == 4
    assert "http://" not in page.split("<body>")[0]  # nothing to fetch from outside

    # Look at the pages: one PNG per page (left in tmp_path for a person to inspect).
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == _pages(pdf)
    assert all(p.stat().st_size > 10_000 for p in pngs)


def test_cli_json_counts_unknown_nights_and_uses_the_default_period(
    cli: Cli, history: tuple[str, str]
) -> None:
    start, end = history
    data = cli("report", "--json").json()
    period = data["period"]
    # Default: the last 8 weeks ending tonight, bounded to the nights that have logs.
    assert period["end"] == end
    assert period["start"] >= start
    assert period["nights_unknown"] + period["nights_logged"] == period["nights"]
    kratom = data["kratom"]
    assert (
        kratom["nights_used"] + kratom["nights_without"] + kratom["nights_unknown"]
        == (period["nights"])
    )
    diary = {f["key"]: f for f in data["sleep"]["figures"] if f["source"] == "diary"}
    assert diary["total_sleep_time_min"]["spread"]["n"] == period["nights_with_diary"]
    weekly = data["sleep"]["weekly_efficiency"][0]
    assert weekly["efficiency_pct"] == pytest.approx(
        100 * weekly["total_sleep_min"] / weekly["time_in_bed_min"]
    )
    assert kratom["mitragynine_mg_per_night"]["n"] < kratom["nights_used"]  # only known batches
    severities = {f["title"]: f["severity"] for f in data["safety"]["findings"]}
    assert any("gabapentin" in t and s == "avoid" for t, s in severities.items())
    assert all(f["sources"] and f["as_of"] for f in data["safety"]["findings"])
    for finding in [*data["safety"]["findings"], *data["signals"]["findings"]]:
        assert finding["dates"].endswith(f"· checked {finding['checked_on']}"), finding["dates"]
    legal = next(f for f in data["safety"]["findings"] if f["id"].startswith("legal."))
    assert legal["dates"].startswith("law dated ")
    dosed = [n for n in data["nights"] if n["dosed"]]
    assert dosed and all(n["dose_times"] for n in dosed)
    assert all(n["bedtime"] and n["final_wake"] for n in data["nights"] if n["diary_tst_min"])


def test_cli_text_summary_and_one_line_errors(cli: Cli, history: tuple[str, str]) -> None:
    start, end = history
    text = cli("report", "--from", start, "--to", end).stdout
    assert f"nights {start} to {end}" in text
    assert "unknown" in text and "[avoid]" in text
    assert "law dated " in text and " · checked " in text and "(as of " in text
    bad = cli("report", "--from", end, "--to", start, ok=False)
    assert bad.code == 2 and bad.stderr.count("\n") == 1 and "--from" in bad.stderr
    late = (date.fromisoformat(end) + timedelta(days=400)).isoformat()
    too_long = cli("report", "--from", start, "--to", late, ok=False)
    assert too_long.code == 2 and "at most" in too_long.stderr
    unwritable = cli("report", "--pdf", str(Path(start) / "missing-dir" / "r.pdf"), ok=False)
    assert (
        unwritable.code == 2
        and "--pdf" in unwritable.stderr
        and "Traceback" not in (unwritable.stderr)
    )
