"""Settings: built once at start-up from options and the environment, then passed down."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bedside.domain.errors import BedsideError

APP_NAME = "bedside"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DB_FILENAME = "bedside.db"
#: The largest upload the Import page accepts: 4 GiB holds the export.zip of a decade of
#: Apple Watch data (~1-2 GB) with room to spare, and bounds the temporary disk an upload
#: can take. ``BEDSIDE_MAX_UPLOAD_MB`` changes it; the CLI reads files in place, without a cap.
DEFAULT_MAX_UPLOAD_BYTES = 4 << 30
SETTINGS_FILENAME = "settings.toml"
LOCAL_MODE = "local"
SERVER_MODE = "server"
MODES = (LOCAL_MODE, SERVER_MODE)


class SettingsError(BedsideError):
    """The settings file or ``BEDSIDE_MODE`` says something Bedside cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data lives and how the app is served."""

    database_url: str
    data_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    #: ``local`` (one person, no accounts: the default) or ``server`` (people sign in).
    mode: str = LOCAL_MODE
    #: Extra names this server answers to (``Host`` check), e.g. ``bedside.example.org``.
    server_names: tuple[str, ...] = ()
    #: True when served over TLS (directly or by a proxy): cookies get ``Secure``.
    tls: bool = False

    @property
    def server_mode(self) -> bool:
        """True when people sign in (``BEDSIDE_MODE=server`` or the settings file)."""
        return self.mode == SERVER_MODE

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


def read_settings_file(data_dir: Path) -> dict[str, Any]:
    """The settings file of the data directory (``settings.toml``), or nothing."""
    path = data_dir / SETTINGS_FILENAME
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path} could not be read ({exc}); fix or remove it") from None


def resolve_mode(env: Mapping[str, str], file: Mapping[str, Any]) -> str:
    """``BEDSIDE_MODE`` first, then ``mode`` in the settings file, else local."""
    mode = env.get("BEDSIDE_MODE") or file.get("mode") or LOCAL_MODE
    if not isinstance(mode, str) or mode.strip().lower() not in MODES:
        raise SettingsError(f"mode {mode!r} is unknown; use {' or '.join(MODES)}")
    return mode.strip().lower()


def load_settings(
    db: str | None = None,
    environ: Mapping[str, str] | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
) -> Settings:
    """Resolve the database: ``--db`` first, then ``BEDSIDE_DATABASE_URL``, then the default file.

    ``db`` may be a path to a SQLite file or a full SQLAlchemy URL; an empty one is refused
    (it would silently mean the default database). The mode comes from ``BEDSIDE_MODE`` or the
    data directory's ``settings.toml`` (``mode = "server"``), and ``server_names`` from the same
    file (a list) or ``BEDSIDE_SERVER_NAMES`` (comma-separated).
    """
    if db is not None and not db.strip():
        from bedside.domain.errors import InputError

        raise InputError(
            "db", "is empty; give a database file or URL, or leave --db out for the default"
        )
    env = os.environ if environ is None else environ
    data_dir = default_data_dir(env)
    file = read_settings_file(data_dir)
    mode = resolve_mode(env, file)
    names = _server_names(env, file)
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
        mode=mode,
        server_names=names,
    )


def _upload_cap(env: Mapping[str, str]) -> int:
    """``BEDSIDE_MAX_UPLOAD_MB`` (a positive whole number of MiB) or the default."""
    text = env.get("BEDSIDE_MAX_UPLOAD_MB", "").strip()
    return int(text) << 20 if text.isdigit() and int(text) > 0 else DEFAULT_MAX_UPLOAD_BYTES


def _server_names(env: Mapping[str, str], file: Mapping[str, Any]) -> tuple[str, ...]:
    raw = env.get("BEDSIDE_SERVER_NAMES")
    listed: list[Any] = raw.split(",") if raw else list(file.get("server_names") or [])
    return tuple(str(name).strip().lower() for name in listed if str(name).strip())
