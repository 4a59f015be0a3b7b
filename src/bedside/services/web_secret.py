"""The web app's signing secret: one private file in the data directory.

It signs the CSRF cookie, so whoever can read it can forge that cookie: it is created 0600 in
the 0700 data directory (never beside ``--db``, which may be a shared folder such as ``/tmp``),
and an existing one that another account owns, or that others may read, is refused.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from bedside.domain.errors import UnsafeFileError
from bedside.storage.files import private_dir

SECRET_FILE = "web-secret"  # noqa: S105 - a file name, not a secret


def load_secret(data_dir: Path) -> bytes:
    """The signing secret of this data directory, created (mode 0600, folder 0700) on first use.

    A secret another account owns, or that others may read, is refused: whoever can read it
    can forge the CSRF cookie.
    """
    path = data_dir / SECRET_FILE
    private_dir(data_dir)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _existing_secret(path)
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    os.chmod(path, 0o600)
    return bytes.fromhex(value)


def _existing_secret(path: Path) -> bytes:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(f"{path} is not a plain file; remove it and start Bedside again")
    if info.st_uid != os.getuid():
        raise UnsafeFileError(
            f"{path} belongs to another account; remove it and start Bedside again"
        )
    if info.st_mode & 0o077:
        raise UnsafeFileError(
            f"{path} can be read by other accounts; remove it and start Bedside again "
            "(a new one is made, private)"
        )
    try:
        return bytes.fromhex(path.read_text().strip())
    except ValueError:
        raise UnsafeFileError(f"{path} is damaged; remove it and start Bedside again") from None
