"""The CLI's handle on the application: settings from global options, one scope per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

import typer

from bedside.cli.output import BUSY_EXIT, OptionNames, fail, user_errors
from bedside.domain.errors import BusyError

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

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
    from sqlalchemy.exc import DatabaseError

    settings = settings_of(ctx)
    with user_errors():
        app = _start(settings)
        try:
            yield app
        except DatabaseError as exc:
            _refuse_if_damaged(settings, exc)
            raise
        finally:
            app.close()


def _refuse_if_damaged(settings: Settings, exc: DBAPIError) -> None:
    """Damaged pages met in the middle of a command: one line, and a full check next start."""
    from bedside.services.runtime import damage_refusal

    refusal = damage_refusal(settings, exc.orig)
    if refusal is not None:
        raise refusal from None


def _start(settings: Settings) -> Bedside:
    """Open and migrate the database; one that cannot be opened is a one-line error."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError

    from bedside.services.runtime import Bedside, is_locked, machine_fault

    try:
        return Bedside(settings).start()
    except DatabaseError as exc:
        if isinstance(exc, OperationalError) and is_locked(exc):
            fail(BusyError().message, code=BUSY_EXIT)
        _refuse_if_damaged(settings, exc)
        _cannot_open(settings, _reason(exc))
    except (OSError, ArgumentError, DBAPIError) as exc:
        fault = machine_fault(exc)
        if fault is not None:
            raise fault from None
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
