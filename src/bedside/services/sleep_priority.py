"""The person's sleep source priority: read it, set or clear it, and rebuild their nights.

Which source wins when several recorded the same minutes is decided by an ordered list of
device classes (:mod:`bedside.sleep.priority`). It is stored in the profile
(``sleep_priority``; ``None`` means the default order), and every stored wearable night is
rebuilt with it as soon as it changes, in the same transaction. Imports use it too, through
:func:`bedside.services.sleep_nights.night_config`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, Field

from bedside.domain.errors import InputError
from bedside.services.schema_base import Schema
from bedside.services.scope import Scope
from bedside.services.sleep_nights import recompute_all_nights
from bedside.sleep.priority import (
    DEFAULT_PRIORITY,
    DEVICE_CLASS_LABELS,
    DEVICE_CLASSES,
    ORDER_FIELD,
    complete_order,
    split_order,
    stored_priority,
)

#: Re-exported for the front ends (which import nothing but services and domain types).
__all__ = [
    "DEVICE_CLASSES",
    "DEVICE_CLASS_LABELS",
    "ORDER_FIELD",
    "DeviceClassOut",
    "SleepPriorityIn",
    "SleepPriorityOut",
    "get_priority",
    "reset_priority",
    "set_priority",
]


class DeviceClassOut(BaseModel):
    """One device class and what it covers."""

    name: str
    label: str


class SleepPriorityIn(Schema):
    """A new order, best first; classes left out follow in the default order.

    ``null`` or ``[]`` returns to the default order.
    """

    order: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        default=None,
        max_length=len(DEVICE_CLASSES),
        description="Device classes, best first (see `classes`); the rest follow by default.",
        examples=[["oura", "apple_watch"]],
    )


class SleepPriorityOut(BaseModel):
    """The order in use (every class, best first), whether it is the default, the classes."""

    order: list[str]
    is_default: bool
    default_order: list[str]
    classes: list[DeviceClassOut]
    nights_rebuilt: int | None = Field(
        default=None, description="After a change: how many nights were rebuilt with it."
    )


def get_priority(scope: Scope) -> SleepPriorityOut:
    """The person's order (the default until they choose one, or without a profile)."""
    profile = scope.profile
    stored = profile.sleep_priority if profile is not None else None
    return _out(stored_priority(stored).order, customised=bool(stored))


def set_priority(scope: Scope, order: Sequence[str] | None) -> SleepPriorityOut:
    """Store ``order`` (completed with the classes left out) and rebuild every wearable night.

    ``None``, an empty list or the default order itself clears it. An unknown class or one given
    twice is an :class:`~bedside.domain.errors.InputError` on ``order.N``; nothing changes.
    """
    profile = scope.require_profile()
    complete = complete_order(order or ())
    customised = complete != DEFAULT_PRIORITY
    profile.sleep_priority = list(complete) if customised else None
    scope.session.flush()
    rebuilt = recompute_all_nights(scope)
    out = _out(complete, customised)
    out.nights_rebuilt = rebuilt
    return out


def set_priority_as_written(scope: Scope, texts: Sequence[str]) -> SleepPriorityOut:
    """:func:`set_priority` with the order as a person writes it, best first.

    Each text may name several classes (``"oura > apple_watch"``, ``"oura, apple_watch"``);
    naming none is an :class:`~bedside.domain.errors.InputError` on ``order``.
    """
    names = [name for text in texts for name in split_order(text)]
    if not names:
        raise InputError(
            ORDER_FIELD, "name at least one device class (or reset to the default order)"
        )
    return set_priority(scope, names)


def reset_priority(scope: Scope) -> SleepPriorityOut:
    """Return to the default order and rebuild every wearable night."""
    return set_priority(scope, None)


def _out(order: Sequence[str], customised: bool) -> SleepPriorityOut:
    return SleepPriorityOut(
        order=list(order),
        is_default=not customised,
        default_order=list(DEFAULT_PRIORITY),
        classes=[DeviceClassOut(name=n, label=DEVICE_CLASS_LABELS[n]) for n in DEVICE_CLASSES],
    )
