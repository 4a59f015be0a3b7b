"""Parse in a second process while the first one writes: both cores of a small machine busy.

:func:`stream_in_child` runs an importer in a child process and streams its records back
through a pipe in batches, so parsing (the child) and database writes (the parent) overlap.
Heart-rate-like samples, the bulk of an export, cross the pipe as plain tuples
``(kind, epoch_seconds, value, source_name)``, which pickle several times faster than
dataclasses; every other record crosses as itself.

The child is *spawned* (a fresh interpreter that imports only the importers), not forked, so
it does not carry a copy of the parent's heap: the two together stay well under the memory
of one process that did both jobs. Files smaller than :data:`PARALLEL_MIN_BYTES` are read in
this process, where starting a second interpreter would cost more than it saves; the caller
sees the same stream either way. Errors in the child come back as :class:`ImportFileError`
with the same file, line and offset.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bedside.importers.base import Importer, ImportFileError, ImportStats, Progress, Record, Sample

BATCH = 8_000
#: Below this size a file is parsed in this process (a child costs ~0.3 s to start).
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
SampleRow = tuple[str, int, float, str]
Item = Record | SampleRow


def stream_in_child(
    importer: Importer, path: Path, progress: Progress | None, stats: ImportStats
) -> Iterator[Item]:
    """The importer's records, parsed in a child process for large files."""
    if not path.is_file() or path.stat().st_size < PARALLEL_MIN_BYTES:
        yield from importer.iter_records(path, progress, stats)
        return
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(importer, path, sender), daemon=True)
    child.start()
    sender.close()
    try:
        yield from _receive(receiver, path, progress, stats)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _receive(
    receiver: Connection, path: Path, progress: Progress | None, stats: ImportStats
) -> Iterator[Item]:
    while True:
        try:
            message = receiver.recv()
        except EOFError:
            raise ImportFileError(path, "the reading process stopped unexpectedly") from None
        tag = message[0]
        if tag == "batch":
            _, position, items = message
            if progress is not None:
                progress(position)
            yield from items
        elif tag == "done":
            _, ignored, notes = message
            stats.ignored.update(ignored)
            stats.notes.extend(notes)
            return
        else:
            _, file, text, line, offset = message
            raise ImportFileError(file, text, line=line, offset=offset)


def _child_main(importer: Importer, path: Path, sender: Connection) -> None:
    """Runs in the child: parse, send batches, then the counters (or the error)."""
    stats = ImportStats()
    position = [0]

    def on_bytes(done: int) -> None:
        position[0] = done

    batch: list[Item] = []
    try:
        for item in _as_items(importer.iter_records(path, on_bytes, stats)):
            batch.append(item)
            if len(batch) >= BATCH:
                sender.send(("batch", position[0], batch))
                batch = []
        sender.send(("batch", position[0], batch))
        sender.send(("done", dict(stats.ignored), list(stats.notes)))
    except ImportFileError as exc:
        sender.send(("error", exc.path, exc.message, exc.line, exc.offset))
    except Exception as exc:
        sender.send(("error", str(path), f"could not be read ({type(exc).__name__})", None, None))
    finally:
        sender.close()


def _as_items(records: Iterator[Record]) -> Iterator[Item]:
    sample_type = Sample
    for record in records:
        if type(record) is sample_type:
            yield (record.kind, int(record.time.timestamp()), record.value, record.source_name)
        else:
            yield record


def is_sample_row(item: Any) -> bool:
    """True for the tuple form of a sample."""
    return type(item) is tuple
