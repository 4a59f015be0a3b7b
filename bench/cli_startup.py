"""How long logging commands take against a bare start-up, side by side in one run.

The baseline is ``python -c "import sqlalchemy.orm, pydantic"``: the least any command that
writes a validated row through the ORM can cost. Each round runs the baseline and then each
logging command in a fresh process against one SQLite database (set up with ``bedside init``
first), interleaved so background load hits them alike. Prints the median wall time and the
median CPU time (user + system) of each, and each command's ratio to the baseline (target:
within 1.6x).

With ``PYTHONDONTWRITEBYTECODE`` set (as in some development set-ups) every run compiles
each Bedside module it imports from source, a cost the baseline (whose libraries are
compiled already) does not pay and an installed Bedside does not either (pip writes the
``.pyc`` files at install). ``--bytecode-cache`` measures the installed way: the children
get a bytecode cache under /tmp (``PYTHONPYCACHEPREFIX``). Every command (and the
baseline) runs once before the rounds, to warm the caches either way.

    .venv/bin/python bench/cli_startup.py --rounds 15

Generated data goes to /tmp (``--out``), never into the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASELINE = ("bare start-up", ["-c", "import sqlalchemy.orm, pydantic"])
COMMANDS = (
    ("bedside dose add", ["dose", "add", "--amount", "2"]),
    ("bedside pain add", ["pain", "add", "--score", "3"]),
    ("bedside intake add", ["intake", "add", "--kind", "caffeine", "--amount", "95"]),
    ("bedside dose list --json", ["dose", "list", "--json"]),
)


def child_env(out: Path, bytecode_cache: bool) -> dict[str, str]:
    """The children's environment: with a bytecode cache next to ``out`` unless told not to."""
    env = dict(os.environ)
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(out.parent / (out.name + "-pycache"))
    return env


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process running ``python args``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        err = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    """Set up the database, run the rounds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bedside-cli-startup.db"))
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="run from compiled bytecode (cached under /tmp), as an installed Bedside does",
    )
    parser.add_argument(
        "--years",
        type=float,
        default=0.0,
        help="log into a database that already holds this many years of nights, up to "
        "yesterday (as bench/analyze_speed.py fills them); 0: a new, empty one",
    )
    args = parser.parse_args()
    for leftover in args.out.parent.glob(args.out.name + "*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    env = child_env(args.out, args.bytecode_cache)
    cli = ["-m", "bedside", "--db", str(args.out)]
    if args.years:
        sys.path.insert(0, str(Path(__file__).parent))
        from analyze_speed import build

        rows, _ = build(args.out, args.years, seed=1, last=date.today() - timedelta(days=1))
        print(f"history: {args.years:g} years, {rows:,} rows")
    else:
        subprocess.run([sys.executable, *cli, "init", "--yes", "--timezone", "UTC"],
                       check=True, stdout=subprocess.DEVNULL, env=env)  # fmt: skip
    for _, command in (BASELINE, *COMMANDS):  # warm-up (and the bytecode cache when asked)
        timed([*([] if command is BASELINE[1] else cli), *command], env)
    runs: dict[str, list[tuple[float, float]]] = {BASELINE[0]: []}
    runs.update({name: [] for name, _ in COMMANDS})
    for _ in range(args.rounds):
        runs[BASELINE[0]].append(timed(BASELINE[1], env))
        for name, command in COMMANDS:
            runs[name].append(timed([*cli, *command], env))
    load = os.getloadavg()
    cache = "bytecode cache" if args.bytecode_cache else "no bytecode cache"
    print(f"{args.rounds} rounds, {cache}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    base_wall = statistics.median(w for w, _ in runs[BASELINE[0]])
    base_cpu = statistics.median(c for _, c in runs[BASELINE[0]])
    print(f"{'command':<28} {'wall':>8} {'CPU':>8} {'wall ratio':>11} {'CPU ratio':>10}")
    for name, times in runs.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        print(f"{name:<28} {wall:7.3f}s {cpu:7.3f}s {wall / base_wall:10.2f}x "
              f"{cpu / base_cpu:9.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
