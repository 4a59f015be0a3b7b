"""HTML forms: submitted values (kept on errors), CSRF-checked parsing and field errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from fastapi import HTTPException, Request

from bedside.domain.errors import BedsideError
from bedside.web.problems import error_field
from bedside.web.security import CSRF_FIELD, CsrfTokens

MAX_FIELDS = 400
FORM_LEVEL = "form"


class FormValues:
    """The values of a form, as typed (strings), in order; several values per name allowed."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = list(items)

    @classmethod
    def of(cls, mapping: Mapping[str, object]) -> FormValues:
        """Values from Python data: None is left out, lists repeat, True becomes ``on``."""
        items: list[tuple[str, str]] = []
        for name, value in mapping.items():
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                items.extend((name, _text(v)) for v in value)
            else:
                items.append((name, "on" if value is True else _text(value)))
        return cls(items)

    def get(self, name: str, default: str = "") -> str:
        """The first value given for ``name``."""
        for key, value in self._items:
            if key == name:
                return value
        return default

    def getlist(self, name: str) -> list[str]:
        """Every value given for ``name``."""
        return [value for key, value in self._items if key == name]

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self._items)

    def with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """``(rest, value)`` for every name starting with ``prefix``."""
        return [(key[len(prefix) :], value) for key, value in self._items if key.startswith(prefix)]


def _text(value: object) -> str:
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value  # enums
    return str(value)


async def submitted_form(request: Request) -> FormValues:
    """The posted form, after checking its CSRF token against the signed cookie's."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    expected = request.scope.get("state", {}).get("csrf_token")
    given = form.get(CSRF_FIELD)
    if not CsrfTokens.matches(expected, given if isinstance(given, str) else None):
        raise HTTPException(
            403,
            "This form has expired or came from another site. Reload the page and try again.",
        )
    return FormValues(
        (key, value)
        for key, value in form.multi_items()
        if isinstance(value, str) and key != CSRF_FIELD
    )


def pick(
    values: FormValues,
    names: Iterable[str],
    lists: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> dict[str, object]:
    """Service input from form values: blanks are left out, lists gathered, flags ticked or not."""
    data: dict[str, object] = {}
    for name in names:
        value = values.get(name).strip()
        if value:
            data[name] = value
    for name in lists:
        data[name] = [v for v in values.getlist(name) if v.strip()]
    for name in flags:
        data[name] = name in values
    return data


#: How the pages word what a service error asks the person to do next (``next_step``).
NEXT_STEPS: Final[Mapping[str, str]] = {
    "merge": "to merge, tick 'Add to the data already here'",
}


def worded(exc: BedsideError) -> str:
    """The error's message, with the next step it asks for in the pages' own words."""
    how = NEXT_STEPS.get(exc.next_step or "")
    return f"{exc.message} ({how})" if how else exc.message


def errors_of(exc: BedsideError) -> dict[str, str]:
    """``{field: message}`` for a user mistake (``form`` when it names no field)."""
    return {error_field(exc) or FORM_LEVEL: worded(exc)}
