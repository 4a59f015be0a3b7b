"""Test factories: one line per entry instead of 15-30 CLI arguments repeated in every test.

Each factory runs the real CLI (the ``cli`` fixture of ``tests/conftest.py``) with the usual
values of a plain night, and takes only what a test cares about as keywords::

    add_diary(cli, night="2025-03-08", sol=20, quality=4)
    add_dose(cli, time="2025-03-08T22:00", amount=3, product=product_id)

Keywords are the command's options with ``-`` written as ``_`` (``final_wake`` is
``--final-wake``); ``None`` leaves an option out. ``ok=False`` returns a refusal instead of
failing the test, and extra options go in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.conftest import Cli, CliResult

#: A plain night in bed: 23:00 to 07:00, asleep after 10 minutes, no awakenings.
DIARY_DEFAULTS: Mapping[str, object] = {
    "bedtime": "23:00",
    "tried": "23:00",
    "sol": 10,
    "awakenings": 0,
    "waso": 0,
    "final_wake": "07:00",
    "out_of_bed": "07:00",
    "quality": 3,
}


def options(values: Mapping[str, object]) -> list[str]:
    """``{"final_wake": "07:00", "json": True}`` → ``["--final-wake", "07:00", "--json"]``."""
    args: list[str] = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, list | tuple):
            for item in value:
                args += [flag, str(item)]
        else:
            args += [flag, str(value)]
    return args


def add_diary(
    cli: Cli, night: str, *, ok: bool = True, extra: Sequence[str] = (), **answers: object
) -> CliResult:
    """``bedside diary add --night NIGHT`` with a plain night's answers, as changed."""
    values = {**DIARY_DEFAULTS, **answers}
    return cli("diary", "add", "--night", night, *options(values), *extra, ok=ok)


def add_dose(
    cli: Cli, time: str, amount: float | str, *, ok: bool = True, **fields: object
) -> CliResult:
    """``bedside dose add --time TIME --amount AMOUNT`` plus the given options."""
    return cli("dose", "add", "--time", time, "--amount", str(amount), *options(fields), ok=ok)
