"""Foreign errors as Bedside's own: one mapping table, applied once at the service edge.

Drivers and parsers raise their own exceptions (SQLAlchemy, ``sqlite3``, ``OSError``, ``csv``,
``zipfile``, lxml, pandas). :data:`FOREIGN_ERRORS` maps each such type to a translator that
returns the :class:`~bedside.domain.errors.BedsideError` it stands for, or None when it is
something else (a bug, which stays a bug). :func:`foreign_errors` is the context manager the
service edge runs under (:class:`bedside.services.runtime.Bedside` opens every scope in it),
modelled on httpx's ``map_exceptions``. Messages speak of the thing at fault (the disk, the
database, the file) and never of a front end's options, nor of a value the person entered.
"""

from __future__ import annotations

import csv
import errno
import sqlite3
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bedside.domain.errors import (
    BedsideError,
    BusyError,
    DiskFullError,
    StorageError,
    UnreadableFileError,
)

if TYPE_CHECKING:
    from bedside.settings import Settings

#: Turns one foreign exception into ours (None: not something a person can act on).
Translator = Callable[[BaseException, "Context"], BedsideError | None]

_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_LOCKED_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class Context:
    """What a translator may name: the database's settings and the file being read."""

    def __init__(self, settings: Settings | None = None, subject: str | None = None) -> None:
        self.settings = settings
        self.subject = subject


def _os_error(exc: BaseException, context: Context) -> BedsideError | None:
    """A full disk, or a folder or file that cannot be written."""
    if not isinstance(exc, OSError) or exc.errno is None:
        return None
    if exc.errno in _FULL_ERRNOS:
        return DiskFullError()
    if exc.errno in _LOCKED_ERRNOS:
        where = f" ({exc.filename})" if exc.filename else ""
        return StorageError(
            f"the data cannot be written{where}: {exc.strerror or 'permission denied'}; "
            "nothing was saved; check the folder's permissions"
        )
    return None


def _database_error(exc: BaseException, context: Context) -> BedsideError | None:
    """SQLite (directly or wrapped by SQLAlchemy): locked, full, read-only or damaged."""
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    if isinstance(cause, OSError):
        return _os_error(cause, context)
    text = str(cause).lower()
    if "database is locked" in text or "database is busy" in text:
        return BusyError()
    if isinstance(cause, sqlite3.Error) or "sqlite" in type(cause).__module__:
        if "database or disk is full" in text or getattr(cause, "sqlite_errorcode", 0) == 13:
            return DiskFullError()
        if "readonly database" in text or "read-only" in text:
            return StorageError(
                "the database is read-only; nothing was saved; check the file's permissions"
            )
    if context.settings is not None:
        from bedside.services.runtime import damage_refusal

        return damage_refusal(context.settings, cause)
    return None


def _unreadable(kind: str) -> Translator:
    """A file that is not the kind of file it should be (a CSV, a zip, XML, a table)."""

    def unreadable(exc: BaseException, context: Context) -> BedsideError | None:
        first = str(exc).strip().splitlines()
        reason = first[0] if first else "malformed"
        name = f"{context.subject}: " if context.subject else ""
        return UnreadableFileError(f"{name}not a readable {kind} ({reason}); nothing was imported")

    return unreadable


#: Foreign exception types and their translators, first match wins.
FOREIGN_ERRORS: Mapping[type[BaseException], Translator] = {
    sqlite3.Error: _database_error,
    csv.Error: _unreadable("CSV file"),
    zipfile.BadZipFile: _unreadable("zip file"),
    OSError: _os_error,
}


def foreign_error_table() -> dict[type[BaseException], Translator]:
    """:data:`FOREIGN_ERRORS` and the types of the libraries this process has loaded.

    SQLAlchemy, lxml and pandas join only once imported (an exception of a library never
    loaded cannot occur), so that translating an error imports nothing heavy.
    """
    table: dict[type[BaseException], Translator] = {}
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        table[DBAPIError] = _database_error
    if "lxml.etree" in sys.modules:
        from lxml import etree

        table[etree.XMLSyntaxError] = _unreadable("XML file")
    if "pandas" in sys.modules:
        from pandas import errors as pandas_errors

        table[pandas_errors.ParserError] = _unreadable("CSV table")
        table[pandas_errors.EmptyDataError] = _unreadable("CSV table")
    return {**table, **FOREIGN_ERRORS}


def translate(exc: BaseException, context: Context | None = None) -> BedsideError | None:
    """The error of ours that ``exc`` stands for, or None when it is not a person's to fix."""
    if isinstance(exc, BedsideError):
        return exc
    for kind, translator in foreign_error_table().items():
        if isinstance(exc, kind):
            return translator(exc, context or Context())
    return None


@contextmanager
def foreign_errors(settings: Settings | None = None, subject: str | None = None) -> Iterator[None]:
    """Run the block with foreign errors translated by :data:`FOREIGN_ERRORS`.

    ``settings`` lets damaged database pages become the one-line refusal (the next start
    checks the whole file again); ``subject`` names the file being read in messages.
    Anything the table does not know is raised as it was.
    """
    try:
        yield
    except BedsideError:
        raise
    except Exception as exc:
        ours = translate(exc, Context(settings, subject))
        if ours is None:
            raise
        raise ours from None
