"""Options and command factories shared by the logging command groups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, TypeAlias, TypeVar

import typer

from bedside.cli.context import scope
from bedside.cli.output import date_option, print_json, print_table

if TYPE_CHECKING:
    from bedside.services.scope import Scope

T = TypeVar("T")
#: A service listing entries whose night lies in a range, oldest first.
Lister: TypeAlias = "Callable[[Scope, date | None, date | None], Sequence[T]]"
#: A service deleting one entry by id.
Remover: TypeAlias = "Callable[[Scope, int], None]"

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Time = Annotated[
    str | None,
    typer.Option("--time", help="HH:MM on the night, or an ISO date-time (default: now)."),
]
Night = Annotated[
    str | None, typer.Option("--night", help="Night (YYYY-MM-DD) an HH:MM time belongs to.")
]
From = Annotated[str | None, typer.Option("--from", help="First night, YYYY-MM-DD.")]
To = Annotated[str | None, typer.Option("--to", help="Last night, YYYY-MM-DD.")]
Note = Annotated[str | None, typer.Option("--note")]
EntryId = Annotated[int, typer.Argument(help="The entry's id (shown by `list`).")]


def drop_none(values: dict[str, object]) -> dict[str, object]:
    """The values that were given."""
    return {k: v for k, v in values.items() if v is not None}


def add_list_command(
    app: typer.Typer,
    title: str,
    lister: Callable[[], Lister[T]],
    columns: Sequence[str],
    row: Callable[[T], Sequence[object]],
) -> None:
    """Register ``list`` on ``app``: entries in a night range, as a table or JSON.

    ``lister`` returns the service function when called, so the service module (and the
    database libraries behind it) is imported only when the command runs.
    """

    def list_(
        ctx: typer.Context, from_: From = None, to: To = None, as_json: JsonFlag = False
    ) -> None:
        start, end = date_option(from_, "from"), date_option(to, "to")
        with scope(ctx) as s:
            items = lister()(s, start, end)
        if as_json:
            print_json(items)
        else:
            print_table(title, columns, [row(item) for item in items])

    list_.__doc__ = f"List {title.lower()} (oldest first)."
    app.command("list")(list_)


def add_delete_command(app: typer.Typer, noun: str, remover: Callable[[], Remover]) -> None:
    """Register ``delete ID`` on ``app``; ``remover`` returns the service function when called."""

    def delete(ctx: typer.Context, entry_id: EntryId) -> None:
        with scope(ctx) as s:
            remover()(s, entry_id)
        typer.echo(f"{noun.capitalize()} {entry_id} deleted.")

    article = "an" if noun[:1] in "aeiou" else "a"
    delete.__doc__ = f"Delete {article} {noun}."
    app.command("delete")(delete)
