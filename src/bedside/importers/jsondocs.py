"""Reading the JSON documents of API- and archive-shaped sources (Fitbit, Oura, Garmin, Withings).

These files are usually small (one night to a month each), but a file is untrusted input, so
each is parsed incrementally (``ijson``) straight from the disk and refused once it holds more
than :data:`MAX_JSON_VALUES` values: memory stays bounded whatever the file. ``path`` may be a
single ``.json`` file or a folder (for example a Google Takeout ``Global Export Data`` folder
or a folder of Garmin daily files): every ``*.json`` below it whose text contains the source's
marker is read, in name order, and progress counts the bytes of all of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from bedside.importers.base import ImportFileError, Progress
from bedside.importers.streams import peek

#: The most values (numbers, strings, objects, ...) one JSON file may hold: a year of nightly
#: Oura or Garmin data is ~150 000; a million keep the parsed document under ~100 MB.
MAX_JSON_VALUES = 1_000_000
#: Files up to this size are parsed a second time after a syntax error, for its exact line.
EXACT_ERROR_BYTES = 2 << 20


def sniff_json(path: Path, markers: tuple[bytes, ...]) -> bool:
    """True if ``path`` (or a JSON file in the folder ``path``) contains every marker."""
    files = _candidates(path) if path.is_dir() else [path]
    for file in files[:20]:
        head = peek(file, 256 * 1024).lstrip()
        if head[:1] in (b"{", b"[") and all(marker in head for marker in markers):
            return True
    return False


def iter_documents(
    path: Path, markers: tuple[bytes, ...], progress: Progress | None
) -> Iterator[tuple[Path, Any]]:
    """Yield ``(file, parsed JSON)`` for ``path`` or the matching files in the folder ``path``."""
    if path.is_dir():
        files = [f for f in _candidates(path) if sniff_json(f, markers)]
        if not files:
            raise ImportFileError(path, "the folder holds no JSON file of this kind")
    else:
        files = [path]
    done = 0
    for file in files:
        yield file, load_json(file)
        done += file.stat().st_size
        if progress is not None:
            progress(done)


class _CountingReader:
    """A binary file wrapper that counts bytes and newlines read (for error positions)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.consumed = 0
        self.newlines = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        self.newlines += data.count(b"\n")
        return data


def load_json(file: Path) -> Any:
    """Parse one JSON file incrementally, with at most :data:`MAX_JSON_VALUES` values.

    Syntax errors, invalid UTF-8 and oversized documents become :class:`ImportFileError`s
    with the line (exact for small files, the line reached so far for large ones).
    """
    try:
        with file.open("rb") as raw:
            if raw.read(3) != b"\xef\xbb\xbf":
                raw.seek(0)
            reader = _CountingReader(raw)
            try:
                return _build(file, reader)
            except ijson.JSONError as exc:
                raise _json_failure(file, exc, reader) from None
    except OSError as exc:
        raise ImportFileError(file, f"cannot read the file: {exc.strerror}") from None


def _build(file: Path, reader: _CountingReader) -> Any:
    builder = ObjectBuilder()
    event = builder.event
    for count, (kind, value) in enumerate(ijson.basic_parse(reader, use_float=True)):
        if count >= MAX_JSON_VALUES:
            raise ImportFileError(
                file,
                f"more than {MAX_JSON_VALUES:,} JSON values in one file, far more than an "
                "export of this kind holds; export a shorter period per file",
            )
        event(kind, value)
    return builder.value


def _json_failure(file: Path, exc: Exception, reader: _CountingReader) -> ImportFileError:
    """A value-free message: never the excerpt of the file the parser quotes."""
    text = exc.args[0] if exc.args else ""
    first = (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)).strip()
    first = first.splitlines()[0].rstrip(".") if first else "unreadable"
    if "UTF8" in first:
        return ImportFileError(
            file, "not UTF-8 text, so not a JSON export", line=reader.newlines + 1
        )
    if reader.consumed <= EXACT_ERROR_BYTES:
        try:
            parse_json(file, file.read_bytes())
        except ImportFileError as exact:
            return exact
    return ImportFileError(file, f"malformed or truncated JSON: {first}", line=reader.newlines + 1)


def parse_json(file: Path, data: bytes) -> Any:
    """Parse small JSON bytes; syntax errors become :class:`ImportFileError` with the line."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            file, "not UTF-8 text, so not a JSON export", offset=exc.start
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            file, f"malformed or truncated JSON: {exc.msg}", line=exc.lineno, offset=exc.pos
        ) from None


def _candidates(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json") if p.is_file())


def number(value: Any) -> float | None:
    """A JSON number as float; ``None`` for null, missing or non-numeric values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def minutes_from_seconds(value: Any) -> float | None:
    """Seconds (JSON number or null) → minutes."""
    seconds = number(value)
    return None if seconds is None else seconds / 60
