"""The parse floor: a bare ``lxml.etree.iterparse`` pass that only counts ``Record`` elements.

This is the fastest a streaming Apple Health import can go with lxml; the importer's own
figures are compared with it. It clears every element as it goes and deletes processed
siblings, so memory stays flat however big the file is.

Usage::

    python bench/parse_floor.py /tmp/export.xml
    python bench/parse_floor.py /tmp/export.xml --importer   # also time Bedside's importer

``--importer`` runs ``bedside.importers.apple`` over the same file (every record built and
counted by type) and prints its time and the ratio to the floor. Wall time and CPU time are
both shown; on a shared machine the CPU-time ratio is the steadier figure, and ``--repeat N``
keeps the best of N runs of each pass. Peak RSS is read with
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
import zipfile
from collections import Counter
from pathlib import Path
from typing import IO

from lxml import etree


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor_pass(path: Path) -> dict[str, float]:
    """Count ``Record`` elements with the cheapest constant-memory iterparse loop.

    A ``.zip`` is read as a stream from its ``…/export.xml`` member, as the importer does.
    """
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    source: str | IO[bytes] = str(path)
    if path.suffix == ".zip":
        archive = zipfile.ZipFile(path)
        source = archive.open(next(n for n in archive.namelist() if n.endswith("/export.xml")))
    for _event, elem in etree.iterparse(
        source,
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
    return {
        "records": count,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rss_mb": peak_rss_mb(),
    }


def importer_pass(path: Path) -> dict[str, float]:
    """Run Bedside's Apple Health importer over ``path``; count records by type."""
    from bedside.importers.apple import AppleHealthImporter
    from bedside.importers.base import ImportStats

    started, cpu = time.perf_counter(), time.process_time()
    kinds: Counter[str] = Counter()
    stats = ImportStats()
    for record in AppleHealthImporter().iter_records(path, stats=stats):
        kinds[type(record).__name__] += 1
    result: dict[str, float] = {
        "records": sum(kinds.values()),
        "ignored": sum(stats.ignored.values()),
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
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


def _xml_size(path: Path) -> int:
    """Size of the XML itself (uncompressed for a zip)."""
    if path.suffix != ".zip":
        return path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist() if i.filename.endswith("/export.xml"))


def _cpu(result: dict[str, float]) -> float:
    return result["cpu"]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--importer", action="store_true", help="also time Bedside's importer")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each pass (best is shown)")
    parser.add_argument("--child", choices=("floor", "importer"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = floor_pass(args.path) if args.child == "floor" else importer_pass(args.path)
        print(json.dumps(result))
        return 0
    size_mb = _xml_size(args.path) / 1e6
    floors, imps = [], []
    for _ in range(args.repeat):  # interleaved, so both passes see the same machine load
        floors.append(run_child(args.path, "floor"))
        if args.importer:
            imps.append(run_child(args.path, "importer"))
    floor = min(floors, key=_cpu)
    print(
        f"floor:    {int(floor['records']):,} Record elements in {floor['seconds']:.2f} s "
        f"(CPU {floor['cpu']:.2f} s, {size_mb / floor['seconds']:.0f} MB/s), "
        f"peak RSS {floor['rss_mb']:.0f} MB"
    )
    if imps:
        imp = min(imps, key=_cpu)
        kinds = ", ".join(f"{k[2:]} {int(v):,}" for k, v in sorted(imp.items()) if k[:2] == "n_")
        ratios = sorted(i["cpu"] / f["cpu"] for f, i in zip(floors, imps, strict=True))
        pairs = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"importer: {int(imp['records']):,} records ({kinds}; {int(imp['ignored']):,} "
            f"ignored) in {imp['seconds']:.2f} s (CPU {imp['cpu']:.2f} s), peak RSS "
            f"{imp['rss_mb']:.0f} MB: {imp['seconds'] / floor['seconds']:.2f}x the floor "
            f"(best CPU {imp['cpu'] / floor['cpu']:.2f}x; CPU ratio per pair: {pairs})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
