"""The parent drains the child's pipe while it writes, so parsing and writing overlap."""

from __future__ import annotations

import os
import pickle
import threading

from bedside.importers import parallel


def _batch(n: int) -> tuple[object, ...]:
    rows = [("heart_rate", 1_700_000_000 + i, 60.0 + i % 40, "Watch") for i in range(n)]
    return ("batch", n, rows)


def test_the_child_can_run_ahead_while_the_parent_is_busy() -> None:
    """Far more batches than a pipe holds, and than the unpickled queue holds, are written
    before anything is consumed (the parent creating a new database meanwhile)."""
    read_end, write_end = os.pipe()
    ahead = parallel.AHEAD + parallel.RAW_AHEAD // 2
    messages = [_batch(8_000) for _ in range(ahead)] + [("done", {}, [])]
    assert sum(len(pickle.dumps(m)) for m in messages) > 4 * 65_536
    with os.fdopen(read_end, "rb") as stream, os.fdopen(write_end, "wb") as out:
        reader = parallel._ReadAhead(stream)
        written = threading.Event()

        def child() -> None:
            for message in messages:
                parallel.write_message(out, message, last=message[0] != "batch")
            out.flush()
            written.set()

        writer = threading.Thread(target=child, daemon=True)
        writer.start()
        # Nothing consumed yet: without the reader thread the writer blocks on a full pipe.
        assert written.wait(timeout=20)
        received = list(reader.messages())
        reader.join()
    assert received == messages


def test_a_consumer_that_stops_early_ends_the_reader() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as stream:
        reader = parallel._ReadAhead(stream)
        with os.fdopen(write_end, "wb") as out:
            for _ in range(parallel.AHEAD + 3):
                parallel.write_message(out, _batch(10))
            out.flush()
            first = next(reader.messages())
            reader.stop()
        # The write end is closed (the child ended): the reader stops at once.
        reader.join()
    assert first[0] == "batch"


def test_a_broken_pipe_ends_the_messages() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as stream:
        reader = parallel._ReadAhead(stream)
        with os.fdopen(write_end, "wb") as out:
            parallel.write_message(out, _batch(3))
            out.write(b"B\xff\xff")  # a frame cut off by the child's end
        assert [m[0] for m in reader.messages()] == ["batch", "stopped"]
        reader.join()
