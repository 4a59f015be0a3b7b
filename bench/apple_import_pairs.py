"""Apple Health import: two source trees (before/after a change) run in interleaved pairs.

Each run is a fresh ``python -m bedside import apple-health`` into a fresh database under
/tmp; wall time, CPU time (the process and its parsing child, from ``os.wait4``) and peak RSS
of the top process are printed per run, then the medians and the after/before ratios. The
parse floor (``bench/parse_floor.py``) runs in each pair too, so each tree's figure can be
read against the floor measured under the same load::

    python bench/apple_import_pairs.py /tmp/ex200.xml --before /tmp/old/src --after src --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FLOOR = (
    "import sys; sys.path.insert(0, {bench!r}); from pathlib import Path; "
    "from parse_floor import floor_pass; floor_pass(Path(sys.argv[1]))"
)


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``cmd``; (wall s, CPU s of it and its waited-for children, peak RSS MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        assert process.stderr is not None
        sys.exit(f"failed: {' '.join(cmd)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    """Measure, print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a src/ tree")
    parser.add_argument("--after", type=Path, required=True, help="a src/ tree")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float, float]]] = {"floor": [], "before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="bedside-pairs-") as tmp:
        for run in range(args.runs):
            floor_cmd = [sys.executable, "-c", FLOOR.format(bench=str(BENCH)), str(args.file)]
            results["floor"].append(measure(floor_cmd, dict(os.environ)))
            order = ("before", "after") if run % 2 == 0 else ("after", "before")
            for name in order:
                tree = getattr(args, name).resolve()
                env = dict(os.environ, PYTHONPATH=str(tree))
                db = Path(tmp) / f"{name}-{run}.db"
                cmd = [sys.executable, "-m", "bedside", "--db", str(db), "import"]
                cmd += ["apple-health", str(args.file), "--json"]
                results[name].append(measure(cmd, env))
            line = "  ".join(
                f"{name} {r[-1][0]:.2f}s wall {r[-1][1]:.2f}s CPU {r[-1][2]:.0f} MB"
                for name, r in results.items()
            )
            print(f"run {run + 1}: {line}  (load {os.getloadavg()[0]:.1f})", flush=True)
    med = {
        name: [statistics.median(x[i] for x in r) for i in range(3)] for name, r in results.items()
    }
    for name, (wall, cpu, rss) in med.items():
        print(f"{name:7s} median wall {wall:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MB", end="")
        if name != "floor":
            print(f"  -> {wall / med['floor'][0]:.2f}x the floor's wall", end="")
        print()
    ratios = [a[0] / b[0] for a, b in zip(results["after"], results["before"], strict=True)]
    print("after/before wall per pair: " + ", ".join(f"{r:.2f}" for r in ratios))


if __name__ == "__main__":
    main()
