"""Restore a JSON backup: checked whole first, then written in one transaction.

Into an empty database every row is written; with ``merge`` only the entries that are not
there yet (by their natural keys) are added, and the rows that refer to a skipped entry are
linked to the one already there. A truncated, corrupted or newer-version file is refused
before anything is written; a file from an older schema gets the newer columns' defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DataError, IntegrityError

from bedside.domain.errors import ConflictError, InputError
from bedside.exporters.backup import BackupDocument, load_backup, parse_backup
from bedside.exporters.private_files import read_file
from bedside.services.backup import SCHEMA_VERSION
from bedside.services.backup_tables import (
    ID_COLUMN,
    USER_COLUMN,
    EntityTable,
    NaturalKey,
    column_value,
    entity_tables,
    row_model,
)
from bedside.services.scope import Scope

Row = dict[str, Any]


class RestoreOut(BaseModel):
    """What a restore did, per entity."""

    merged: bool = Field(description="True when the backup was merged into existing data.")
    schema_version: int = Field(description="The schema the backup was made on.")
    added: dict[str, int] = Field(description="Rows written per entity.")
    skipped: dict[str, int] = Field(description="Rows already there (merge only) per entity.")


def restore_backup(scope: Scope, raw: bytes, merge: bool = False) -> RestoreOut:
    """Check the whole backup, then write it in the scope's one transaction."""
    return _restore(scope, load_backup(raw, SCHEMA_VERSION), merge)


def restore_document(scope: Scope, data: dict[str, Any], merge: bool = False) -> RestoreOut:
    """Restore a backup already parsed from JSON (the API's request body)."""
    return _restore(scope, parse_backup(data, SCHEMA_VERSION), merge)


def _restore(scope: Scope, document: BackupDocument, merge: bool) -> RestoreOut:
    rows = checked_rows(document)
    if not merge and has_data(scope):
        raise ConflictError(
            "file",
            "this database already holds your data: merge the backup instead to add only what "
            "is missing, or delete all your data first",
            next_step="merge",
        )
    writer = _Writer(scope, merge)
    try:
        for spec in entity_tables():
            writer.write(spec, rows[spec.name])
        scope.session.flush()
    except (IntegrityError, DataError):
        raise InputError(
            "file",
            "the backup holds entries that clash with each other or values this database "
            "cannot store; nothing was restored",
        ) from None
    return RestoreOut(
        merged=merge,
        schema_version=document.schema_version,
        added=writer.added,
        skipped=writer.skipped,
    )


def restore_file(scope: Scope, path: Path, merge: bool = False) -> RestoreOut:
    """Restore the backup file at ``path`` (see :func:`restore_backup`)."""
    return restore_backup(scope, read_file(path), merge)


def has_data(scope: Scope) -> bool:
    """True when the person has any row at all (a profile counts)."""
    for spec in entity_tables():
        table = spec.table
        query = select(func.count()).select_from(table).where(table.c[USER_COLUMN] == scope.user.id)
        if scope.session.execute(query).scalar_one():
            return True
    return False


def checked_rows(document: BackupDocument) -> dict[str, list[Row]]:
    """Every row checked against its table; ids unique and every reference resolvable."""
    known = {spec.name for spec in entity_tables()}
    unknown = sorted(set(document.entities) - known)
    if unknown:
        raise InputError("file", f"the backup is damaged: unknown entity {unknown[0]!r}")
    checked: dict[str, list[Row]] = {}
    for spec in entity_tables():
        rows = [_row(spec, i, raw) for i, raw in enumerate(document.entities.get(spec.name, []))]
        _check_ids(spec, rows, checked)
        checked[spec.name] = rows
    return checked


def _row(spec: EntityTable, index: int, raw: dict[str, Any]) -> Row:
    try:
        values = row_model(spec.name).model_validate(raw).model_dump()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(
            "file", f"the backup is damaged at {spec.name}[{index}].{where}: {first['msg']}"
        ) from None
    return values


def _check_ids(spec: EntityTable, rows: list[Row], checked: dict[str, list[Row]]) -> None:
    if not spec.has_id:
        if len(rows) > 1:
            raise InputError("file", f"the backup is damaged: more than one row in {spec.name}")
        return
    ids = [row[ID_COLUMN] for row in rows]
    if None in ids or len(set(ids)) != len(ids):
        raise InputError("file", f"the backup is damaged: missing or repeated ids in {spec.name}")
    for column, parent in spec.parents.items():
        parent_ids = {row[ID_COLUMN] for row in checked[parent]}
        for row in rows:
            if row[column] is not None and row[column] not in parent_ids:
                raise InputError(
                    "file",
                    f"the backup is damaged: {spec.name} {row[ID_COLUMN]} refers to "
                    f"{parent} {row[column]}, which is not in the file",
                )


@dataclass
class _Writer:
    """Writes checked rows entity by entity, remembering where each file id went."""

    scope: Scope
    merge: bool
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def write(self, spec: EntityTable, rows: list[Row]) -> None:
        """Write one entity's rows (after its parents)."""
        mapping: dict[int, int] = {}
        existing = self._existing(spec) if self.merge else {}
        fresh: list[tuple[int | None, Row]] = []
        skipped = 0
        for row in rows:
            values = self._values(spec, row)
            match = _find(spec, existing, values) if self.merge else None
            if match is not None:
                skipped += 1
                if spec.has_id:
                    mapping[row[ID_COLUMN]] = match
                continue
            fresh.append((row.get(ID_COLUMN), values))
        mapping.update(self._insert(spec, fresh))
        self.ids[spec.name] = mapping
        self.added[spec.name] = len(fresh)
        self.skipped[spec.name] = skipped

    def _values(self, spec: EntityTable, row: Row) -> Row:
        """A row as it is written: the person's id, parents' new ids, defaults for gaps."""
        values = {
            name: value
            for name, value in row.items()
            if name != ID_COLUMN and (value is not None or spec.table.c[name].nullable)
        }
        for column, parent in spec.parents.items():
            if values.get(column) is not None:
                values[column] = self.ids[parent][values[column]]
        values[USER_COLUMN] = self.scope.user.id
        return values

    def _existing(self, spec: EntityTable) -> dict[NaturalKey, dict[tuple[Any, ...], int]]:
        """The person's existing rows by natural key (profile: any row at all)."""
        table = spec.table
        found: dict[NaturalKey, dict[tuple[Any, ...], int]] = {}
        query = select(table).where(table.c[USER_COLUMN] == self.scope.user.id)
        for row in self.scope.session.execute(query):
            values = dict(row._mapping)
            _remember(spec, found, values, values.get(ID_COLUMN, 0))
        return found

    def _insert(self, spec: EntityTable, fresh: list[tuple[int | None, Row]]) -> dict[int, int]:
        """Insert new rows; returns file id → database id for tables others refer to."""
        if not fresh:
            return {}
        session, table = self.scope.session, spec.table
        referenced = any(spec.name in other.parents.values() for other in entity_tables())
        if not referenced:
            # consecutive rows with the same columns go in one executemany, in file order
            for _, run in groupby((values for _, values in fresh), key=lambda v: sorted(v)):
                session.execute(insert(table), list(run))
            return {}
        mapping = {}
        for file_id, values in fresh:
            new_id = session.execute(
                insert(table).values(values).returning(table.c.id)
            ).scalar_one()
            if file_id is not None:
                mapping[file_id] = new_id
        return mapping


def _key_of(key: NaturalKey, values: Row) -> tuple[Any, ...] | None:
    parts = tuple(column_value(values.get(column)) for column in key.columns)
    if not key.nulls_match and None in parts:
        return None
    return parts


def _find(
    spec: EntityTable, existing: dict[NaturalKey, dict[tuple[Any, ...], int]], values: Row
) -> int | None:
    """The id of an existing row that is the same entry (0 for the profile), else None."""
    if not spec.has_id:
        return 0 if existing else None
    for key in spec.keys:
        parts = _key_of(key, values)
        if parts is not None and parts in existing.get(key, {}):
            return existing[key][parts]
    return None


def _remember(
    spec: EntityTable,
    existing: dict[NaturalKey, dict[tuple[Any, ...], int]],
    values: Row,
    row_id: int,
) -> None:
    if not spec.has_id:
        existing.setdefault(NaturalKey((), True), {})[()] = 0
        return
    for key in spec.keys:
        parts = _key_of(key, values)
        if parts is not None:
            existing.setdefault(key, {})[parts] = row_id
