"""The sleep package is a pure algorithm: standard library and Bedside's domain only."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime

from bedside.sleep.nights import COMBINED, NightConfig, assemble_nights
from bedside.sleep.records import SleepSegment


def _loaded_after(module: str) -> list[str]:
    """Third-party and non-core Bedside modules loaded by importing ``module`` alone."""
    code = f"""
import sys
before = set(sys.modules)
import {module}
new = set(sys.modules) - before
ours = ("bedside.sleep", "bedside.domain")
foreign = [
    name for name in new
    if name.split(".")[0] not in sys.stdlib_module_names
    and not name.startswith("_sysconfigdata")  # the standard library's build data
    and name != "bedside" and not name.startswith(ours)
]
print(",".join(sorted(foreign)))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return [name for name in done.stdout.strip().split(",") if name]


def test_sleep_imports_only_the_standard_library_and_domain() -> None:
    for module in ("bedside.sleep.nights", "bedside.sleep.priority", "bedside.sleep.records"):
        assert _loaded_after(module) == [], module


def test_nights_assemble_from_plain_records() -> None:
    start = datetime(2025, 3, 8, 4, 30, tzinfo=UTC)  # 23:30 in New York, the evening of the 7th
    segment = SleepSegment(
        start=start,
        end=datetime(2025, 3, 8, 11, 30, tzinfo=UTC),
        stage="asleep_unspecified",
        source="oura",
        source_name="Oura",
    )
    config = NightConfig(default_zone="America/New_York")
    nights = [n for n in assemble_nights([segment], config=config) if n.source == COMBINED]
    assert [n.night for n in nights] == [date(2025, 3, 7)]
    assert nights[0].asleep_min == 420.0
    assert nights[0].sleep_start == start
