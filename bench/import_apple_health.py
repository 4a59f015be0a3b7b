"""Apple Health import, side by side: Bedside, healthkit-to-sqlite and the bare parse floor.

On the same export file, each run of each tool is a fresh child process (peak RSS from
``os.wait4``) writing into a fresh database; the three tools are interleaved run by run so
that background load hits them alike. Prints the median wall time and peak RSS of each and
the two ratios the targets are about::

    bedside vs healthkit-to-sqlite   (target: at least 4x faster)
    bedside vs the bare parse floor  (target: within 1.6x, peak memory at most 120 MB)

Usage::

    python bench/import_apple_health.py --size 1GB            # generates /tmp/bedside-bench/…
    python bench/import_apple_health.py --file /tmp/export1g.xml --runs 3
    python bench/import_apple_health.py --file /tmp/export1g.xml --no-peer   # skip the peer
    python bench/import_apple_health.py --file … --bytecode-cache   # as an installed Bedside

healthkit-to-sqlite (the widely used importer) is installed from PyPI into its own virtual
environment (``bench/.venv-peer``, created on first use) so it never mixes with Bedside's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEER_PACKAGE = "healthkit-to-sqlite"
FLOOR = (
    "import sys; sys.path.insert(0, {bench!r}); from pathlib import Path; "
    "from parse_floor import floor_pass; print(floor_pass(Path(sys.argv[1])))"
)


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``cmd`` to completion; return (wall seconds, peak memory in MB of its process tree).

    The tree's memory (the process and any children it starts, summed as PSS) is sampled
    every 20 ms from /proc; the kernel's own peak RSS for the top process (``os.wait4``) is
    taken too, and the larger of the two is reported.
    """
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], tree_rss_mb(process.pid))

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    watcher.join()
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{stderr[-2000:]}")
    return wall, max(peak[0], usage.ru_maxrss / 1024)


def tree_rss_mb(pid: int) -> float:
    """Memory of ``pid`` and all its descendants, in MB (0 once it has exited).

    Each process counts its proportional set size (PSS, from ``smaps_rollup``): pages shared
    between a parent and its forked child are split between them instead of being counted
    twice, so the sum is the physical memory the tree really uses.
    """
    total_kb = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
        stack.extend(int(child) for child in children)
    return total_kb / 1024


def peer_executable(venv: Path) -> Path:
    """healthkit-to-sqlite in its own virtual environment (installed on first use)."""
    exe = venv / "bin" / "healthkit-to-sqlite"
    if not exe.exists():
        print(f"installing {PEER_PACKAGE} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", PEER_PACKAGE],
            check=True,
        )
    return exe


def export_file(args: argparse.Namespace) -> Path:
    """The export to measure: the given file, or a generated one of ``--size``."""
    if args.file:
        return Path(args.file)
    out = Path(tempfile.gettempdir()) / "bedside-bench" / f"export-{args.size}.xml"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {out} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "make_apple_export.py"),
                "--size",
                args.size,
                "--out",
                str(out),
            ],
            check=True,
        )
    return out


def commands(path: Path, peer: Path | None, work: Path, run: int) -> dict[str, list[str]]:
    """The command lines for one run, each writing into a fresh database (no peer: two)."""
    xml = path.suffix != ".zip"
    peer_cmd = [
        str(peer),
        "--silent",
        *(["--xml"] if xml else []),
        str(path),
        str(work / f"peer-{run}.db"),
    ]
    tools = {
        "parse floor": [sys.executable, "-c", FLOOR.format(bench=str(BENCH)), str(path)],
        "bedside import": [
            sys.executable,
            "-m",
            "bedside",
            "--db",
            str(work / f"bedside-{run}.db"),
            "import",
            "apple-health",
            str(path),
            "--json",
        ],
    }
    if peer is not None:
        tools["healthkit-to-sqlite"] = peer_cmd
    return tools


def main() -> None:
    """Measure, then print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", help="an export.xml or export.zip to use")
    parser.add_argument("--size", default="1GB", help="size to generate when no --file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-venv", type=Path, default=BENCH / ".venv-peer")
    parser.add_argument(
        "--no-peer",
        action="store_true",
        help="skip healthkit-to-sqlite (not installed, or too slow for a quick look)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="run Bedside from compiled bytecode (cached under /tmp), as an installed Bedside "
        "does: the floor's lxml and the peer are installed packages and never compile",
    )
    args = parser.parse_args()
    path = export_file(args)
    peer = None if args.no_peer else peer_executable(args.peer_venv)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if args.bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "bedside-bench-pycache")
        compile_all = [sys.executable, "-m", "compileall", "-q", str(ROOT / "src")]
        subprocess.run(compile_all, env=env, check=True)
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bedside-bench-") as tmp:
        work = Path(tmp)
        env["BEDSIDE_DATA_DIR"] = str(work / "data")
        for run in range(args.runs):
            for name, cmd in commands(path, peer, work, run).items():
                wall, rss = run_measured(cmd, env)
                results.setdefault(name, []).append((wall, rss))
                print(f"run {run + 1}: {name:<20} {wall:8.1f} s  {rss:7.0f} MB", flush=True)
                for db in work.glob("*.db*"):
                    db.unlink()
    report(path, results, args.json)


def report(path: Path, results: dict[str, list[tuple[float, float]]], as_json: bool) -> None:
    """Median wall time and peak RSS per tool, and the ratios."""
    size_mb = path.stat().st_size / 1e6
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(r for _, r in runs))
        for name, runs in results.items()
    }
    print(f"\n{path.name}: {size_mb:,.0f} MB, medians of {len(next(iter(results.values())))} runs")
    print(f"{'tool':<22}{'wall s':>10}{'peak MB':>14}")
    for name, (wall, rss) in medians.items():
        print(f"{name:<22}{wall:>10.1f}{rss:>14.0f}")
    ours = medians["bedside import"][0]
    peer = medians.get("healthkit-to-sqlite")
    speedup = peer[0] / ours if peer else None
    to_floor = ours / medians["parse floor"][0]
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) at the end")
    if speedup is not None:
        print(f"\nbedside is {speedup:.1f}x faster than healthkit-to-sqlite (target >= 4x)")
    else:
        print("\nhealthkit-to-sqlite skipped (--no-peer)")
    print(f"bedside takes {to_floor:.2f}x the bare parse (target <= 1.6x)")
    print(f"bedside peak memory {medians['bedside import'][1]:.0f} MB (target <= 120 MB)")
    if as_json:
        print(
            json.dumps(
                {
                    "file_mb": size_mb,
                    "medians": medians,
                    "speedup_vs_peer": speedup,
                    "ratio_to_floor": to_floor,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
