"""Is this database fit to open? Read-only files, a newer Bedside's schema, damaged pages.

Checked on every start before anything is written, so a database Bedside cannot use safely is
refused with one line that says what happened and what to do:

* a read-only file or folder says so (SQLite needs to write its ``-wal``/``-shm`` files);
* an unknown Alembic revision means a newer Bedside made it: nothing is written;
* ``PRAGMA quick_check`` runs once a day, and after an unclean shutdown (a ``-wal`` file left
  at open); damaged pages refuse the database and point to ``bedside backup restore``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from pathlib import Path

from bedside import __version__
from bedside.domain.errors import DamagedDatabaseError, NewerDatabaseError, ReadOnlyError
from bedside.storage.files import private_dir, private_file

#: How long a passed quick_check is trusted (seconds).
CHECK_EVERY_S = 24 * 3600
CHECKS_DIR = "checks"
#: SQLite messages that mean a database's pages are damaged ("file is not a database" is
#: more often a wrong ``--db`` and keeps its own message).
DAMAGE_MARKERS = ("malformed", "corrupt")


def database_key(path: Path) -> str:
    """A short, stable name for one database file (its own folder under backups/ and checks/)."""
    resolved = path.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    return f"{resolved.stem}-{digest}"


def check_writable(path: Path) -> None:
    """Refuse a read-only database file or folder with one line.

    The mode bits are read as well as ``os.access``, so a file the person marked read-only
    counts as read-only even for an administrator account.
    """
    folder = path.parent
    if path.exists() and not _writable(path):
        raise ReadOnlyError(
            f"the database {path} is read-only; make it writable (chmod u+w) or copy it and "
            "use --db with the copy"
        )
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and existing.is_dir() and not _writable(existing):
        raise ReadOnlyError(
            f"the folder {existing} is read-only; Bedside needs to write the database and its "
            "journal files there: make it writable or use --db in another folder"
        )


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and bool(stat.S_IMODE(path.stat().st_mode) & 0o222)


def unclean_shutdown(path: Path) -> bool:
    """True when a ``-wal`` file is there before Bedside connects (a crash, or another
    process has the database open): either way a check is cheap insurance."""
    return path.with_name(path.name + "-wal").exists()


def known_revision(revision: str) -> bool:
    """True when this Bedside's migrations know ``revision``."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from bedside.storage.database import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def refuse_newer(display: str, revision: str, head: str) -> NewerDatabaseError:
    """The one-line refusal of a database made by a newer Bedside."""
    return NewerDatabaseError(
        f"the database {display} was made by a newer Bedside (schema revision {revision}; "
        f"this Bedside {__version__} knows up to {head}); nothing was written: upgrade "
        "Bedside to use it"
    )


def damaged(display: str, reason: str) -> DamagedDatabaseError:
    """The one-line refusal of a damaged database, pointing to the backups."""
    first = (reason.strip().splitlines() or ["damaged pages"])[0][:120]
    return DamagedDatabaseError(
        f"the database {display} is damaged ({first}); nothing was written. Restore a "
        "backup: `bedside backup list`, then `bedside backup restore ID`"
    )


def is_damage(exc: BaseException | None) -> bool:
    """True when a driver error says the database's pages are damaged."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and any(m in text for m in DAMAGE_MARKERS)


def quick_check(path: Path) -> str:
    """Run ``PRAGMA quick_check`` on a SQLite file, read-only; ``"ok"`` when it is sound."""
    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=15)
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc) or "not a database"
    finally:
        connection.close()
    return "; ".join(str(row[0]) for row in rows[:3])


def read_only_uri(path: Path) -> str:
    """A SQLite URI opening ``path`` read-only (nothing can be written through it)."""
    return path.expanduser().resolve().as_uri() + "?mode=ro"


def check_due(data_dir: Path, path: Path, unclean: bool) -> bool:
    """True when the quick check has not passed in the last day, or after an unclean stop."""
    if unclean:
        return True
    stamp = data_dir / CHECKS_DIR / database_key(path)
    try:
        return time.time() - stamp.stat().st_mtime > CHECK_EVERY_S
    except OSError:
        return True


def record_check(data_dir: Path, path: Path) -> None:
    """Remember that the quick check passed now (only passes are remembered)."""
    folder = private_dir(data_dir / CHECKS_DIR)
    stamp = private_file(folder / database_key(path))
    os.utime(stamp)


def forget_check(data_dir: Path, path: Path) -> None:
    """Make the next start check again (after damage was seen, or a restore)."""
    (data_dir / CHECKS_DIR / database_key(path)).unlink(missing_ok=True)
