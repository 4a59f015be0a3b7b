"""Shared record plumbing: fetch a person's row by id, list by night range, delete."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, select

from bedside.domain.errors import InputError, NotFoundError
from bedside.services.scope import Scope

T = TypeVar("T")
#: The largest id a database can hold (signed 64-bit); larger ids cannot exist.
MAX_ID = 2**63 - 1


def owned(scope: Scope, model: type[T], key: int, entity: str) -> T:
    """The row ``key`` of ``model`` if it belongs to the person, else a NotFoundError."""
    if not 0 < key <= MAX_ID:
        raise NotFoundError(entity, key)
    row = scope.session.get(model, key)
    if row is None or getattr(row, "user_id", None) != scope.user.id:
        raise NotFoundError(entity, key)
    return row


def by_nights(
    scope: Scope, model: Any, start: date | None, end: date | None, order: Any
) -> Select[Any]:
    """A select of the person's rows of ``model`` whose night lies in ``[start, end]``."""
    if start is not None and end is not None and start > end:
        raise InputError("from", f"the range starts ({start}) after it ends ({end})")
    query = select(model).where(model.user_id == scope.user.id)
    if start is not None:
        query = query.where(model.night >= start)
    if end is not None:
        query = query.where(model.night <= end)
    return query.order_by(order)


def delete_owned(scope: Scope, model: type[T], key: int, entity: str) -> None:
    """Delete the person's row ``key`` (NotFoundError when it is not theirs or absent)."""
    scope.session.delete(owned(scope, model, key, entity))
    scope.session.flush()
