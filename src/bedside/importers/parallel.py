"""Parse in a second process while the first one writes: both cores of a small machine busy.

:func:`stream_batches` runs an importer in a child process and streams its records back
through a pipe in batches, so parsing (the child) and database writes (the parent) overlap.
Heart-rate-like samples, the bulk of an export, are built in the child as plain tuples
``(kind, epoch_seconds, value, source_name)`` (:data:`SampleRow`, no object and no datetime
per sample) and cross the pipe as such, which pickles several times faster than dataclasses;
every other record crosses as itself. The parent receives whole batches and hands each to the
writer in one call, so nothing is done per sample in Python on its side but building the row.

The child is a fresh interpreter (``python -m bedside.importers.parallel``), not a fork, so
it does not carry a copy of the parent's heap: the two together stay well under the memory
of one process that did both jobs. Files smaller than :data:`PARALLEL_MIN_BYTES` are read in
this process, where starting a second interpreter would cost more than it saves; the caller
sees the same batches either way (samples as records then). Errors in the child come back as
:class:`ImportFileError` with the same file, line and offset.

Reader threads in the parent empty the pipe into short queues (:class:`_ReadAhead`) while
the parent writes: without them the child stalled whenever the parent was inside a
database write, a commit or the pause after one (a pipe holds 64 KiB, a batch about 200 KiB),
so parsing and writing took turns instead of overlapping. SQLite releases the GIL while it
writes, so the threads get to read then; the queues bound the memory the child can run ahead.
"""

from __future__ import annotations

import pickle
import queue
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bedside.importers.base import (
    Batch,
    BatchImporter,
    Importer,
    ImportFileError,
    ImportStats,
    Progress,
    Record,
    SampleRow,
)

BATCH = 8_000
#: Unpickled batches waiting for the writer (about 1.5 MB of samples each).
AHEAD = 2
#: Pickled batches waiting to be unpickled (about 200 KiB each): the child's head room.
RAW_AHEAD = 16
#: The pipe's capacity asked for (Linux's limit for unprivileged processes by default).
PIPE_BYTES = 1 << 20
#: A frame on the pipe: one byte (more frames follow or not), eight of length, the pickle.
FRAME_HEAD = 9
MORE_FRAMES, LAST_FRAME = b"B", b"E"
#: Below this size (unpacked, for a zip) a file is parsed in this process (a child costs
#: ~0.3 s to start).
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
#: Sources parsed in a child: Apple's XML, where parsing is the bottleneck. The other
#: sources' files are few rows; a second interpreter would only add its ~60 MB to the peak.
PARALLEL_SOURCES = frozenset({"apple-health"})
__all__ = ["Batch", "ChildParse", "SampleRow", "stream_batches"]


class ChildParse:
    """A child process parsing ``path`` with the importer ``name``, and its read-ahead thread.

    Started by :func:`stream_batches`, or earlier with :meth:`head_start` so the child parses
    while this process is still starting (loading the app, bringing a new database's schema
    up to date), which is about a second a large import would otherwise wait.
    """

    def __init__(self, name: str, path: Path, zone: str | None) -> None:
        self.key = (name, path, zone)
        command = [sys.executable, "-m", "bedside.importers.parallel", name, str(path)]
        if zone:
            command.append(zone)
        # Our own interpreter and module; the path is passed as an argument, never to a shell.
        self.child = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        assert self.child.stdout is not None
        _widen_pipe(self.child.stdout)
        self.reader = _ReadAhead(self.child.stdout)

    @classmethod
    def head_start(cls, name: str | None, path: Path) -> ChildParse | None:
        """Start parsing ``path`` now if :func:`stream_batches` will want a child for it.

        Only for a named source that is parsed in a child and a file large enough; never
        raises (whatever is wrong with the file is reported by the import itself).
        """
        if name not in PARALLEL_SOURCES or not _large(path):
            return None
        try:
            return cls(name, path, None)
        except OSError:
            return None

    def close(self) -> None:
        """End the child (if still running) and the reader thread."""
        self.reader.stop()
        if self.child.poll() is None:
            self.child.terminate()
        self.reader.join()
        assert self.child.stdout is not None
        self.child.stdout.close()
        self.child.wait()


def _widen_pipe(stream: IO[bytes]) -> None:
    """Let the pipe hold several batches (Linux: up to 1 MiB without privileges).

    A pipe holds 64 KiB, less than one batch, so the child waited at every batch until the
    reader thread got the GIL back from the writer to empty it (up to a 5 ms switch
    interval, several times a batch). Elsewhere, or if refused, the pipe stays as it is.
    """
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _large(path: Path) -> bool:
    """At least :data:`PARALLEL_MIN_BYTES` to parse: for a zip, its largest member unpacked.

    An ``export.zip`` compresses about 20 times, so its own size would keep a 500 MB export
    in one process.
    """
    try:
        if not path.is_file():
            return False
        size = path.stat().st_size
        if size < PARALLEL_MIN_BYTES and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                size = max((info.file_size for info in archive.infolist()), default=0)
        return size >= PARALLEL_MIN_BYTES
    except (OSError, zipfile.BadZipFile):
        return False


def stream_batches(
    importer: Importer,
    path: Path,
    progress: Progress | None,
    stats: ImportStats,
    local_batch: int = 512,
    started: ChildParse | None = None,
) -> Iterator[Batch]:
    """The importer's records in batches, parsed in a child process for large files.

    A file read in this process comes in batches of ``local_batch`` records; from a child,
    in batches of :data:`BATCH`. ``started`` is a child from :meth:`ChildParse.head_start`,
    used when it parses this very file with this importer (the caller closes it).
    """
    if not _large(path) or importer.name not in PARALLEL_SOURCES:
        yield from _local_batches(importer.iter_records(path, progress, stats), local_batch)
        return
    zone = getattr(importer, "zone", None)
    if started is not None and started.key == (importer.name, path, zone):
        yield from _receive(started.reader.messages(), path, progress, stats)
        return
    child = ChildParse(importer.name, path, zone)
    try:
        yield from _receive(child.reader.messages(), path, progress, stats)
    finally:
        child.close()


def _local_batches(records: Iterator[Record], size: int) -> Iterator[Batch]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield [], batch
            batch = []
    yield [], batch


def _receive(
    messages: Iterator[tuple[Any, ...]],
    path: Path,
    progress: Progress | None,
    stats: ImportStats,
) -> Iterator[Batch]:
    for message in messages:
        tag = message[0]
        if tag == "batch":
            _, position, rows, records = message
            if progress is not None:
                progress(position)
            yield rows, records
        elif tag == "done":
            _, ignored, notes = message
            stats.ignored.update(ignored)
            stats.notes.extend(notes)
            return
        elif tag == "error":
            _, file, text, line, offset = message
            raise ImportFileError(file, text, line=line, offset=offset)
        else:
            raise ImportFileError(path, "the reading process stopped unexpectedly")


class _ReadAhead:
    """Two threads that take the child's messages off the pipe ahead of the writer.

    One reads whole frames (still pickled, about 200 KiB a batch) into a queue of up to
    :data:`RAW_AHEAD`; the other unpickles them into a queue of up to :data:`AHEAD`. The
    pickled backlog is what lets the child keep parsing while this process is busy for a
    while (creating a new database, a commit and the pause after it) at a few MB, where as
    many unpickled batches would hold ten times that. Unpickling stays off the writer's
    thread, so it runs while SQLite writes without the GIL.

    The messages end after the first one that is not a batch (``done``, ``error``), or with
    ``("stopped",)`` when the pipe breaks. After :meth:`stop` the threads end as soon as the
    child's pipe gives them something or reaches its end (the caller ends the child first).
    """

    STOPPED: tuple[Any, ...] = ("stopped",)

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._frames: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue(maxsize=RAW_AHEAD)
        self._queue: queue.Queue[tuple[Any, ...]] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._read, name="bedside-import-reader", daemon=True),
            threading.Thread(target=self._decode, name="bedside-import-decoder", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def messages(self) -> Iterator[tuple[Any, ...]]:
        """The messages in the order the child sent them."""
        while True:
            message = self._queue.get()
            yield message
            if message[0] != "batch":
                return

    def stop(self) -> None:
        """Ask the threads to stop handing messages over."""
        self._stop.set()

    def join(self) -> None:
        """Wait for the threads (after the child has ended or sent its last message)."""
        for thread in self._threads:
            thread.join()

    def _read(self) -> None:
        while True:
            try:
                head = self._stream.read(FRAME_HEAD)
                size = int.from_bytes(head[1:], "little")
                body = self._stream.read(size) if len(head) == FRAME_HEAD else b""
            except (OSError, ValueError):
                head, body, size = b"", b"", 1
            if len(head) < FRAME_HEAD or len(body) != size:
                self._put(self._frames, None)
                return
            kind = head[:1]
            if not self._put(self._frames, (kind, body)) or kind == LAST_FRAME:
                return

    def _decode(self) -> None:
        while not self._stop.is_set():
            try:
                frame = self._frames.get(timeout=0.05)
            except queue.Empty:
                continue
            try:
                message = self.STOPPED if frame is None else pickle.loads(frame[1])  # noqa: S301 - our own child, our own pipe
            except (pickle.UnpicklingError, EOFError, ValueError):
                message = self.STOPPED
            if not self._put(self._queue, message) or message[0] != "batch":
                return

    def _put(self, into: queue.Queue[Any], item: Any) -> bool:
        while not self._stop.is_set():
            try:
                into.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


def write_message(out: IO[bytes], message: tuple[Any, ...], last: bool = False) -> None:
    """Write one message as a frame :class:`_ReadAhead` reads (``last``: no more follow)."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    kind = LAST_FRAME if last else MORE_FRAMES
    out.write(kind + len(body).to_bytes(FRAME_HEAD - 1, "little"))
    out.write(body)


def child_main(argv: list[str], out: IO[bytes]) -> None:
    """The child: parse ``argv = [source, path, zone?]`` and pickle batches onto ``out``."""
    from bedside.importers.registry import get_importer

    name, path = argv[0], Path(argv[1])
    importer = get_importer(name, zone=argv[2] if len(argv) > 2 else None)
    stats = ImportStats()
    position = [0]

    def on_bytes(done: int) -> None:
        position[0] = done

    def send(message: tuple[Any, ...], last: bool = False) -> None:
        write_message(out, message, last)

    try:
        for rows, records in _child_batches(importer, path, on_bytes, stats):
            send(("batch", position[0], rows, records))
        send(("done", dict(stats.ignored), list(stats.notes)), last=True)
    except ImportFileError as exc:
        send(("error", exc.path, exc.reason, exc.line, exc.offset), last=True)
    except Exception as exc:
        send(("error", str(path), f"could not be read ({type(exc).__name__})", None, None), True)
    out.flush()


def _child_batches(
    importer: Importer, path: Path, progress: Progress, stats: ImportStats
) -> Iterator[Batch]:
    """Batches of :data:`BATCH` records, samples as rows (built as rows when it can)."""
    if isinstance(importer, BatchImporter):
        yield from importer.iter_batches(path, progress, stats, BATCH)
        return
    yield from _local_batches(importer.iter_records(path, progress, stats), BATCH)


if __name__ == "__main__":
    child_main(sys.argv[1:], sys.stdout.buffer)
