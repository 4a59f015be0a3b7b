"""How long rebuilding the wearable nights takes after an Apple Health import, and its results.

After an import has written every record, Bedside rebuilds the nights the import touched
(``recompute_nights``); on a big export this sits on the import's critical path. This bench
builds (once) a SQLite database from an Apple Health export, then times
``recompute_all_nights`` in-process N times (CPU and wall; each run in its own transaction,
rolled back so every run starts from the same database) and prints the medians::

    python bench/nights_recompute.py --file /tmp/export.xml --runs 7
    python bench/nights_recompute.py --file /tmp/export.xml --save /tmp/nights-before.json
    python bench/nights_recompute.py --file /tmp/export.xml --check /tmp/nights-before.json
    python bench/nights_recompute.py --file /tmp/export.xml --against /tmp/base/src --runs 5

``--save`` writes every rebuilt ``sleep_nights`` row (all columns but the id) as JSON, and
``--check`` compares the rebuilt rows with such a file, exactly (floats by their repr), and
exits with status 1 on any difference. ``--against SRC`` times another checkout's code (its
``src`` folder) side by side: each round runs one child process of each, interleaved, so
background load hits both alike, and prints both medians and their ratio.

The database and its data folder go to /tmp (``--db``, default /tmp/bedside-bench/), never
into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
SRC = HERE.parent.parent / "src"


class _UndoError(Exception):
    """Raised inside a scope to undo the recompute, so every run starts from the same data."""


def build(export: Path, db: Path) -> None:
    """Import ``export`` into a new SQLite database at ``db`` (skipped when it exists)."""
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(db.parent / "data")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "bedside", "--db", str(db), "import", "apple-health"]
    print(f"building {db} from {export} ...", flush=True)
    subprocess.run([*cmd, str(export)], env=env, check=True, stdout=subprocess.DEVNULL)


def dump(session: Any) -> list[dict[str, Any]]:
    """Every ``sleep_nights`` row (without its id), in a stable order, as plain JSON values."""
    from sqlalchemy import select

    from bedside.storage.wearables import SleepNightRow

    table = SleepNightRow.__table__
    columns = [c for c in table.columns if c.name != "id"]
    order = [table.c.user_id, table.c.night, table.c.source, table.c.source_name]
    query = select(*columns).order_by(*order, table.c.session_start, table.c.is_main)
    return [
        {c.name: _plain(value) for c, value in zip(columns, row, strict=True)}
        for row in session.execute(query)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)  # exact: the comparison must not round
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def measure(db: Path, runs: int, keep: bool) -> tuple[list[float], list[float], list[Any], int]:
    """Run the recompute ``runs`` times; (CPU seconds, wall seconds, rows of the last, nights)."""
    from bedside.services.runtime import Bedside
    from bedside.services.sleep_nights import recompute_all_nights
    from bedside.settings import load_settings

    os.environ.setdefault("BEDSIDE_DATA_DIR", str(db.parent / "data"))
    app = Bedside(load_settings(db=str(db))).start()
    cpu: list[float] = []
    wall: list[float] = []
    rows: list[Any] = []
    written = 0
    for _ in range(runs):
        try:
            with app.scope() as scope:
                c0, w0 = time.process_time(), time.perf_counter()
                written = recompute_all_nights(scope)
                scope.session.flush()
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                if keep:
                    rows = dump(scope.session)
                raise _UndoError
        except _UndoError:
            pass
    app.close()
    return cpu, wall, rows, written


def compare(rows: list[dict[str, Any]], reference: list[dict[str, Any]]) -> list[str]:
    """Human-readable differences between two dumps (empty when identical)."""
    problems = []
    if len(rows) != len(reference):
        problems.append(f"{len(rows)} rows, reference has {len(reference)}")
    for index, (mine, theirs) in enumerate(zip(rows, reference, strict=False)):
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key) != theirs.get(key):
                problems.append(f"row {index} ({mine.get('night')}) {key}: {mine.get(key)!r}")
                problems[-1] += f" != {theirs.get(key)!r}"
    return problems


def side_by_side(args: argparse.Namespace, db: Path) -> None:
    """Interleave child processes of this checkout and of ``--against``; print both medians."""
    figures: dict[str, dict[str, list[float]]] = {}
    labels = {"baseline": str(Path(args.against).resolve()), "this tree": str(SRC)}
    for _ in range(args.runs):
        for label, src in labels.items():
            env = {**os.environ, "PYTHONPATH": src}
            cmd = [sys.executable, str(HERE), "--file", args.file, "--db", str(db)]
            out = subprocess.run(
                [*cmd, "--runs", str(args.per_child), "--json"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.splitlines()[-1])
            mine = figures.setdefault(label, {"cpu": [], "wall": []})
            mine["cpu"] += result["cpu"]
            mine["wall"] += result["wall"]
    for label, result in figures.items():
        print(
            f"{label:10s} median CPU {statistics.median(result['cpu']):.3f} s, "
            f"wall {statistics.median(result['wall']):.3f} s  ({len(result['cpu'])} runs)"
        )
    before = statistics.median(figures["baseline"]["cpu"])
    after = statistics.median(figures["this tree"]["cpu"])
    print(f"CPU ratio baseline / this tree: {before / after:.2f}x")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> int:
    """Parse the arguments, build the database if needed, time, save or check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", required=True, help="an Apple Health export.xml or .zip")
    parser.add_argument("--db", help="SQLite file to build or reuse (default under /tmp)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-child", type=int, default=3, help="runs per child (--against)")
    parser.add_argument("--save", help="write the rebuilt rows to this JSON file")
    parser.add_argument("--check", help="compare the rebuilt rows with this JSON file")
    parser.add_argument("--against", help="another checkout's src folder to time side by side")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    export = Path(args.file)
    default = Path("/tmp/bedside-bench") / f"nights-{export.stem}.db"
    db = Path(args.db) if args.db else default
    build(export, db)
    if args.against:
        side_by_side(args, db)
        return 0
    keep = bool(args.save or args.check)
    cpu, wall, rows, written = measure(db, max(args.runs, 1), keep)
    if args.json:
        print(json.dumps({"cpu": cpu, "wall": wall, "nights": written}))
    else:
        print(f"{written} nights, {len(rows) if keep else '?'} rows, {len(cpu)} runs")
        print(f"median CPU {statistics.median(cpu):.3f} s, wall {statistics.median(wall):.3f} s")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.save:
        Path(args.save).write_text(json.dumps(rows, indent=0))
        print(f"saved {len(rows)} rows to {args.save}")
    if args.check:
        problems = compare(rows, json.loads(Path(args.check).read_text()))
        for line in problems[:20]:
            print(line)
        print("identical" if not problems else f"{len(problems)} differences")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
