"""Machine faults seen at the storage boundary, as errors a person can act on.

A full disk shows up as SQLite's ``database or disk is full`` (through SQLAlchemy or the
``sqlite3`` module directly) or as ``OSError`` ``ENOSPC``; a folder that cannot be written as
``EACCES``/``EPERM``/``EROFS`` or SQLite's ``attempt to write a readonly database``. Messages
name the folder at most, never a value the person entered.
"""

from __future__ import annotations

import errno
import sqlite3

from bedside.domain.errors import DiskFullError, MachineError, StorageError

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_LOCKED_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def machine_fault(exc: BaseException) -> MachineError | None:
    """The :class:`MachineError` that ``exc`` stands for, or None when it is something else."""
    if isinstance(exc, MachineError):
        return exc
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    if isinstance(cause, OSError) and cause.errno is not None:
        if cause.errno in _FULL_ERRNOS:
            return DiskFullError()
        if cause.errno in _LOCKED_ERRNOS:
            where = f" ({cause.filename})" if cause.filename else ""
            return StorageError(
                f"the data cannot be written{where}: {cause.strerror or 'permission denied'}; "
                "nothing was saved; check the folder's permissions"
            )
        return None
    text = str(cause).lower()
    if isinstance(cause, sqlite3.Error) or "sqlite" in type(cause).__module__:
        if "database or disk is full" in text or getattr(cause, "sqlite_errorcode", 0) == 13:
            return DiskFullError()
        if "readonly database" in text or "read-only" in text:
            return StorageError(
                "the database is read-only; nothing was saved; check the file's permissions"
            )
    return None
