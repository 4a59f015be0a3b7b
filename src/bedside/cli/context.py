"""The CLI's handle on the application: settings from global options, one scope per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

import typer

from bedside.cli.output import OptionNames, fail, user_errors

if TYPE_CHECKING:
    from bedside.services.runtime import Bedside
    from bedside.services.scope import Scope
    from bedside.settings import Settings


@dataclass
class CliState:
    """What the global options chose."""

    db: str | None = None


def settings_of(ctx: typer.Context) -> Settings:
    """Settings built from ``--db`` and the environment."""
    from bedside.settings import load_settings

    state: CliState = ctx.find_root().obj or CliState()
    with user_errors():
        return load_settings(db=state.db)


@contextmanager
def application(ctx: typer.Context) -> Iterator[Bedside]:
    """The started application (schema migrated), closed afterwards."""
    from bedside.services.faults import foreign_errors

    settings = settings_of(ctx)
    with user_errors():
        app = _start(settings)
        try:
            with foreign_errors(settings):  # e.g. damaged pages met in the middle of a command
                yield app
        finally:
            app.close()


def _start(settings: Settings) -> Bedside:
    """Open and migrate the database; one that cannot be opened is a one-line error.

    What a person can act on (busy, full, read-only, damaged, newer) arrives translated.
    """
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from bedside.services.runtime import Bedside

    try:
        return Bedside(settings).start()
    except (OSError, ArgumentError, DBAPIError) as exc:
        _cannot_open(settings, _reason(exc))
    except ImportError as exc:
        if settings.is_sqlite:  # SQLite needs no driver: this is a bug, not a mistake
            raise
        _cannot_open(settings, f"its driver {exc.name or ''} is not installed".replace("  ", " "))


def _cannot_open(settings: Settings, reason: str) -> NoReturn:
    fail(
        f"the database {settings.display_url} could not be opened ({reason}); check --db "
        "or BEDSIDE_DATABASE_URL",
        code=1,
    )


def _reason(exc: BaseException) -> str:
    """A short, value-free reason: the driver's own message when it has one."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        first = str(exc.orig).strip().splitlines()
        return first[0] if first else type(exc.orig).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@contextmanager
def scope(ctx: typer.Context, names: OptionNames | None = None) -> Iterator[Scope]:
    """One transaction for the local person; user mistakes exit with a one-line reason.

    ``names`` maps service fields to this command's options, for error messages.
    """
    with application(ctx) as app, user_errors(names), app.scope() as user_scope:
        yield user_scope
