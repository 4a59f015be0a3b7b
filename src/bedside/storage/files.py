"""Private files: folders 0700 and files 0600, whatever the umask says.

A person's medications and doses must not be readable by other accounts on the machine, so
every folder Bedside creates is made owner-only, and every database, journal, backup, export
and secret file is created owner-only (``os.open`` with an explicit mode, then ``chmod``,
because the umask may only remove bits, never guarantee them).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
#: SQLite's companion files of a database file.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path, *, ours: bool = True) -> Path:
    """Create ``path`` (and missing parents) as owner-only folders.

    ``ours`` says the folder is Bedside's own (the data directory, its backups): an existing
    one is tightened too, when this account owns it and it is not a shared sticky folder such
    as ``/tmp``. A folder the person chose for ``--db`` is only made private if it is new.
    Parents that already exist are always left alone.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for created in missing:
        _chmod(created, DIR_MODE)
    if ours and path not in missing:
        tighten(path)
    return path


def private_file(path: Path) -> Path:
    """Create an empty owner-only file at ``path`` unless it exists; tighten it if it does."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
        return path
    os.close(fd)
    _chmod(path, FILE_MODE)
    return path


def tighten(path: Path) -> None:
    """Remove group and other permissions from ``path`` when this account owns it.

    The owner's own bits are kept, so a file the person made read-only stays read-only.
    Shared sticky folders (``/tmp``) and files of other accounts are left as they are.
    """
    try:
        info = path.stat()
    except OSError:
        return
    if info.st_uid != os.getuid() or info.st_mode & stat.S_ISVTX:
        return
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        _chmod(path, mode & ~0o077)


def tighten_sqlite(path: Path) -> None:
    """Make a SQLite file and its ``-wal``/``-shm``/``-journal`` files owner-only."""
    for candidate in (path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)):
        tighten(candidate)


def is_private(path: Path) -> bool:
    """True when ``path`` belongs to this account and no one else may read or write it."""
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours to change (another account's): leave it
        os.chmod(path, mode)
