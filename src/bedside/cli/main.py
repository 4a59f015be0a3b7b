"""The ``bedside`` command: global options and the command groups."""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bedside import __version__
from bedside.cli.context import CliState
from bedside.cli.lazy_commands import LazyCommands


def _usage_error_type() -> type[Exception]:
    """Click's ``UsageError`` (newer Typer releases vendor Click as ``typer._click``)."""
    try:
        module = importlib.import_module("typer._click.exceptions")
    except ImportError:
        module = importlib.import_module("click.exceptions")
    error: type[Exception] = module.UsageError
    return error


@contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    """A mistyped command line is reported on one line of stderr, like every other mistake.

    Click would print the usage, a hint and the error on four lines; ``bedside`` alone still
    prints the help.
    """
    try:
        yield
    except _usage_error_type() as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise
        ctx: Any = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        typer.echo(f"error: {message}{hint}", err=True)
        raise typer.Exit(getattr(exc, "exit_code", 2)) from None


class BedsideGroup(TyperGroup):
    """The root command: usage mistakes anywhere below it become one-line errors.

    Its sub-commands are imported and built only when used (:mod:`bedside.cli.lazy_commands`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        with _one_line_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _one_line_usage_errors():
            return super().invoke(ctx)


app = typer.Typer(
    name="bedside",
    cls=BedsideGroup,
    help="Plan the evening, log in seconds, stay safe, and learn honestly whether it helps you.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bedside {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or database URL to use (default: BEDSIDE_DATABASE_URL, "
            "else bedside.db in your data directory).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Bedside: a private companion for evening kratom use, pain, soreness and sleep."""
    if db is not None:
        from bedside.cli.output import user_errors
        from bedside.settings import load_settings

        with user_errors():
            load_settings(db=db)  # refuses an empty --db before any command runs
    ctx.obj = CliState(db=db)


def run() -> None:
    """Console-script entry point."""
    tune_process()
    _single_threaded_maths()
    try:
        app()
    finally:
        _no_collection_at_exit()


def tune_process() -> None:
    """Two process-wide choices, made before a command loads its libraries.

    A logging command's whole process lives about half a second (``bench/cli_startup.py``):

    - Pydantic plugins stay off unless ``PYDANTIC_DISABLE_PLUGINS`` is already set. Bedside
      uses none, and no third-party code should see the health values Bedside validates; yet
      Pydantic looks for plugins by reading the metadata of every installed package when it
      builds its first validator, about 11 ms of CPU for every command. Setting the variable
      to an empty string turns plugin discovery back on.
    - The garbage collector collects its youngest generation after 10,000 new objects instead
      of 700, and the middle one after 20 of those instead of 10. Start-up creates hundreds of
      thousands of long-lived objects (modules, classes, SQLAlchemy mappers, Pydantic
      validators), and each collection re-walks the survivors of the last ones and finds no
      garbage: 30-40 ms of a logging command. The collector stays on, so long commands
      (imports, ``bedside serve``) still free cycles; each collection only waits for more
      objects.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(10_000, 20, gc.get_threshold()[2])


def _no_collection_at_exit() -> None:
    """Spare the interpreter's last garbage collections: the process is about to end.

    At exit Python walks every object the command made (SQLAlchemy's mappers, Pydantic's
    validators, Typer's commands) to collect cycles one by one, memory the operating system
    takes back at once anyway: about a sixth of a logging command's CPU time
    (``bench/cli_startup.py``). Freezing them skips that walk. Files, the database and
    ``atexit`` work are closed and flushed as before: commands close their database
    themselves, and Python still flushes stdout and stderr and runs ``atexit``.
    """
    gc.freeze()


def _single_threaded_maths() -> None:
    """Run the BLAS library single-threaded unless the person chose a thread count.

    Done at start-up, before anything imports NumPy. The analysis matrices are small (a few
    thousand nights by a few dozen columns), so threads only add overhead, and on a busy
    machine OpenBLAS worker threads spin for the CPU: ``bedside analyze --json`` on five
    years of nights took 3x the CPU time and 3-4x the wall time with the default threads
    (``bench/analyze_speed.py``).
    """
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
