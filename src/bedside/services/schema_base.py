"""The base of the input and output schemas shared by the CLI, the JSON API and the web pages.

Each feature keeps its models next to its service (``doses_schemas``, ``diary_schemas``,
``products_schemas``, ...); what they share lives here: the :class:`Schema` base of inputs
(unknown fields, infinities, booleans-for-numbers and control characters refused), the
:class:`Out` base of results, the :class:`Partial` base of edit models and the field types
(:data:`Score`, :data:`Text`, :data:`Name`, :data:`Day`, :data:`Minutes`).
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic.fields import FieldInfo

from bedside.domain.timekeeping import FIRST_DATE, LAST_DATE


def _not_bool(value: Any) -> Any:
    """Refuse a JSON ``true``/``false`` where a number is expected (pydantic would make it 1/0)."""
    if isinstance(value, bool):
        raise ValueError("true/false is not a value here; give a number")
    return value


Score = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=10)]
Text = Annotated[str, Field(max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _sane_date(day: date) -> date:
    """Refuse dates no diary, dose or lab test can have (0001-01-01 is a typo)."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside the dates accepted ({FIRST_DATE} to {LAST_DATE})"
        )
    return day


def _date_not_number(value: Any) -> Any:
    """Refuse a number where a date is expected (pydantic would read it as seconds since 1970)."""
    if isinstance(value, int | float):
        raise ValueError("write the date as YYYY-MM-DD")
    return value


#: A calendar date a person could mean, written as a date: 1900-01-01 to 2199-12-31.
Day = Annotated[date, BeforeValidator(_date_not_number), AfterValidator(_sane_date)]


def _tenth(value: float) -> float:
    """Minutes to the nearest tenth: ``55.99999999999999`` is ``56.0``."""
    return round(value, 1)


#: A number of minutes in a result, to 0.1 min (float sums leave noise past that).
Minutes = Annotated[float, AfterValidator(_tenth)]


class Out(BaseModel):
    """Base of the results: their validators are built on first use, not at import.

    Building a model's validator costs a few milliseconds; deferring it keeps a logging
    command from paying for the dozens of models it never uses.
    """

    model_config = ConfigDict(defer_build=True)


class Schema(BaseModel):
    """Base: unknown fields are refused so a typo is never silently dropped.

    Numbers must be finite (``inf``, ``NaN`` and ``1e309`` are refused), a JSON
    ``true``/``false`` is not a number, and text has no control characters.
    """

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, allow_inf_nan=False, defer_build=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _plain_values(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and value is not None:
            kinds = _kinds(field.annotation)
            if isinstance(value, bool) and not kinds & {bool, Any}:
                _not_bool(value)
            if not isinstance(value, bool) and kinds == {bool}:
                raise ValueError("give true or false")
        _no_control_characters(value)
        return value


#: Control characters (terminal escapes among them); tab and line breaks are text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(value: object) -> None:
    """Refuse text with control characters: a terminal would run ESC sequences when shown."""
    texts: list[object] = [value]
    if isinstance(value, list | tuple):
        texts = list(value)
    elif isinstance(value, dict):
        texts = [*value.keys(), *value.values()]
    for text in texts:
        if isinstance(text, str) and _CONTROL.search(text):
            raise ValueError(
                "contains control characters (such as terminal escape sequences); remove them"
            )


def _kinds(annotation: object) -> set[object]:
    """The plain types ``annotation`` admits (``int | None`` → ``{int, NoneType}``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        found: set[object] = set()
        for arg in typing.get_args(annotation):
            found |= _kinds(arg)
        return found - {type(None)}
    return {origin or annotation}


class Partial(Schema):
    """Base of the edit models: the fields of another schema, each optional and unset.

    ``class DoseUpdate(Partial, of=DoseIn): ...`` takes every field of ``DoseIn`` (its
    constraints and its field validators too) as ``T | None = None``, so the field list is
    written once and ``model_dump(exclude_unset=True)`` gives exactly the fields the person
    changed. ``without=("night",)`` leaves out fields an edit may not change.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Accept ``of`` and ``without``; the fields are added once pydantic built the class."""
        super().__init_subclass__()

    @classmethod
    def __pydantic_init_subclass__(
        cls, *, of: type[Schema] | None = None, without: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        """Give the new class ``of``'s fields (but ``without``), each optional and unset."""
        super().__pydantic_init_subclass__(**kwargs)
        if of is None:
            raise TypeError(f"{cls.__name__}: say which schema it edits: Partial, of=...")
        kept = [name for name in of.model_fields if name not in without]
        for name in kept:
            cls.__pydantic_fields__[name] = _optional(of.model_fields[name])
        validators = cls.__pydantic_decorators__.field_validators
        for key, validator in of.__pydantic_decorators__.field_validators.items():
            if set(validator.info.fields) <= {"*", *kept}:
                validators.setdefault(key, validator)
        if not cls.model_config.get("defer_build"):
            cls.model_rebuild(force=True)


def _optional(field: FieldInfo) -> FieldInfo:
    """``field`` with its type and constraints kept, made optional with the default None."""
    kind: Any = field.annotation
    if field.metadata:
        kind = Annotated[(kind, *field.metadata)]
    return FieldInfo.from_annotated_attribute(kind | None, None)
