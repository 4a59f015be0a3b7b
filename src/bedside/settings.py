"""Settings: built once at start-up from options and the environment, then passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "bedside"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DB_FILENAME = "bedside.db"
#: The largest upload the Import page accepts: 4 GiB holds the export.zip of a decade of
#: Apple Watch data (~1-2 GB) with room to spare, and bounds the temporary disk an upload
#: can take. ``BEDSIDE_MAX_UPLOAD_MB`` changes it; the CLI reads files in place, without a cap.
DEFAULT_MAX_UPLOAD_BYTES = 4 << 30


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data lives and how the app is served."""

    database_url: str
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an embedded SQLite file."""
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for other databases and in-memory SQLite."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split("///", 1)[1] if "///" in self.database_url else ""
        return Path(path) if path and path != ":memory:" else None

    @property
    def display_url(self) -> str:
        """Where the data is, for messages and the Settings page (passwords hidden)."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        if "@" not in self.database_url or "://" not in self.database_url:
            return self.database_url
        scheme, rest = self.database_url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.expanduser().resolve()}"


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """The user's data directory (``BEDSIDE_DATA_DIR`` overrides the platform default)."""
    override = environ.get("BEDSIDE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def load_settings(
    db: str | None = None,
    environ: Mapping[str, str] | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
) -> Settings:
    """Resolve the database: ``--db`` first, then ``BEDSIDE_DATABASE_URL``, then the default file.

    ``db`` may be a path to a SQLite file or a full SQLAlchemy URL; an empty one is refused
    (it would silently mean the default database).
    """
    if db is not None and not db.strip():
        from bedside.domain.errors import InputError

        raise InputError(
            "db", "is empty; give a database file or URL, or leave --db out for the default"
        )
    env = os.environ if environ is None else environ
    data_dir = default_data_dir(env)
    if db:
        url = db if "://" in db else sqlite_url(Path(db))
    elif env.get("BEDSIDE_DATABASE_URL"):
        url = env["BEDSIDE_DATABASE_URL"]
    else:
        url = sqlite_url(data_dir / DB_FILENAME)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return Settings(
        database_url=url,
        data_dir=data_dir,
        host=host,
        port=port,
        max_upload_bytes=_upload_cap(env),
    )


def _upload_cap(env: Mapping[str, str]) -> int:
    """``BEDSIDE_MAX_UPLOAD_MB`` (a positive whole number of MiB) or the default."""
    text = env.get("BEDSIDE_MAX_UPLOAD_MB", "").strip()
    return int(text) << 20 if text.isdigit() and int(text) > 0 else DEFAULT_MAX_UPLOAD_BYTES
