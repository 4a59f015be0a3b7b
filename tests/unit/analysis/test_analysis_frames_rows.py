"""The night frame is built from plain rows: no database, and analysis never imports storage."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import UTC, date, datetime

from bedside.analysis.frames import DIARY_NUMBERS, DIARY_TIMES, NightRows, RowTable, night_frame


def _table(*columns: str, rows: list[tuple[object, ...]] | None = None) -> RowTable:
    return RowTable(tuple(columns), rows or [])


def _rows(doses: list[tuple[object, ...]], pain: list[tuple[object, ...]]) -> NightRows:
    return NightRows(
        doses=_table("night", "taken_at", "grams", "pain_before", "mitragynine_pct", rows=doses),
        diary=_table("night", *DIARY_TIMES, *DIARY_NUMBERS),
        pain=_table("night", "at", "tz", "score", rows=pain),
        soreness=_table("night", "at", "tz", "score"),
        workouts=_table("night", "start_at", "tz", "duration_min", "rpe", "source"),
        intakes=_table("night", "at", "tz", "kind", "amount"),
        sleep=_table("night", "in_bed_min", "asleep_min", "hrv_mean"),
    )


def test_a_frame_from_plain_rows_without_a_database() -> None:
    night = date(2025, 3, 7)
    rows = _rows(
        doses=[(night, datetime(2025, 3, 8, 3, 0, tzinfo=UTC), 3.0, None, 1.5)],
        pain=[(date(2025, 3, 8), datetime(2025, 3, 9, 13, 0, tzinfo=UTC), "America/New_York", 4)],
    )
    frame = night_frame(rows, "America/New_York", "23:00").set_index("night")
    assert [d.date() for d in frame.index] == [night, date(2025, 3, 8)]
    first = frame.loc[str(night)]
    assert first["took"] == 1.0
    assert first["dose_g"] == 3.0
    assert first["mitragynine_mg"] == 45.0
    assert first["minutes_dose_to_bed"] == 60.0  # 22:00 EST dose, 23:00 target bedtime
    assert math.isnan(first["pain_next_morning"])
    second = frame.loc["2025-03-08"]
    assert second["took"] == 0.0  # a pain rating logged, no dose: logged without kratom
    assert second["pain_next_morning"] == 4.0  # 09:00 EDT on the morning of the 9th


def test_analysis_imports_no_storage_and_no_sqlalchemy() -> None:
    code = (
        "import sys, bedside.analysis.frames, bedside.analysis.insights;"
        "bad = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'bedside.storage',"
        " 'bedside.services', 'bedside.importers')));"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""
