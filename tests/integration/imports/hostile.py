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


def apple_export(path: Path, samples: int) -> Path:
    """An Apple Health export: one night of sleep records first, then ``samples`` heart rates.

    The heart rates are one a second from 2024-01-01, so they cover many nights.
    """
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
        ' <ExportDate value="2024-03-01 08:00:00 +0000"/>\n'
    )
    sleep = (
        ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" '
        'startDate="2023-12-31 {0}:00 +0000" endDate="2023-12-31 {1}:00 +0000" '
        'value="HKCategoryValueSleepAnalysisAsleepCore"/>\n'
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        out.write(sleep.format("22:00", "23:30"))
        out.write(sleep.format("23:30", "23:59"))
        start = 1_704_067_200  # 2024-01-01T00:00:00Z
        lines = []
        for i in range(samples):
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + i))
            lines.append(
                f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" '
                f'unit="count/min" startDate="{stamp} +0000" endDate="{stamp} +0000" '
                f'value="{50 + i % 40}"/>\n'
            )
            if len(lines) == 50_000:
                out.write("".join(lines))
                lines = []
        out.write("".join(lines))
        out.write("</HealthData>\n")
    return path


def start_import(database: str, path: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    """``bedside import apple-health PATH`` in its own process (as a second terminal would)."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BEDSIDE_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "bedside", "--db", database, "import", "apple-health", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environ,
    )
