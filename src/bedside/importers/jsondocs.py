"""Reading the JSON documents of API- and archive-shaped sources (Fitbit, Oura, Garmin, Withings).

These files are small (one night to a month each), so each is loaded whole. ``path`` may be a
single ``.json`` file or a folder (for example a Google Takeout ``Global Export Data`` folder
or a folder of Garmin daily files): every ``*.json`` below it whose text contains the source's
marker is read, in name order, and progress counts the bytes of all of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bedside.importers.base import ImportFileError, Progress
from bedside.importers.streams import peek


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
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise ImportFileError(file, f"cannot read the file: {exc.strerror}") from None
        yield file, parse_json(file, data)
        done += len(data)
        if progress is not None:
            progress(done)


def parse_json(file: Path, data: bytes) -> Any:
    """Parse JSON bytes, turning syntax errors into :class:`ImportFileError` with the line."""
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
