"""Files only their owner can read: 0600 files in 0700 directories, whatever the umask.

An export holds a person's health history, so every file Bedside writes out is private. A
file is written beside its final name and renamed into place, so an interrupted export never
leaves half a file under the name the person asked for.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from bedside.domain.errors import InputError

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents as 0700 directories; returns it.

    A directory that already exists keeps its mode (exporting into ``~/Documents`` must not
    change who can open ``~/Documents``); the files written into it are 0600 all the same.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    try:
        for directory in reversed(missing):
            directory.mkdir(mode=DIR_MODE)
            os.chmod(directory, DIR_MODE)
        if not path.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(path))
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as a 0600 file (atomically replacing any old one)."""
    try:
        return _write(path, data)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def read_file(path: Path) -> bytes:
    """The bytes of a file the person named; a missing or unreadable one is a one-line error."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("file", f"{path} could not be read ({exc.strerror or exc})") from None


def _cannot_write(path: Path, exc: OSError) -> InputError:
    return InputError("path", f"{path} could not be written ({exc.strerror or exc})")


def _write(path: Path, data: bytes) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return path
