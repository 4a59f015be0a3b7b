"""How the CLI talks: JSON for scripts, Rich tables for people, one-line errors on stderr."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, Final, NoReturn

import typer
from pydantic import BaseModel

from bedside.domain.errors import (
    BedsideError,
    BusyError,
    InputError,
    MachineError,
    NotFoundError,
)

#: Service field names that the CLI spells differently.
#: Exit status for "busy, try again" (EX_TEMPFAIL: a script may simply retry).
BUSY_EXIT = 75
OPTION_NAMES = {
    "sol_min": "--sol",
    "waso_min": "--waso",
    "lead_min": "--lead",
    "cap_dose_g": "--cap-dose",
    "cap_day_g": "--cap-day",
    "cap_days_week": "--cap-days-week",
    "product_id": "--product",
    "batch_id": "--batch",
    "muscle_groups": "--muscle",
    "medications": "--med",
    "conditions": "--condition",
    "ratings": "GROUP=SCORE",
    "experiment_id": "ID",
    "code": "CODE",
    "answers": "ITEM=SCORE",
    "mitragynine_pct": "--mitragynine",
    "seven_oh_pct": "--seven-oh",
    "wind_down": "--step",
    "nap_count": "--naps",
    "comment": "--note",
    "duration_min": "--duration",
    "energy_kcal": "--energy",
    "new_work": "--new",
    # not an option: the message stands on its own
    "profile": "",
}

OptionNames = Mapping[str, str]

#: How the CLI words what a service error asks the person to do next (``next_step``).
NEXT_STEPS: Final[Mapping[str, str]] = {
    "set_up_profile": (
        "run `bedside init`, or `bedside profile set --timezone ZONE --bedtime HH:MM`"
    ),
    "plan_experiment": (
        "run `bedside experiment plan --question TEXT --outcome quality --threshold 0.5`"
    ),
    "merge": "to merge, add --merge",
    "add_clinician": "`bedside user add EMAIL --role clinician`",
    "list_backups": "see `bedside backup list`",
}


def option_name(field: str, names: OptionNames | None = None) -> str:
    """The CLI option that carries a service field ('' when no option does).

    ``names`` are a command's own spellings, consulted before :data:`OPTION_NAMES`.
    """
    head = field.split(".", 1)[0]
    for table in (names or {}, OPTION_NAMES):
        if head in table:
            return table[head]
    return "--" + head.replace("_", "-")


def _prefixed(option: str, message: str) -> str:
    return f"{option}: {message}" if option else message


def worded(exc: BedsideError) -> str:
    """The error's message, with the next step it asks for in the CLI's own words."""
    how = NEXT_STEPS.get(exc.next_step or "")
    return f"{exc.message} ({how})" if how else exc.message


#: Control characters a terminal could act on (ESC starts colour, cursor and title sequences).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: control characters are written as ``\\xNN``.

    Stored text may predate the input checks, or come from an imported file.
    """
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error to stderr and exit non-zero."""
    one_line = " ".join(printable(message).splitlines())
    typer.echo(f"error: {one_line}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors(names: OptionNames | None = None) -> Iterator[None]:
    """Turn user mistakes into one-line messages; the transaction has rolled back by then.

    ``names`` maps service fields to the command's own options (see :func:`option_name`).
    An unknown id is blamed on an option only when one is named for it: ids given as
    arguments (``dose delete 42``) need no option in the message.
    """
    try:
        yield
    except InputError as exc:
        fail(_prefixed(option_name(exc.field, names), worded(exc)))
    except NotFoundError as exc:
        head = exc.field.split(".", 1)[0]
        known = head in (names or {}) or head in OPTION_NAMES
        fail(_prefixed(option_name(exc.field, names) if known else "", worded(exc)))
    except BusyError as exc:
        fail(exc.message, code=BUSY_EXIT)
    except MachineError as exc:
        fail(worded(exc), code=1)
    except BedsideError as exc:
        fail(worded(exc))


def jsonable(value: Any) -> Any:
    """Pydantic models and lists of them as plain JSON data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    """Exact JSON on stdout (stable keys, unrounded numbers)."""
    sys.stdout.write(json.dumps(jsonable(value), indent=2, ensure_ascii=False) + "\n")


#: Columns whose cells are never wrapped or cut: dates and times stay whole.
WHOLE_COLUMNS: Final = frozenset({"night", "date", "time", "taken", "bed", "from", "to", "when"})


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A compact Rich table for people that fits an 80-column terminal; an empty list says so.

    Dates and times (see :data:`WHOLE_COLUMNS`) are never wrapped or cut; long words in
    other columns wrap instead. A table whose columns are all unnamed (a list of label and
    value pairs) has no header row.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not rows:
        console.print(f"[dim]{title}: nothing logged yet[/dim]")
        return
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        show_header=any(columns),
    )
    for column in columns:
        table.add_column(column, no_wrap=column in WHOLE_COLUMNS)
    for row in rows:
        # Text, not markup: a note such as "[red]x" is shown as written
        table.add_row(*(Text("" if cell is None else printable(str(cell))) for cell in row))
    console.print(table)


def short_when(iso: str) -> str:
    """``2025-03-09T00:30:00-05:00`` → ``Sun 09 00:30`` (weekday, day, clock) for tables."""
    from datetime import datetime

    return datetime.fromisoformat(iso).strftime("%a %d %H:%M")


def short_time(iso: str) -> str:
    """``2025-03-08T22:30:00-05:00`` → ``2025-03-08 22:30`` for tables."""
    return iso[:16].replace("T", " ")


def number(value: float | None, digits: int = 0) -> str:
    """A number rounded for people ('' when unknown)."""
    return "" if value is None else f"{value:.{digits}f}"


def date_option(value: str | None, option: str) -> date | None:
    """Parse a YYYY-MM-DD option (None stays None); a bad date exits with a message."""
    from bedside.domain.timekeeping import parse_night

    if value is None:
        return None
    try:
        return parse_night(value, option)
    except InputError as exc:
        fail(f"--{option}: {exc.message}")
