"""Server time per web page on three years of nightly data.

Fills a temporary SQLite database with ``--years`` of nights (a dose or two, the sleep diary,
pain, soreness for three muscle groups, workouts four days a week, caffeine and some alcohol)
and a completed 6-pair experiment over the last ten weeks of them (planned with the clock set
back, as a person would have), then requests each page ``--requests`` times through the ASGI
app in-process and prints the median and 95th percentile. The analysis pages (Insights,
Signals, Experiments, API insights) read the whole history.

The analysis pages are computed once per change of the person's data: the first table is
their warm figure (the remembered answer), the second what the first request after a write
costs (cold, each of ``--cold`` rounds logs a pain score and requests every page once),
beside ``/api/v1/profile``, the cheapest request.

    .venv/bin/python bench/web_pages.py [--years 3] [--requests 40] [--cold 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import clock_on_night, localize, to_utc, zone
from bedside.services.runtime import Bedside
from bedside.settings import Settings, sqlite_url
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
from bedside.web.app import create_app

TZ_NAME = "America/New_York"
TZ = zone(TZ_NAME)
BASE_URL = "http://127.0.0.1:8765"
DIARY_VERSION = "csd-core-2012/waso-excludes-terminal"


def at(night: date, clock: str) -> datetime:
    """The UTC instant of HH:MM on ``night`` (after-midnight times fall on the next day)."""
    hour, minute = (int(x) for x in clock.split(":"))
    naive = clock_on_night(datetime(2000, 1, 1, hour, minute).time(), night)
    try:
        return to_utc(localize(naive, TZ))
    except Exception:  # a DST gap or overlap: take the first reading
        return to_utc(naive.replace(tzinfo=TZ))


def fill(bedside: Bedside, last: date, nights: int) -> int:
    """Insert ``nights`` nights ending with ``last``; returns the number of rows."""
    rows: dict[Any, list[dict[str, Any]]] = {
        Dose: [],
        DiaryEntry: [],
        PainEntry: [],
        SorenessEntry: [],
        Workout: [],
        Intake: [],
    }
    with bedside.scope() as scope:
        from bedside.services import profiles

        profiles.set_profile(scope, {"timezone": TZ_NAME, "bedtime": "23:00", "region": "US-TX"})
        user = scope.user.id
        product_ids, batch_ids = [], []
        for n in range(4):
            product = Product(user_id=user, name=f"Product {n}", form="leaf_powder")
            scope.session.add(product)
            scope.session.flush()
            batch = Batch(user_id=user, product_id=product.id, lot=f"L-{n}", mitragynine_pct=1.2)
            scope.session.add(batch)
            scope.session.flush()
            product_ids.append(product.id)
            batch_ids.append(batch.id)
        for i in range(nights):
            night = last - timedelta(days=i)
            common = {"user_id": user, "tz": TZ_NAME, "night": night}
            k = i % 4
            rows[Dose].append(
                {
                    **common,
                    "taken_at": at(night, f"21:{50 + i % 10}"),
                    "amount": 3.0,
                    "unit": "g",
                    "grams": 3.0,
                    "product_id": product_ids[k],
                    "batch_id": batch_ids[k],
                    "reason": "pain",
                    "pain_before": i % 8,
                }
            )
            if i % 5 == 0:
                rows[Dose].append(
                    {
                        **common,
                        "taken_at": at(night, "23:40"),
                        "amount": 1.0,
                        "unit": "g",
                        "grams": 1.0,
                    }
                )
            if i > 0:
                rows[DiaryEntry].append(
                    {
                        **common,
                        "bedtime": at(night, "23:00"),
                        "tried": at(night, "23:10"),
                        "sol_min": 10 + i % 30,
                        "awakenings": i % 3,
                        "waso_min": 5 * (i % 3),
                        "final_wake": at(night, "06:40"),
                        "out_of_bed": at(night, "07:00"),
                        "quality": 1 + i % 5,
                        "rested": 1 + (i + 2) % 5,
                        "definition_version": DIARY_VERSION,
                    }
                )
            rows[PainEntry].append({**common, "at": at(night, "20:30"), "score": i % 11})
            for group in ("quads", "lower_back", "calves"):
                rows[SorenessEntry].append(
                    {
                        **common,
                        "at": at(night, "20:35"),
                        "muscle_group": group,
                        "score": (i * 3) % 11,
                    }
                )
            if i % 7 in (0, 2, 4, 5):
                rows[Workout].append(
                    {
                        **common,
                        "start_at": at(night, "17:30"),
                        "kind": "strength",
                        "duration_min": 45.0,
                        "rpe": 7,
                        "muscle_groups": ["quads", "glutes"],
                        "source": "manual",
                    }
                )
            rows[Intake].append(
                {
                    **common,
                    "at": at(night, "13:00"),
                    "kind": "caffeine",
                    "amount": 95.0,
                    "unit": "mg",
                }
            )
            if i % 6 == 0:
                rows[Intake].append(
                    {
                        **common,
                        "at": at(night, "19:00"),
                        "kind": "alcohol",
                        "amount": 1.0,
                        "unit": "drinks",
                    }
                )
        for model, batch_rows in rows.items():
            scope.session.execute(insert(model), batch_rows)
    return sum(len(r) for r in rows.values())


def plan_finished_experiment(bedside: Bedside, today: date, clock: list[datetime]) -> None:
    """A 6-pair, 5-night experiment planned 66 nights before ``today``: complete by now."""
    from bedside.services.experiments.plan import plan_experiment

    now, first = clock[0], today - timedelta(days=65)
    clock[0] = to_utc(bedtime_on(first - timedelta(days=1), datetime(2000, 1, 1, 18).time(), TZ))
    try:
        with bedside.scope() as scope:
            plan = {"question": "Does kratom help me sleep?", "outcome": "quality"}
            plan_experiment(scope, {**plan, "pairs": 6, "nights": 5, "start": first})
    finally:
        clock[0] = now


def measure(client: TestClient, url: str, requests: int) -> tuple[float, float, float]:
    """Median and 95th percentile of the server time of ``url``, and the 95th percentile of
    the process's CPU time per request (steadier on a busy machine), in milliseconds."""
    client.get(url)  # warm up (templates compiled, caches filled)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return statistics.median(times), _p95(times), _p95(cpu)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def cached_pages(today: date) -> dict[str, str]:
    """The pages whose analysis is remembered, by name."""
    year_ago = (today - timedelta(days=365)).isoformat()
    return {
        "History (366 nights)": f"/history?from={year_ago}&to={today.isoformat()}",
        "Insights": "/insights",
        "Experiments": "/experiments",
        "API insights": "/api/v1/insights",
        "API experiment analysis": "/api/v1/experiments/1/analysis",
        "Report (HTML)": "/report",
        "API report": "/api/v1/report",
    }


def measure_cold(
    client: TestClient, urls: dict[str, str], rounds: int
) -> dict[str, list[tuple[float, float]]]:
    """Server and CPU time of each page on the first request after a write, in ms."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(rounds):
        logged = client.post("/api/v1/pain", json={"score": 3})
        if logged.status_code != 201:
            raise SystemExit(f"logging pain: HTTP {logged.status_code}")
        for name, url in urls.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times[name].append((time.perf_counter() - start) * 1000)
            cpu[name].append((time.process_time() - start_cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
    return {name: [*zip(times[name], cpu[name], strict=True)] for name in urls}


def main() -> None:
    """Fill, then time each page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--years", type=float, default=3.0)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--cold", type=int, default=5, help="rounds of write-then-read")
    args = parser.parse_args()
    today = date(2025, 6, 14)
    nights = round(args.years * 365.25)
    now = to_utc(bedtime_on(today, datetime(2000, 1, 1, 20, 30).time(), TZ))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=sqlite_url(Path(tmp) / "bench.db"), data_dir=Path(tmp))
        clock = [now]
        app = create_app(settings, clock=lambda: clock[0].astimezone(UTC))
        with TestClient(app, base_url=BASE_URL) as client:
            started = time.perf_counter()
            count = fill(app.state.bedside, today, nights)
            plan_finished_experiment(app.state.bedside, today, clock)
            print(f"filled {nights} nights, {count} rows in {time.perf_counter() - started:.1f} s")
            year_ago = (today - timedelta(days=365)).isoformat()
            pages = {
                "Tonight": "/",
                "History (14 nights)": "/history",
                "History (366 nights)": f"/history?from={year_ago}&to={today.isoformat()}",
                "Log dose": "/log/dose",
                "Morning diary": "/diary",
                "Diary night": f"/diary/{(today - timedelta(days=1)).isoformat()}",
                "Products": "/products",
                "Settings": "/settings",
                "Insights": "/insights",
                "Signals": "/signals",
                "Experiments": "/experiments",
                "API nights (14)": "/api/v1/nights",
                "API plan": "/api/v1/plan/tonight",
                "API insights": "/api/v1/insights",
                "API experiment analysis": "/api/v1/experiments/1/analysis",
                "Report (HTML)": "/report",
                "API report": "/api/v1/report",
                "API profile (cheapest)": "/api/v1/profile",
            }
            print(
                f"{'page':<24}{'median ms':>11}{'p95 ms':>9}{'p95 CPU ms':>12}"
                f"   ({args.requests} requests each)"
            )
            for name, url in pages.items():
                median, p95, cpu = measure(client, url, args.requests)
                print(f"{name:<24}{median:>11.1f}{p95:>9.1f}{cpu:>12.1f}")
            cold = measure_cold(
                client, {**cached_pages(today), "API profile": "/api/v1/profile"}, args.cold
            )
            print(f"\nfirst request after a write ({args.cold} rounds: log pain, read each once)")
            print(f"{'page':<24}{'median ms':>11}{'max ms':>9}{'median CPU ms':>15}")
            for name, samples in cold.items():
                wall, used = [w for w, _ in samples], [c for _, c in samples]
                print(
                    f"{name:<24}{statistics.median(wall):>11.1f}{max(wall):>9.1f}"
                    f"{statistics.median(used):>15.1f}"
                )


if __name__ == "__main__":
    main()
