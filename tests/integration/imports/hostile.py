"""Hostile files built on the fly, and a peak-memory probe for the process tree of a command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[3]


def sleep_as_android_bomb(path: Path, unpacked: int = 512 << 20) -> Path:
    """A small zip whose ``sleep-export.csv`` unpacks to ``unpacked`` bytes of one row."""
    header = b"Id,Tz,From,To,Sched,Hours,Rating,Comment,Framerate,Snore,Noise,Cycles\n"
    block = (b"1," * 1023 + b"1\n") * 512
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("sleep-export.csv", "w", force_zip64=True) as member,
    ):
        member.write(header)
        for _ in range(unpacked // len(block)):
            member.write(block)
    return path


def tree_rss_kib(pid: int) -> int:
    """Resident memory (KiB) of ``pid`` and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_measured(args: list[str], env: dict[str, str]) -> tuple[int, str, int]:
    """Run ``python -m bedside ARGS``; returns exit code, stderr and peak tree RSS in MiB."""
    environ = {**os.environ, **env, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen(
        [sys.executable, "-m", "bedside", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss_kib(child.pid))
        time.sleep(0.02)
    _, stderr = child.communicate()
    return child.returncode, stderr.decode(), peak // 1024
