"""A full disk, simulated: SQLite files may not grow (``PRAGMA max_page_count``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

DISK_FULL_MESSAGE = "the disk is full; nothing was saved"


@contextmanager
def full_disk(pages: int | None = None) -> Iterator[None]:
    """Every SQLite connection opened meanwhile may not grow its file (or past ``pages``)."""

    def cap(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        size = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={max(size, pages or 0)}")
        cursor.close()

    event.listen(Engine, "connect", cap)
    try:
        yield
    finally:
        event.remove(Engine, "connect", cap)
