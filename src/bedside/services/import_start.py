"""Start parsing a large export at once: the first step of an import, kept light to load.

The CLI calls :func:`head_start` before it loads the import service (SQLAlchemy, Pydantic,
the writers: about a third of a second), so the parsing child starts that much earlier and
parses while this process loads and opens the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bedside.importers.parallel import ChildParse


@contextmanager
def head_start(source: str | None, path: Path) -> Iterator[ChildParse | None]:
    """Start parsing a large export before the database is opened; pass the result to
    :func:`bedside.services.imports.import_file` inside the block. The parse is ended when
    the block ends, whatever happened (``None`` when the file is read in this process anyway).
    """
    started = ChildParse.head_start(source, path)
    try:
        yield started
    finally:
        if started is not None:
            started.close()
