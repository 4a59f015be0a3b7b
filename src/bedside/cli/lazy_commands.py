"""The root command's sub-commands, each built only when it is used.

Building every command of every group (Typer reads each function's signature and type hints)
and importing every command module cost about as much as the logging work itself:
``bedside dose add`` needs only ``bedside.cli.doses``. :data:`COMMAND_MODULES` names, for
each top-level command, the module whose ``register(app)`` adds it; the click group of the
root holds a :class:`LazyCommands` mapping that imports and builds a module's commands the
first time one of its names is looked up. Help, suggestions for a mistyped command and the
command order read the same mapping, so they are unchanged.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main

#: Top-level command name -> module under ``bedside.cli`` that registers it (help order).
COMMAND_MODULES: dict[str, str] = {
    "init": "profile",
    "import": "wearables",
    "check": "safety",
    "legal": "safety",
    "signals": "safety",
    "checkin": "safety",
    "serve": "serve",
    "analyze": "analysis",
    "analyze-file": "analysis",
    "restore": "exports",
    "delete-all": "exports",
    "report": "report",
    "profile": "profile",
    "product": "products",
    "dose": "doses",
    "pain": "logs",
    "soreness": "logs",
    "workout": "logs",
    "intake": "logs",
    "diary": "diary",
    "plan": "plan",
    "sleep": "wearables",
    "experiment": "analysis",
    "backup": "backups",
    "export": "exports",
    "user": "accounts",
    "token": "accounts",
    "share": "sharing",
    "study": "studies",
    "db": "db",
}


def module_commands(module_name: str) -> dict[str, Any]:
    """The click commands that ``bedside.cli.<module_name>.register`` adds, by name."""
    module = importlib.import_module(f"bedside.cli.{module_name}")
    holder = typer.Typer(
        add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
    )
    module.register(holder)
    return dict(typer.main.get_group(holder).commands)


class LazyCommands(MutableMapping[str, Any]):
    """Command name -> click command, imported and built on first look-up.

    Commands added at run time (``add_command``) are kept as given.
    """

    def __init__(self, given: MutableMapping[str, Any]) -> None:
        self._built: dict[str, Any] = dict(given)
        self._names: list[str] = [*COMMAND_MODULES, *(n for n in given if n not in COMMAND_MODULES)]

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module_name = COMMAND_MODULES.get(name)
            if module_name is None:
                raise KeyError(name)
            self._built.update(module_commands(module_name))
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._names:
            self._names.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)
