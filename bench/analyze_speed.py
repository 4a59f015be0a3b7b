"""How long ``bedside analyze --json`` takes on years of nightly data.

Builds a SQLite database with one person and N years of nights (doses on about 55% of
nights with varying amounts and timings, a morning diary on about 90%, next-morning pain
and soreness, workouts, caffeine and alcohol) using core bulk inserts, then runs
``bedside --db DB analyze --json`` in a fresh process several times and prints the wall
times and their median. It also times building the night frame in-process.

    .venv/bin/python bench/analyze_speed.py --years 5 --repeat 3
    .venv/bin/python bench/analyze_speed.py --years 3 5 10 --repeat 5   # how it grows

Each round also times the bare start-up (``python -c "import sqlalchemy.orm, pydantic"``)
beside the command, so the figures of one run can be compared under the same load; wall
and CPU time (user + system) are both reported, CPU being the steadier on a shared machine.

Generated data goes to /tmp (``--out``), never into the repository.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bedside.domain.diary import DEFINITION_VERSION
from bedside.services import profiles
from bedside.services.runtime import Bedside
from bedside.settings import load_settings
from bedside.storage.models import (
    Batch,
    DiaryEntry,
    Dose,
    Intake,
    PainEntry,
    Product,
    SorenessEntry,
    Workout,
)

ZONE_NAME = "America/Chicago"
ZONE = ZoneInfo(ZONE_NAME)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


Rows = dict[str, list[dict[str, Any]]]


def night_rows(user: int, batch: int, product: int, night: date, rng: random.Random) -> Rows:
    """Every row of one night (some kinds only on some nights)."""
    rows: Rows = {k: [] for k in ("dose", "diary", "pain", "sore", "work", "intake")}
    base = {"user_id": user, "tz": ZONE_NAME, "night": night}
    pain_day = rng.randint(2, 7)
    took = rng.random() < 0.55 + 0.05 * (pain_day > 5)
    if took:
        rows["dose"].append(dose_row(base, batch, product, pain_day, rng))
    rows["pain"].append({**base, "at": local(night, 19), "score": pain_day})
    if rng.random() < 0.9:
        morning_rows(rows, base, took, pain_day, rng)
    if rng.random() < 0.4:
        rows["work"].append(
            {**base, "start_at": local(night, 17), "kind": "strength",
             "duration_min": rng.choice([30.0, 45.0, 60.0]), "rpe": rng.randint(5, 9),
             "muscle_groups": ["quads"], "source": "manual"}
        )  # fmt: skip
    rows["intake"].append(
        {**base, "at": local(night, rng.choice([13, 15, 17])), "kind": "caffeine",
         "amount": rng.choice([80.0, 95.0, 160.0]), "unit": "mg"}
    )  # fmt: skip
    if rng.random() < 0.15:
        rows["intake"].append(
            {**base, "at": local(night, 20), "kind": "alcohol",
             "amount": float(rng.randint(1, 3)), "unit": "drinks"}
        )  # fmt: skip
    return rows


def dose_row(
    base: dict[str, Any], batch: int, product: int, pain: int, rng: random.Random
) -> dict[str, Any]:
    """An evening dose of varying amount and timing."""
    grams = rng.choice([2.0, 2.5, 3.0, 3.5, 4.0])
    taken = local(base["night"], rng.choice([20, 21, 21, 22]), rng.choice([0, 15, 30, 45]))
    return {**base, "taken_at": taken, "amount": grams, "unit": "g", "grams": grams,
            "product_id": product, "batch_id": batch, "reason": "pain",
            "pain_before": pain}  # fmt: skip


def morning_rows(
    rows: Rows, base: dict[str, Any], took: bool, pain_day: int, rng: random.Random
) -> None:
    """The morning diary, pain and soreness after a night (a little better after a dose)."""
    night = base["night"]
    quality = max(1, min(5, round(3 + 0.4 * took - 0.15 * (pain_day - 4) + rng.gauss(0, 0.8))))
    sol, waso = max(0, int(rng.gauss(25 - 6 * took, 10))), max(0, int(rng.gauss(30, 12)))
    bed = local(night, 22, rng.choice([30, 45])) + timedelta(minutes=rng.randint(0, 40))
    tried = bed + timedelta(minutes=10)
    wake = tried + timedelta(minutes=sol + waso + rng.randint(360, 450))
    rows["diary"].append(
        {**base, "bedtime": bed, "tried": tried, "sol_min": sol, "awakenings": 1 + (waso > 20),
         "waso_min": waso, "final_wake": wake, "out_of_bed": wake + timedelta(minutes=15),
         "quality": quality, "rested": quality, "definition_version": DEFINITION_VERSION}
    )  # fmt: skip
    next_day = night + timedelta(days=1)
    morning = max(0, min(10, pain_day - took + rng.randint(-1, 1)))
    rows["pain"].append({**base, "at": local(next_day, 7, 30), "score": morning})
    rows["sore"].append(
        {**base, "at": local(next_day, 7, 35), "muscle_group": "quads",
         "score": max(0, min(10, morning + rng.randint(-2, 2)))}
    )  # fmt: skip


def build(
    path: Path, years: float, seed: int, last: date = date(2025, 12, 31)
) -> tuple[int, float]:
    """A fresh database with ``years`` of nights up to ``last``; returns (rows, seconds)."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    first = last - timedelta(days=round(365 * years) - 1)
    app = Bedside(load_settings(db=str(path), environ={}), clock=lambda: local(last, 23)).start()
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": ZONE_NAME, "bedtime": "23:00"})
        user = scope.user.id
        product = Product(user_id=user, name="Bench leaf", form="leaf_powder")
        scope.session.add(product)
        scope.session.flush()
        batch = Batch(user_id=user, product_id=product.id, lot="B1", mitragynine_pct=1.4)
        scope.session.add(batch)
        scope.session.flush()
        ids = (batch.id, product.id)
    rng = random.Random(seed)
    tables = {"dose": Dose, "diary": DiaryEntry, "pain": PainEntry, "sore": SorenessEntry,
              "work": Workout, "intake": Intake}  # fmt: skip
    everything: dict[str, list[dict[str, Any]]] = {k: [] for k in tables}
    night = first
    while night <= last:
        for kind, rows in night_rows(user, *ids, night, rng).items():
            everything[kind].extend(rows)
        night += timedelta(days=1)
    with app.database.engine.begin() as conn:
        for kind, model in tables.items():
            conn.execute(insert(model), everything[kind])
    app.close()
    return sum(len(v) for v in everything.values()), time.perf_counter() - started


BARE = ["-c", "import sqlalchemy.orm, pydantic"]


def timed(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``python args`` in a fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def forget_results(path: Path) -> None:
    """Drop the stored analysis results, as any write of the person's data makes them stale."""
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM computed_results")


def time_command(paths: list[Path], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """``bedside analyze --json`` on each database and the bare start-up, interleaved: first
    with no stored result (the first run after a change of the data), then again with it."""
    runs: dict[str, list[tuple[float, float]]] = {"bare": []}
    for _ in range(repeat):
        runs["bare"].append(timed(BARE))
        for path in paths:
            command = ["-m", "bedside", "--db", str(path), "analyze", "--json"]
            forget_results(path)
            runs.setdefault(f"{path}:cold", []).append(timed(command))
            runs.setdefault(f"{path}:warm", []).append(timed(command))
    return runs


def time_frame(path: Path) -> float:
    """Seconds to build the night frame in-process (after imports)."""
    from bedside.services.analysis_rows import person_night_frame

    app = Bedside(load_settings(db=str(path), environ={})).start()
    with app.scope() as scope:
        started = time.perf_counter()
        frame = person_night_frame(scope)
        seconds = time.perf_counter() - started
    app.close()
    print(f"night frame: {len(frame)} nights x {len(frame.columns)} columns")
    return seconds


def main() -> None:
    """Build the database, time the command, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[5])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bedside-analyze-bench.db"))
    args = parser.parse_args()
    paths = []
    for years in args.years:
        path = args.out.with_name(f"{args.out.stem}-{years}y{args.out.suffix}")
        rows, seconds = build(path, years, args.seed)
        print(f"built {path}: {years} years, {rows:,} rows in {seconds:.1f} s")
        print(f"night frame built in-process in {time_frame(path):.3f} s")
        paths.append(path)
    runs = time_command(paths, args.repeat)
    load = os.getloadavg()
    print(f"{args.repeat} rounds, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    labels = {
        "bare": "bare start-up",
        **{
            f"{p}:{state}": f"analyze --json, {y} y, {state}"
            for p, y in zip(paths, args.years, strict=True)
            for state in ("cold", "warm")
        },
    }
    for key, times in runs.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        shown = ", ".join(f"{w:.2f}" for w, _ in times)
        print(f"{labels[key]:<28} wall {wall:6.2f} s ({shown})  CPU {cpu:6.2f} s")


if __name__ == "__main__":
    main()
