"""The hostile-file corpus: every file gets one clear message, changes no row, stays small."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.integration.imports.hostile import run_measured, sleep_as_android_bomb
from tests.integration.imports.test_import_service import counts

PEAK_MIB = 150
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&lol9;" unit="count/min"
  startDate="2024-01-01 01:00:00 +0000" endDate="2024-01-01 01:00:00 +0000" value="60"/>
</HealthData>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&secret;" unit="count/min"
  startDate="2024-01-01 01:00:00 +0000" endDate="2024-01-01 01:00:00 +0000" value="60"/>
</HealthData>
"""


@pytest.fixture
def london(cli: Cli) -> Cli:
    cli("profile", "set", "--timezone", "Europe/London")
    return cli


def refused(cli: Cli, database: str, source: str, path: Path) -> str:
    """Import ``path``; assert one clear line, exit 2, no row changed; return the message."""
    before = counts(database)
    result = cli("import", source, str(path), ok=False)
    assert result.code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert counts(database) == before
    return result.stderr


@pytest.mark.parametrize("text", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_entities_are_never_expanded(
    london: Cli, database: str, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "export.xml"
    path.write_text(text)
    message = refused(london, database, "apple-health", path)
    assert "declares XML entities" in message
    assert "root:" not in message and "lollol" not in message  # nothing was expanded or read


def test_a_20_mb_attribute_is_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    name = "x" * (20 << 20)
    path.write_text(
        f'<?xml version="1.0"?>\n<HealthData>\n <Record type="HKQuantityTypeIdentifierHeartRate"'
        f' sourceName="{name}" startDate="2024-01-01 01:00:00 +0000" value="1"/>\n</HealthData>\n'
    )
    assert "size limits exceeded" in refused(london, database, "apple-health", path)


def test_apple_zip_bomb_is_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("apple_health_export/export.xml", "w") as member,
    ):
        member.write(b'<?xml version="1.0"?>\n<HealthData>\n')
        for _ in range(64):
            member.write(b" " * (1 << 20))
        member.write(b"</HealthData>\n")
    assert "zip bomb" in refused(london, database, "apple-health", path)


def test_invalid_utf8_csv_names_the_line(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "sleep.csv"
    path.write_bytes(
        b"start,end\n2024-01-01T23:00:00+00:00,2024-01-02T07:00:00+00:00\n\xff\xfe,\xc3\n"
    )
    assert "line 3: not UTF-8" in refused(london, database, "csv", path)


def test_wrong_columns_are_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "sleep.csv"
    path.write_text("start,end,kind\n2024-01-01T23:00:00+00:00,,sleep\n")
    assert "line 2" in refused(london, database, "csv", path)


def test_truncated_json_is_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "sleep.json"
    path.write_text('{"sleep": [{"dateOfSleep": "2024-01-02", "levels": {"data": [')
    assert "truncated JSON" in refused(london, database, "fitbit", path)


def test_json_with_a_million_values_is_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "sleep.json"
    path.write_text('{"sleep": [], "dateOfSleep": [' + "[]," * 1_100_000 + "[]]}")
    assert "more than 1,000,000 JSON values" in refused(london, database, "fitbit", path)


def test_csv_field_beyond_the_csv_limit_is_one_line(
    london: Cli, database: str, tmp_path: Path
) -> None:
    path = tmp_path / "sleep.csv"
    path.write_text('start,end\n"' + "x\n" * 200_000 + '",2024-01-01T07:00:00+00:00\n')
    assert "not readable as CSV" in refused(london, database, "csv", path)


def test_small_zip_bomb_is_refused_by_its_ratio(london: Cli, database: str, tmp_path: Path) -> None:
    bomb = sleep_as_android_bomb(tmp_path / "sleep-export.zip", unpacked=64 << 20)
    assert bomb.stat().st_size < 1 << 20
    assert "zip bomb" in refused(london, database, "sleep-as-android", bomb)


def test_truncated_zip_member_is_refused(london: Cli, database: str, tmp_path: Path) -> None:
    path = tmp_path / "sleep-export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sleep-export.csv", "Id,Tz,From,To,Sched,Hours\n" * 1000)
    path.write_bytes(path.read_bytes()[:200])
    assert "zip" in refused(london, database, "sleep-as-android", path)


@pytest.mark.slow
def test_sleep_as_android_512_mib_bomb_stays_small(tmp_path: Path) -> None:
    bomb = sleep_as_android_bomb(tmp_path / "sleep-export.zip")
    db = tmp_path / "bomb.db"
    code, stderr, peak = run_measured(
        ["--db", str(db), "import", "sleep-as-android", str(bomb)],
        {"BEDSIDE_DATA_DIR": str(tmp_path / "data")},
    )
    assert code == 2 and "zip bomb" in stderr, stderr
    assert peak < PEAK_MIB, f"peak {peak} MiB"


@pytest.mark.slow
def test_generic_csv_of_256_mb_one_line_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("wb") as out:
        out.write(b"start,end,note\n2024-01-01T23:00:00+00:00,2024-01-02T07:00:00+00:00,")
        block = b"x" * (1 << 20)
        for _ in range(256):
            out.write(block)
    code, stderr, peak = run_measured(
        ["--db", str(tmp_path / "big.db"), "import", "csv", str(path)],
        {"BEDSIDE_DATA_DIR": str(tmp_path / "data")},
    )
    assert code == 2 and "line 2: a line longer than" in stderr, stderr
    assert peak < PEAK_MIB, f"peak {peak} MiB"


@pytest.mark.slow
def test_generic_csv_of_256_mb_imports_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    padding = "p" * (72 * 1024)
    with path.open("w") as out:
        out.write("kind,time,value,note\n")
        for i in range(3600):
            when = f"2024-01-01T01:{i // 60 % 60:02d}:{i % 60:02d}+00:00"
            out.write(f"heart_rate,{when},{60 + i % 30},{padding}\n")
    assert path.stat().st_size > 256_000_000
    code, stderr, peak = run_measured(
        ["--db", str(tmp_path / "big.db"), "import", "csv", str(path), "--timezone", "UTC"],
        {"BEDSIDE_DATA_DIR": str(tmp_path / "data")},
    )
    assert code == 0, stderr
    assert peak < PEAK_MIB, f"peak {peak} MiB"
