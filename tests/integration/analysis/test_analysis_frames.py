"""The night frame built from storage: every column, unknown nights, bounded queries."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import event

from bedside.analysis.frames import COMBINED_SOURCE
from bedside.analysis.nights import prepare_nights
from bedside.analysis.outcomes import OUTCOMES
from bedside.services import activity, doses, products, symptoms
from bedside.services.analysis_rows import person_night_frame
from bedside.sleep.nights import COMBINED
from bedside.storage.wearables import SleepNightRow
from tests.integration.analysis.conftest import Sim, at_local, log_history, log_night

NIGHT = date(2025, 3, 7)  # a Friday


@pytest.fixture
def logged(sim: Sim) -> Sim:
    """Two dosed nights, a night with only a pain rating, then nothing (unknown)."""
    sim.clock.now = at_local(NIGHT + timedelta(days=5), 12)
    with sim.app.scope() as s:
        product = products.add_product(s, {"name": "Leaf"})
        batch = products.add_batch(s, product.id, {"lot": "A1", "mitragynine_pct": 1.5})
        doses.add_dose(
            s, {"amount": 2, "time": "21:30", "night": NIGHT, "batch_id": batch.id,
                "pain_before": 6},
        )  # fmt: skip
        doses.add_dose(s, {"amount": 1, "time": "22:15", "night": NIGHT, "batch_id": batch.id})
        log_night(s, NIGHT, took=False, quality=4)  # diary only (doses logged above)
        symptoms.add_pain(s, {"score": 3, "time": "07:30", "night": NIGHT})
        symptoms.add_pain(s, {"score": 5, "time": "10:00", "night": NIGHT})
        symptoms.add_pain(s, {"score": 9, "time": "13:00", "night": NIGHT + timedelta(days=1)})
        symptoms.add_soreness(s, {"ratings": {"quads": 6, "calves": 2}, "time": "08:00",
                                  "night": NIGHT})  # fmt: skip
        activity.add_workout(s, {"kind": "run", "duration_min": 40, "rpe": 8, "time": "17:00",
                                 "night": NIGHT})  # fmt: skip
        activity.add_workout(
            s, {"kind": "walk", "duration_min": 30, "time": "09:00", "night": NIGHT}
        )  # 09:00 next morning: counts for the 8th
        activity.add_intake(s, {"kind": "caffeine", "amount": 95, "time": "15:00",
                                "night": NIGHT})  # fmt: skip
        activity.add_intake(s, {"kind": "alcohol", "amount": 1, "time": "20:00",
                                "night": NIGHT})  # fmt: skip
        # the 8th: a dose without grams (capsules of unknown weight) and a pain rating
        doses.add_dose(s, {"amount": 2, "unit": "g", "time": "22:00",
                           "night": NIGHT + timedelta(days=1)})  # fmt: skip
        # the 9th: only an evening pain rating, no dose
        symptoms.add_pain(s, {"score": 4, "time": "20:00", "night": NIGHT + timedelta(days=2)})
        s.session.add_all(_wearable_rows(s.user.id))
    return sim


def _wearable_rows(user_id: int) -> list[SleepNightRow]:
    def row(source: str, asleep: float) -> SleepNightRow:
        start = at_local(NIGHT, 23)
        return SleepNightRow(
            user_id=user_id, night=NIGHT, source=source, source_name=source, is_main=True,
            session_start=start, session_end=start + timedelta(hours=8),
            sleep_start=start, sleep_end=start + timedelta(hours=8), in_bed_min=480.0,
            asleep_min=asleep, hrv_mean=41.0, sources=[source],
        )  # fmt: skip

    return [row(COMBINED_SOURCE, 420.0), row("oura", 300.0)]


def _frame(sim: Sim, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    with sim.app.scope() as s:
        return person_night_frame(s, start, end).set_index("night")


def test_every_column_of_a_logged_night(logged: Sim) -> None:
    row = _frame(logged).loc[pd.Timestamp(NIGHT)]
    assert row["took"] == 1.0
    assert row["dose_g"] == pytest.approx(3.0)
    assert row["mitragynine_mg"] == pytest.approx(45.0)  # 3 g x 1.5 %
    assert row["minutes_dose_to_bed"] == pytest.approx(45.0)  # last dose 22:15, bed 23:00
    assert row["quality"] == 4.0 and row["rested"] == 4.0
    assert row["total_sleep_time_min"] == pytest.approx(450 - 30 - 15)
    assert row["sleep_onset_latency_min"] == 30.0
    assert row["pain_next_morning"] == pytest.approx(4.0)  # 07:30 and 10:00, not 13:00
    assert row["soreness_next_morning"] == pytest.approx(4.0)
    assert row["pain_before_dose"] == 6.0
    assert row["workout_load"] == pytest.approx(40 * 8 / 10)
    assert row["caffeine_mg"] == 95.0
    assert row["caffeine_last_hours_before_bed"] == pytest.approx(8.0)
    assert row["alcohol_drinks"] == 1.0
    assert row["wearable_asleep_min"] == 420.0  # the combined night, not one source
    assert row["wearable_efficiency_pct"] == pytest.approx(87.5)
    assert row["wearable_hrv_ms"] == 41.0
    assert bool(row["weekend"]) is True
    assert COMBINED_SOURCE == COMBINED


def test_unknown_is_not_no(logged: Sim) -> None:
    frame = _frame(logged, NIGHT - timedelta(days=2), NIGHT + timedelta(days=3))
    assert len(frame) == 6
    took = frame["took"]
    assert math.isnan(took[pd.Timestamp(NIGHT - timedelta(days=1))])  # nothing logged
    second = frame.loc[pd.Timestamp(NIGHT + timedelta(days=1))]
    assert second["took"] == 1.0
    assert second["workout_load"] == pytest.approx(30 * 5 / 10)  # no RPE: counted as 5
    third = frame.loc[pd.Timestamp(NIGHT + timedelta(days=2))]
    assert third["took"] == 0.0  # logged something, no dose
    assert math.isnan(third["dose_g"])
    assert third["pain_before_dose"] == 4.0  # the evening rating before bedtime
    assert third["alcohol_drinks"] == 0.0 and third["caffeine_mg"] == 0.0
    assert math.isnan(frame.loc[pd.Timestamp(NIGHT + timedelta(days=3)), "alcohol_drinks"])
    prepared = prepare_nights(frame.reset_index())
    assert list(prepared["day"]) == [0, 1, 2, 3, 4, 5]


def test_frame_columns_are_known_outcomes_or_covariates(logged: Sim) -> None:
    frame = _frame(logged)
    outcomes = [c for c in frame.columns if c in OUTCOMES]
    assert "wearable_resting_hr_bpm" not in frame.columns
    assert set(outcomes) >= {"quality", "pain_next_morning", "wearable_asleep_min"}


@contextmanager
def _count_queries(sim: Sim) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    engine = sim.app.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_queries_do_not_grow_with_the_range(sim: Sim) -> None:
    log_history(sim, date(2024, 1, 1), [i % 3 != 0 for i in range(120)])
    counts = []
    for days in (3, 120):
        with sim.app.scope() as s, _count_queries(sim) as seen:
            frame = person_night_frame(
                s,
                date(2024, 1, 1),
                date(2024, 1, 1) + timedelta(days=days - 1),
            )
        assert len(frame) == days
        counts.append(sum(1 for q in seen if q.lstrip().upper().startswith("SELECT")))
    assert counts[0] == counts[1] <= 8
