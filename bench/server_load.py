"""Bedside as a study server under load: many participants, PostgreSQL, several workers.

Fills a database with ``--participants`` accounts, each with a profile and ``--days`` of
nightly data (a dose, the sleep diary, pain, soreness, workouts four days a week, caffeine),
creates a personal API token for each, then starts ``BEDSIDE_MODE=server bedside serve
--workers N`` on 127.0.0.1 (never another address) and lets ``--clients`` concurrent clients
run the two daily flows for ``--duration`` seconds, each time as a participant chosen at random:

* evening: the Tonight page (``GET /``), then log a dose (``POST /api/v1/doses``);
* morning: the morning diary page (``GET /diary``), then fill it in (``POST /api/v1/diary``,
  a night that has no entry yet).

Clients send ``Authorization: Bearer TOKEN`` (pages accept it as well as the session cookie),
so no one signs in 200 times with Argon2. After three seconds of warm-up (untimed) it prints
requests per second, the median and 95th percentile latency per request and per flow, the
error count (any other status than 200/201, or a failed connection; warm-up included) and
the CPU time per request of the server's workers, PostgreSQL and the client, which is
steadier than latency when other work shares the machine. Exit code 1 when there were errors.

The database is a throw-away PostgreSQL server started like the tests' one (``tests/pg.py``,
Debian's ``postgresql`` binaries), or ``--db URL`` (an empty database: SQLite or PostgreSQL).

    .venv/bin/python bench/server_load.py                 # 200 participants x 1 year, 60 s
    .venv/bin/python bench/server_load.py --quick         # 5 participants, 5 s (smoke test)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, make_url, select

from bedside.domain.timekeeping import clock_on_night, localize, to_utc, zone
from bedside.services import accounts, profiles
from bedside.services.runtime import Bedside
from bedside.settings import Settings, load_settings
from bedside.storage.models import DiaryEntry, Dose, Intake, PainEntry, SorenessEntry, User, Workout

HOST = "127.0.0.1"  # the load runs against this computer only
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
DIARY_VERSION = "csd-core-2012/waso-excludes-terminal"
PASSWORD = "a participant's long password"  # bench accounts on a throw-away database
EXPECTED = {"GET": 200, "POST": 201}
WARM_UP = 3.0
"""Seconds of flows before the measured run (not timed; their errors still count)."""
FLOWS = {
    "evening": ("Tonight page", "log a dose"),
    "morning": ("diary page", "fill in diary"),
}


@dataclass
class Participant:
    """A participant as the clients know them: token, time zone, the next night to fill in."""

    token: str
    tz: str
    next_diary: date


@dataclass
class Timings:
    """Latencies (ms) of one request kind or one flow, and its errors."""

    times: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self, seconds: float) -> dict[str, float | int]:
        """Count, rate, median and p95 (ms), errors."""
        ordered = sorted(self.times)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
        return {
            "count": len(ordered),
            "per_second": round(len(ordered) / seconds, 1),
            "median_ms": round(statistics.median(ordered), 1) if ordered else float("nan"),
            "p95_ms": round(p95, 1),
            "errors": self.errors,
        }


# --- the data -------------------------------------------------------------------------------


def at(night: date, clock: str, tz: str) -> datetime:
    """The UTC instant of HH:MM on ``night`` in ``tz`` (after midnight: the next day)."""
    hour, minute = (int(x) for x in clock.split(":"))
    naive = clock_on_night(datetime(2000, 1, 1, hour, minute).time(), night)
    try:
        return to_utc(localize(naive, zone(tz)))
    except Exception:  # a DST gap or overlap: take the first reading
        return to_utc(naive.replace(tzinfo=zone(tz)))


def night_rows(user: int, tz: str, night: date, i: int) -> dict[Any, list[dict[str, Any]]]:
    """One night of a participant's records, by table."""
    common = {"user_id": user, "tz": tz, "night": night}
    rows: dict[Any, list[dict[str, Any]]] = {
        Dose: [
            {
                **common,
                "taken_at": at(night, f"21:{30 + i % 20}", tz),
                "amount": 3.0,
                "unit": "g",
                "grams": 3.0,
                "reason": "pain",
                "pain_before": i % 8,
            }
        ],
        DiaryEntry: [
            {
                **common,
                "bedtime": at(night, "23:00", tz),
                "tried": at(night, "23:10", tz),
                "sol_min": 10 + i % 30,
                "awakenings": i % 3,
                "waso_min": 5 * (i % 3),
                "final_wake": at(night, "06:40", tz),
                "out_of_bed": at(night, "07:00", tz),
                "quality": 1 + i % 5,
                "rested": 1 + (i + 2) % 5,
                "definition_version": DIARY_VERSION,
            }
        ],
        PainEntry: [{**common, "at": at(night, "20:30", tz), "score": i % 11}],
        SorenessEntry: [
            {**common, "at": at(night, "20:35", tz), "muscle_group": "quads", "score": i % 11}
        ],
        Intake: [
            {
                **common,
                "at": at(night, "13:00", tz),
                "kind": "caffeine",
                "amount": 95.0,
                "unit": "mg",
            }
        ],
        Workout: [],
    }
    if i % 7 in (0, 2, 4, 5):
        rows[Workout].append(
            {
                **common,
                "start_at": at(night, "17:30", tz),
                "kind": "strength",
                "duration_min": 45.0,
                "rpe": 7,
                "muscle_groups": ["quads", "glutes"],
                "source": "manual",
            }
        )
    return rows


def populate(bedside: Bedside, count: int, days: int) -> list[Participant]:
    """Accounts, profiles, ``days`` nights of data and a token each; the participants."""
    now = datetime.now(UTC)
    stored_hash = accounts.hash_password(PASSWORD)  # one Argon2 hash (0.4 s), shared
    with bedside.accounts() as session:
        session.execute(
            insert(User),
            [
                {
                    "name": f"Participant {n}",
                    "email": f"p{n:03d}@study.example",
                    "password_hash": stored_hash,
                    "role": "participant",
                    "is_local": False,
                    "disabled": False,
                }
                for n in range(count)
            ],
        )
    with bedside.accounts() as session:
        query = select(User.email, User.id).where(User.email.is_not(None))
        ids = {str(email): int(user_id) for email, user_id in session.execute(query)}

        tokens = {
            email: accounts.create_token(session, email, "load bench", now).token for email in ids
        }
    people: list[Participant] = []
    for n, email in enumerate(sorted(ids)):
        tz = ZONES[n % len(ZONES)]
        last = now.astimezone(zone(tz)).date() - timedelta(days=1)
        with bedside.scope(ids[email]) as scope:
            profiles.set_profile(scope, {"timezone": tz, "bedtime": "23:00", "region": "US-TX"})
            rows: dict[Any, list[dict[str, Any]]] = {}
            for i in range(days):
                night = last - timedelta(days=i)
                for model, more in night_rows(ids[email], tz, night, i).items():
                    rows.setdefault(model, []).extend(more)
            for model, batch in rows.items():
                if batch:
                    scope.session.execute(insert(model), batch)
        people.append(Participant(tokens[email], tz, last - timedelta(days=days)))
    return people


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(settings: Settings, data_dir: Path, workers: int) -> Iterator[tuple[str, int]]:
    """``bedside serve --workers N`` in server mode on 127.0.0.1; yields its URL and pid."""
    port = free_port()
    env = {**os.environ, "BEDSIDE_MODE": "server", "BEDSIDE_DATA_DIR": str(data_dir)}
    env.pop("BEDSIDE_DATABASE_URL", None)
    command = [sys.executable, "-m", "bedside", "--db", settings.database_url, "serve"]
    command += ["--host", HOST, "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(  # its own process group: stopped with its workers below
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://{HOST}:{port}"
    try:
        _wait_until_serving(url, process)
        yield url, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until every worker answers (a 401 without credentials is an answer)."""
    deadline = time.monotonic() + timeout
    answered = 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise SystemExit(f"bedside serve stopped (exit {process.returncode}):\n{output}")
        try:
            if httpx.get(f"{url}/api/v1/session", timeout=2).status_code == 401:
                answered += 1
                if answered >= 5:
                    return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"bedside serve did not answer within {timeout:.0f} s")


# --- CPU time (Linux /proc), steadier than latency on a shared machine ----------------------


def _processes() -> dict[int, tuple[int, float, bytes]]:
    """Every process: parent pid, CPU seconds used (user + system) and command line."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[int, float, bytes]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        found[int(entry.name)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
            command,
        )
    return found


def _tree_cpu(processes: dict[int, tuple[int, float, bytes]], root: int | None) -> float | None:
    """CPU seconds of ``root`` and all its descendants (None when there is no such process)."""
    if root is None or root not in processes:
        return None
    members, grown = {root}, True
    while grown:
        more = {pid for pid, (ppid, _, _) in processes.items() if ppid in members} - members
        members |= more
        grown = bool(more)
    return sum(processes[pid][1] for pid in members)


def postmaster_of(url: str) -> int | None:
    """The pid of the PostgreSQL server at ``url`` on this computer, when it can be found."""
    port = make_url(url).port if url.startswith("postgresql") else None
    if port is None:
        return None
    wanted = f"\0-p\0{port}\0".encode()
    for pid, (_, _, command) in _processes().items():
        if (
            command.startswith(b"/")
            and b"postgres" in command.split(b"\0")[0]
            and wanted in command
        ):
            return pid
    return None


@dataclass
class CpuMeter:
    """CPU seconds used by the server's workers, the database server and this client."""

    server: int
    database: int | None

    def read(self) -> dict[str, float | None]:
        """CPU seconds used so far by each part."""
        processes = _processes() if Path("/proc/self/stat").exists() else {}
        return {
            "server": _tree_cpu(processes, self.server),
            "database": _tree_cpu(processes, self.database),
            "client": time.process_time(),
        }


# --- the load -------------------------------------------------------------------------------


Step = tuple[str, str, str, dict[str, Any] | None]
"""One request of a flow: method, name, path, JSON body."""


def flow_steps(flow: str, person: Participant) -> list[Step]:
    """The requests of one evening or morning of ``person``."""
    if flow == "evening":
        dose = {"amount": 2.0, "unit": "g", "time": "21:45", "reason": "pain", "pain_before": 4}
        return [
            ("GET", "Tonight page", "/", None),
            ("POST", "log a dose", "/api/v1/doses", dose),
        ]
    night = person.next_diary.isoformat()  # a night without a diary entry yet
    person.next_diary -= timedelta(days=1)
    diary = {
        "night": night,
        "bedtime": "23:05",
        "tried": "23:15",
        "sol_min": 20,
        "awakenings": 1,
        "waso_min": 10,
        "final_wake": "06:45",
        "out_of_bed": "07:05",
        "quality": 3,
        "rested": 3,
    }
    return [
        ("GET", "diary page", f"/diary?night={night}", None),
        ("POST", "fill in diary", "/api/v1/diary", diary),
    ]


async def client(
    http: httpx.AsyncClient,
    people: list[Participant],
    deadline: float,
    timings: dict[str, Timings],
    failures: list[str],
    seed: int,
) -> None:
    """Run flows as random participants until the deadline."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        person = rng.choice(people)
        flow = rng.choice(tuple(FLOWS))
        headers = {"authorization": f"Bearer {person.token}"}
        total, ok = 0.0, True
        for method, name, path, body in flow_steps(flow, person):
            started = time.perf_counter()
            try:
                response = await http.request(method, path, headers=headers, json=body)
                status: int | str = response.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            total += elapsed
            timings[name].times.append(elapsed)
            if status != EXPECTED[method]:
                ok = False
                timings[name].errors += 1
                failures.append(f"{method} {path}: {status}")
        timings[flow].times.append(total)
        timings[flow].errors += 0 if ok else 1


async def run_load(
    url: str, people: list[Participant], clients: int, duration: float, meter: CpuMeter
) -> dict[str, Any]:
    """``clients`` concurrent clients for ``duration`` seconds; the figures."""
    names = [name for steps in FLOWS.values() for name in steps]
    timings = {name: Timings() for name in [*FLOWS, *names]}
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        warm_up = {name: Timings() for name in timings}  # every worker loads its code first
        until = time.monotonic() + min(WARM_UP, duration)
        await asyncio.gather(
            *(client(http, people, until, warm_up, failures, -seed) for seed in range(clients))
        )
        cpu_before = meter.read()
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(
            *(client(http, people, deadline, timings, failures, seed) for seed in range(clients))
        )
        seconds = time.monotonic() - started
        cpu_after = meter.read()
    requests = sum(len(timings[name].times) for name in names)
    cpu_ms = {
        part: round(1000 * (after - before) / requests, 2)
        if after is not None and (before := cpu_before[part]) is not None and requests
        else None
        for part, after in cpu_after.items()
    }
    return {
        "seconds": round(seconds, 1),
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "errors": sum(timings[name].errors + warm_up[name].errors for name in names),
        "flows": {name: timings[name].summary(seconds) for name in FLOWS},
        "steps": {name: timings[name].summary(seconds) for name in names},
        "first_errors": failures[:5],
        "warm_up_flows": {name: len(warm_up[name].times) for name in FLOWS},
        "cpu_ms_per_request": cpu_ms,
        "load_average": round(os.getloadavg()[0], 1),
    }


# --- putting it together --------------------------------------------------------------------


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """The database URL: ``url`` as given, or a new throw-away PostgreSQL server's."""
    if url:
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.pg import create_database, postgres_server

    with postgres_server() as base:
        yield create_database(base, "bedside_load")


def report(figures: dict[str, Any], header: str) -> None:
    """Print the figures as a table."""
    print(header)
    print(
        f"{figures['requests']} requests in {figures['seconds']} s: "
        f"{figures['requests_per_second']} requests/s, {figures['errors']} errors"
    )
    print(
        f"{'flow / request':<22}{'count':>7}{'per s':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}"
    )
    for group in ("flows", "steps"):
        for name, row in figures[group].items():
            label = name if group == "flows" else f"  {name}"
            print(
                f"{label:<22}{row['count']:>7}{row['per_second']:>8}{row['median_ms']:>11}"
                f"{row['p95_ms']:>9}{row['errors']:>8}"
            )
    for line in figures["first_errors"]:
        print(f"error: {line}")
    steps = max((row["p95_ms"] for row in figures["steps"].values()), default=float("nan"))
    flows = max((row["p95_ms"] for row in figures["flows"].values()), default=float("nan"))
    verdict = "met" if figures["errors"] == 0 and steps < 200 else "missed"
    print(f"target (0 errors, p95 of each request < 200 ms): {verdict}; whole flows p95 {flows} ms")
    cpu = figures["cpu_ms_per_request"]
    if cpu["server"] is not None:
        parts = f"server workers {cpu['server']} ms, this client {cpu['client']} ms"
        if cpu["database"] is not None:
            parts += f", PostgreSQL {cpu['database']} ms"
        print(f"CPU per request: {parts}; load average {figures['load_average']}")
        busy = cpu["server"] + (cpu["database"] or 0.0)
        if busy > 0:
            cores = os.cpu_count() or 1
            print(
                f"so {cores} cores given to the server alone would serve about "
                f"{cores * 1000 / busy:.0f} requests/s (an estimate from CPU time)"
            )


def main(argv: list[str] | None = None) -> int:
    """Fill, serve, load; print the figures. Exit code 1 when any request failed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--db", help="an empty database URL (default: a throw-away PostgreSQL)")
    parser.add_argument("--quick", action="store_true", help="5 participants, 5 s (smoke test)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.duration = 5, 5.0
    if min(args.participants, args.days, args.clients, args.workers) < 1 or args.duration <= 0:
        parser.error("participants, days, clients, workers and duration must be positive")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bedside-load-")))
        url = stack.enter_context(database(args.db, folder))
        env = {"BEDSIDE_MODE": "server", "BEDSIDE_DATA_DIR": str(folder / "data")}
        settings = load_settings(db=url, environ=env)
        bedside = Bedside(settings).start()
        started = time.perf_counter()
        try:
            people = populate(bedside, args.participants, args.days)
        finally:
            bedside.close()
        filled = time.perf_counter() - started
        with server(settings, folder / "data", args.workers) as (base_url, pid):
            meter = CpuMeter(pid, postmaster_of(url))
            load = run_load(base_url, people, args.clients, args.duration, meter)
            figures = asyncio.run(load)
        kind = "SQLite" if settings.is_sqlite else "PostgreSQL"
        figures |= {
            "participants": args.participants,
            "days": args.days,
            "clients": args.clients,
            "workers": args.workers,
            "database": kind,
            "fill_seconds": round(filled, 1),
        }
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            report(
                figures,
                f"{args.participants} participants x {args.days} days on {kind} "
                f"(filled in {filled:.1f} s); {args.workers} workers, {args.clients} clients",
            )
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
