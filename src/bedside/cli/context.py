"""The CLI's handle on the application: settings from global options, one scope per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from bedside.cli.output import user_errors

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
    return load_settings(db=state.db)


@contextmanager
def application(ctx: typer.Context) -> Iterator[Bedside]:
    """The started application (schema migrated), closed afterwards."""
    from bedside.services.runtime import Bedside

    with user_errors():
        app = Bedside(settings_of(ctx)).start()
        try:
            yield app
        finally:
            app.close()


@contextmanager
def scope(ctx: typer.Context) -> Iterator[Scope]:
    """One transaction for the local person; user mistakes exit with a one-line reason."""
    with application(ctx) as app, user_errors(), app.scope() as user_scope:
        yield user_scope
