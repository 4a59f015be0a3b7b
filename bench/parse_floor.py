"""The parse floor: a bare ``lxml.etree.iterparse`` pass that only counts ``Record`` elements.

This is the fastest a streaming Apple Health import can go with lxml; the importer's own
figures are compared with it. It clears every element as it goes and deletes processed
siblings, so memory stays flat however big the file is.

Usage::

    python bench/parse_floor.py /tmp/export.xml
    python bench/parse_floor.py /tmp/export.xml --importer   # also time Bedside's importer

``--importer`` runs ``bedside.importers.apple`` over the same file (every record built and
counted by type) and prints its time and the ratio to the floor. Peak RSS is read with
``resource.getrusage`` and is the peak of the whole process, so each pass is run in its own
child process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from lxml import etree


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_pass(path: Path) -> dict[str, float]:
    """Count ``Record`` elements with the cheapest constant-memory iterparse loop."""
    started = time.perf_counter()
    count = 0
    for _event, elem in etree.iterparse(
        str(path),
        events=("end",),
        tag="Record",
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=True,
    ):
        count += 1
        elem.clear(keep_tail=False)
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    return {"records": count, "seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()}


def importer_pass(path: Path) -> dict[str, float]:
    """Run Bedside's Apple Health importer over ``path``; count records by type."""
    from bedside.importers.apple import AppleHealthImporter
    from bedside.importers.base import ImportStats

    started = time.perf_counter()
    kinds: Counter[str] = Counter()
    stats = ImportStats()
    for record in AppleHealthImporter().iter_records(path, stats=stats):
        kinds[type(record).__name__] += 1
    result: dict[str, float] = {
        "records": sum(kinds.values()),
        "ignored": sum(stats.ignored.values()),
        "seconds": time.perf_counter() - started,
        "rss_mb": peak_rss_mb(),
    }
    for name, n in kinds.items():
        result[f"n_{name}"] = n
    return result


def run_child(path: Path, mode: str) -> dict[str, float]:
    """Run one pass in a fresh interpreter so its peak RSS is its own."""
    out = subprocess.run(
        [sys.executable, __file__, str(path), "--child", mode],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--importer", action="store_true", help="also time Bedside's importer")
    parser.add_argument("--child", choices=("floor", "importer"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = floor_pass(args.path) if args.child == "floor" else importer_pass(args.path)
        print(json.dumps(result))
        return 0
    size_mb = args.path.stat().st_size / 1e6
    floor = run_child(args.path, "floor")
    print(
        f"floor:    {int(floor['records']):,} Record elements in {floor['seconds']:.2f} s "
        f"({size_mb / floor['seconds']:.0f} MB/s), peak RSS {floor['rss_mb']:.0f} MB"
    )
    if args.importer:
        imp = run_child(args.path, "importer")
        kinds = ", ".join(f"{k[2:]} {int(v):,}" for k, v in sorted(imp.items()) if k[:2] == "n_")
        print(
            f"importer: {int(imp['records']):,} records ({kinds}; {int(imp['ignored']):,} "
            f"ignored) in {imp['seconds']:.2f} s, peak RSS {imp['rss_mb']:.0f} MB, "
            f"{imp['seconds'] / floor['seconds']:.2f}x the floor"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
