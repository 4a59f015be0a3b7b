"""Property: export → restore into an empty database → export gives the same file.

Histories are generated straight into the tables (every entity, odd values, notes with any
text), with nights around DST changes in several zones, wearable nights with their segments
and samples, and experiments with drawn blocks. Only ``exported_at`` may differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from bedside.services import backup
from bedside.services.backup_tables import USER_COLUMN, entity_tables
from bedside.services.restore import restore_backup
from bedside.services.runtime import Bedside
from bedside.settings import load_settings
from bedside.storage.experiments import Experiment, ExperimentBlock
from bedside.storage.models import Batch, DiaryEntry, Dose, PainEntry, Product, Profile
from bedside.storage.wearables import (
    HealthSample,
    SleepNightRow,
    SleepSegmentRow,
    WearableSource,
)

#: Zones and nights on which their clocks change.
DST_NIGHTS = {
    "America/New_York": [date(2025, 3, 8), date(2025, 11, 1)],
    "Europe/London": [date(2025, 3, 29), date(2025, 10, 25)],
    "Australia/Sydney": [date(2025, 4, 5), date(2025, 10, 4)],
}
notes = st.none() | st.text(max_size=40)
amounts = st.floats(min_value=0.01, max_value=60, allow_nan=False, allow_infinity=False)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    zone = draw(st.sampled_from(sorted(DST_NIGHTS)))
    anchor = draw(st.sampled_from(DST_NIGHTS[zone]))
    offsets = draw(st.lists(st.integers(-3, 3), min_size=1, max_size=6, unique=True))
    return {
        "zone": zone,
        "nights": sorted(anchor + timedelta(days=o) for o in offsets),
        "dose": draw(st.lists(st.tuples(amounts, st.booleans(), notes), min_size=6, max_size=6)),
        "diary": draw(st.lists(st.booleans(), min_size=6, max_size=6)),
        "pain": draw(st.lists(st.tuples(st.integers(0, 10), notes), max_size=6)),
        "wearable": draw(st.booleans()),
        "experiment": draw(st.booleans()),
        "minute": draw(st.integers(0, 59)),
        "micro": draw(st.integers(0, 999_999)),
    }


def local(night: date, clock: time, tz: ZoneInfo, next_day: bool = False) -> datetime:
    day = night + timedelta(days=1) if next_day else night
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def write_history(app: Bedside, h: dict[str, Any]) -> None:
    tz = ZoneInfo(h["zone"])
    with app.scope() as scope:
        uid = scope.user.id
        add = scope.session.add
        add(
            Profile(
                user_id=uid,
                timezone=h["zone"],
                bedtime="23:00",
                medications=["é, 💊"],
                conditions=[],
                wind_down=[],
            )
        )
        product = Product(user_id=uid, name="Green Malay", form="leaf_powder", note='ß\n"q"')
        add(product)
        scope.session.flush()
        batch = Batch(user_id=uid, product_id=product.id, lot="L-1", mitragynine_pct=1.1)
        add(batch)
        scope.session.flush()
        for i, night in enumerate(h["nights"]):
            amount, linked, note = h["dose"][i]
            taken = local(night, time(22, h["minute"]), tz).replace(microsecond=h["micro"])
            add(
                Dose(
                    user_id=uid,
                    taken_at=taken,
                    tz=h["zone"],
                    night=night,
                    amount=amount,
                    unit="g",
                    grams=amount,
                    product_id=product.id if linked else None,
                    batch_id=batch.id if linked else None,
                    note=note,
                )
            )
            if h["diary"][i]:
                add(
                    DiaryEntry(
                        user_id=uid,
                        night=night,
                        tz=h["zone"],
                        bedtime=local(night, time(23, 0), tz),
                        tried=local(night, time(23, 15), tz),
                        sol_min=10,
                        awakenings=1,
                        waso_min=5,
                        final_wake=local(night, time(6, 30), tz, True),
                        out_of_bed=local(night, time(7, 0), tz, True),
                        quality=3,
                        definition_version="csd-core-2012",
                    )
                )
        for score, note in h["pain"]:
            night = h["nights"][0]
            add(
                PainEntry(
                    user_id=uid,
                    at=local(night, time(20, 0), tz),
                    tz=h["zone"],
                    night=night,
                    score=score,
                    note=note,
                )
            )
        if h["wearable"]:
            _wearable(scope.session, uid, h["nights"], tz)
        if h["experiment"]:
            _experiment(scope.session, uid, h["nights"][0])


def _wearable(session: Any, uid: int, nights: list[date], tz: ZoneInfo) -> None:
    source = WearableSource(user_id=uid, importer="oura", source_name="Oura Ring")
    session.add(source)
    session.flush()
    for night in nights:
        start, end = local(night, time(23, 0), tz), local(night, time(7, 0), tz, True)
        session.add(
            SleepSegmentRow(
                user_id=uid,
                source_id=source.id,
                start_at=start,
                end_at=end,
                stage="asleep",
                zone=tz.key,
                key_hash=f"s{night}",
            )
        )
        session.add(
            HealthSample(
                user_id=uid,
                source_id=source.id,
                kind="hr",
                at_epoch=int(start.timestamp()),
                value=55.5,
            )
        )
        session.add(
            SleepNightRow(
                user_id=uid,
                night=night,
                source="ring",
                source_name="Oura",
                is_main=True,
                session_start=start,
                session_end=end,
                in_bed_min=(end - start).total_seconds() / 60,
                asleep_min=400.0,
                sources=["Oura"],
                zone=tz.key,
            )
        )


def _experiment(session: Any, uid: int, start: date) -> None:
    exp = Experiment(
        user_id=uid,
        question="Does it help?",
        outcome="quality",
        lower_is_better=False,
        mid=0.5,
        levels=["kratom", "no kratom"],
        reference="no kratom",
        blocks=3,
        nights_per_period=5,
        washout_nights=1,
        run_in_nights=0,
        start_night=start,
        seed=2**40 + 7,
        status="running",
    )
    session.add(exp)
    session.flush()
    session.add(
        ExperimentBlock(
            user_id=uid, experiment_id=exp.id, block_index=0, conditions=["no kratom", "kratom"]
        )
    )


def wipe(app: Bedside) -> None:
    with app.scope() as scope:
        for spec in reversed(entity_tables()):
            table = spec.table
            scope.session.execute(delete(table).where(table.c[USER_COLUMN] == scope.user.id))


@pytest.fixture
def two_apps(tmp_path: Path) -> Iterator[tuple[Bedside, Bedside]]:
    apps = tuple(
        Bedside(load_settings(db=str(tmp_path / f"{name}.db"), environ={})).start()
        for name in ("source", "target")
    )
    yield apps[0], apps[1]
    for app in apps:
        app.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories())
def test_export_restore_export_is_identical(
    two_apps: tuple[Bedside, Bedside], history: dict[str, Any]
) -> None:
    source, target = two_apps
    wipe(source)
    wipe(target)
    write_history(source, history)
    with source.scope() as scope:
        first = backup.json_bytes(scope)
    with target.scope() as scope:
        restore_backup(scope, first)
    with target.scope() as scope:
        second = backup.json_bytes(scope)
    a, b = json.loads(first), json.loads(second)
    a.pop("exported_at"), b.pop("exported_at")
    assert a == b
    assert first.split(b'"exported_at"')[0] == second.split(b'"exported_at"')[0]
