"""Which tables hold a person's data, in what order, and how their rows are checked.

Every table with a ``user_id`` column is the person's data (the ``users`` row itself is not
exported). Tables come parents first (SQLAlchemy's dependency order), so restoring them in
this order can map each foreign key to the row written before it. Row models are built from
the columns, so a column added by a migration is exported and restored without edits here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import String as SqlString

import bedside.storage.experiments
import bedside.storage.safety_records
import bedside.storage.wearables  # noqa: F401 - registers the wearable tables
from bedside.storage.models import Base
from bedside.storage.types import UTCDateTime

USER_COLUMN = "user_id"
ID_COLUMN = "id"
#: Tables of the person that are not part of their history: sign-in sessions and API tokens
#: are credentials of the account, never written to a backup, and "delete all my data"
#: leaves them (the person stays signed in to an empty history). Computed results are a
#: cache of their analyses, recomputed from the data (and deleted with it).
NOT_EXPORTED: frozenset[str] = frozenset({"web_sessions", "api_tokens", "computed_results"})
#: What makes two rows "the same entry" when a backup is merged into existing data (beside
#: each table's own unique constraints). Tables not named here compare every column.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "profiles": (),
    "products": ("name", "vendor", "form", "strain"),
    "batches": ("product_id", "lot"),
    "doses": ("taken_at", "amount", "unit"),
    "pain_entries": ("at", "score", "location"),
    "soreness_entries": ("at", "muscle_group"),
    "workouts": ("start_at", "kind", "source"),
    "intakes": ("at", "kind", "name"),
    "sleep_nights": ("night", "source", "source_name", "session_start"),
    "import_runs": ("importer", "file_name", "started_at"),
    "experiments": ("created_at", "question"),
    "finding_acknowledgements": ("acknowledged_at", "context", "severity"),
}


@dataclass(frozen=True)
class NaturalKey:
    """Columns that identify an entry; a database unique key never matches on NULLs."""

    columns: tuple[str, ...]
    nulls_match: bool


@dataclass(frozen=True)
class EntityTable:
    """One table of the person's data as the backup sees it."""

    name: str
    table: Table
    columns: tuple[Column[Any], ...]
    parents: dict[str, str]
    keys: tuple[NaturalKey, ...]

    @property
    def has_id(self) -> bool:
        """True when rows have their own id (the profile is keyed by the person)."""
        return ID_COLUMN in self.table.c and self.table.c[ID_COLUMN].primary_key

    @property
    def column_names(self) -> tuple[str, ...]:
        """The exported columns, in table order."""
        return tuple(column.name for column in self.columns)


@cache
def entity_tables() -> tuple[EntityTable, ...]:
    """Every table of the person's data, parents before children."""
    found = []
    for table in Base.metadata.sorted_tables:
        if USER_COLUMN not in table.c or table.name in NOT_EXPORTED or table.name == "users":
            continue
        columns = tuple(c for c in table.columns if c.name != USER_COLUMN)
        parents = {
            fk.parent.name: fk.column.table.name
            for fk in table.foreign_keys
            if fk.column.table.name != "users"
        }
        found.append(EntityTable(table.name, table, columns, parents, _keys(table, columns)))
    return tuple(found)


def entity(name: str) -> EntityTable:
    """The table called ``name``."""
    return next(e for e in entity_tables() if e.name == name)


def _keys(table: Table, columns: tuple[Column[Any], ...]) -> tuple[NaturalKey, ...]:
    """The natural keys of a table: its unique constraints (without the person) and ours."""
    keys = [
        NaturalKey(tuple(c.name for c in constraint.columns if c.name != USER_COLUMN), False)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    if table.name in NATURAL_KEYS:
        if NATURAL_KEYS[table.name]:
            keys.append(NaturalKey(NATURAL_KEYS[table.name], True))
    elif not keys:
        keys.append(NaturalKey(tuple(c.name for c in columns if c.name != ID_COLUMN), True))
    return tuple(key for key in keys if key.columns)


def _python_type(column: Column[Any]) -> Any:
    """The pydantic type of a column's values."""
    kind = column.type
    base: Any
    if isinstance(kind, UTCDateTime):
        base = AwareDatetime
    elif isinstance(kind, Boolean):
        base = bool
    elif isinstance(kind, BigInteger):
        base = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
    elif isinstance(kind, Integer):
        base = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
    elif isinstance(kind, Float):
        base = Annotated[float, Field(allow_inf_nan=False)]
    elif isinstance(kind, Date):
        base = date
    elif isinstance(kind, SqlString | Text):
        length = getattr(kind, "length", None)
        base = Annotated[str, Field(max_length=length)] if length else str
    elif isinstance(kind, JSON):
        base = Any
    else:  # pragma: no cover - a new column type must be taught here
        raise TypeError(f"no backup type for column {column}")
    return base | None if column.nullable and base is not Any else base


def column_type(column: Column[Any]) -> str:
    """The data-dictionary type of a column (instant, date, integer, number, text ...)."""
    kind = column.type
    for sql_type, name in _TYPE_NAMES:
        if isinstance(kind, sql_type):
            return name
    return "text"


_TYPE_NAMES: tuple[tuple[type[Any], str], ...] = (
    (UTCDateTime, "instant (ISO 8601, UTC)"),
    (Boolean, "boolean"),
    (Integer, "integer"),
    (Float, "number"),
    (Date, "date (YYYY-MM-DD)"),
    (JSON, "JSON"),
)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


@cache
def row_model(name: str) -> type[BaseModel]:
    """The pydantic model of one row of table ``name`` (missing optional columns → None)."""
    fields: dict[str, Any] = {}
    for column in entity(name).columns:
        kind = _python_type(column)
        optional = column.nullable or column.default is not None or column.primary_key
        fields[column.name] = (kind, None) if optional else (kind, ...)
    model: type[BaseModel] = create_model(f"Backup_{name}", __base__=_Row, **fields)
    return model


def column_value(value: Any) -> Any:
    """A value as it is compared when merging: hashable, and the same from file or database."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return value
