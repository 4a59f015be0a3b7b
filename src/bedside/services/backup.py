"""Export use cases: the versioned JSON backup and the CSV files with their data dictionary."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select

from bedside import __version__
from bedside.exporters.backup import BackupDocument as BackupDocument
from bedside.exporters.backup import dump_backup
from bedside.exporters.csv_files import DATA_DICTIONARY, csv_bytes, dictionary_rows
from bedside.exporters.private_files import private_dir, write_private
from bedside.services.backup_tables import (
    ID_COLUMN,
    USER_COLUMN,
    EntityTable,
    column_type,
    entity_tables,
    row_model,
)
from bedside.services.scope import Scope
from bedside.storage.database import SCHEMA_HEAD

SCHEMA_VERSION = int(SCHEMA_HEAD)


class ExportOut(BaseModel):
    """What an export wrote: where, and how many rows of each entity."""

    path: str = Field(description="The file or directory written.")
    files: list[str] = Field(description="The file names written (one for a single file).")
    counts: dict[str, int] = Field(description="Rows exported per entity.")


def backup_document(scope: Scope) -> BackupDocument:
    """Every row of the person as a backup document (ids renumbered from 1 per entity)."""
    ordinals: dict[str, dict[int, int]] = {}
    entities: dict[str, list[dict[str, Any]]] = {}
    for spec in entity_tables():
        rows = _rows_of(scope, spec)
        numbering: dict[int, int] = {}
        out = []
        for position, row in enumerate(rows, start=1):
            values = {name: row[name] for name in spec.column_names}
            if spec.has_id:
                numbering[row[ID_COLUMN]] = position
                values[ID_COLUMN] = position
            for column, parent in spec.parents.items():
                if values[column] is not None:
                    values[column] = ordinals[parent][values[column]]
            out.append(row_model(spec.name).model_validate(values).model_dump(mode="json"))
        ordinals[spec.name] = numbering
        entities[spec.name] = out
    return BackupDocument(
        format="bedside-backup",
        schema_version=SCHEMA_VERSION,
        exported_at=scope.now,
        app_version=__version__,
        entities=entities,
    )


def _rows_of(scope: Scope, spec: EntityTable) -> list[dict[str, Any]]:
    """The person's rows of one table, oldest (lowest id) first."""
    table = spec.table
    query = select(table).where(table.c[USER_COLUMN] == scope.user.id)
    if spec.has_id:
        query = query.order_by(table.c[ID_COLUMN])
    return [dict(row._mapping) for row in scope.session.execute(query)]


def export_json(scope: Scope, path: Path) -> ExportOut:
    """Write the complete, versioned backup to ``path`` (a private 0600 file)."""
    document = backup_document(scope)
    write_private(path, dump_backup(document))
    return ExportOut(path=str(path), files=[path.name], counts=_counts(document))


def json_bytes(scope: Scope) -> bytes:
    """The complete backup as bytes (for a download)."""
    return dump_backup(backup_document(scope))


def csv_files(scope: Scope) -> dict[str, bytes]:
    """One CSV per entity plus ``data-dictionary.csv``, as file name → bytes."""
    return _csv_from(backup_document(scope))


def csv_zip(scope: Scope) -> bytes:
    """The CSV files and the data dictionary in one zip (for a download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(scope).items():
            archive.writestr(f"bedside-csv/{name}", data)
    return buffer.getvalue()


def _csv_from(document: BackupDocument) -> dict[str, bytes]:
    files = {}
    for spec in entity_tables():
        files[f"{spec.name}.csv"] = csv_bytes(spec.column_names, document.entities[spec.name])
    described = [
        (spec.name, column.name, column_type(column))
        for spec in entity_tables()
        for column in spec.columns
    ]
    files[DATA_DICTIONARY] = csv_bytes(
        ("file", "column", "type", "unit", "meaning"), dictionary_rows(described)
    )
    return files


def export_csv(scope: Scope, directory: Path) -> ExportOut:
    """Write the CSV files and the data dictionary into ``directory`` (0700, files 0600)."""
    document = backup_document(scope)
    files = _csv_from(document)
    private_dir(directory)
    for name, data in files.items():
        write_private(directory / name, data)
    return ExportOut(path=str(directory), files=sorted(files), counts=_counts(document))


def _counts(document: BackupDocument) -> dict[str, int]:
    return {name: len(rows) for name, rows in document.entities.items()}
