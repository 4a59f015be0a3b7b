"""The versioned JSON backup: its header, how it is written and how a file is read back.

A backup is one JSON object::

    {"format": "bedside-backup", "schema_version": 5, "exported_at": "...",
     "app_version": "...", "entities": {"products": [...], "doses": [...], ...}}

Rows carry ``id`` numbers that count from 1 inside the file (not database ids) and refer to
each other by them (``product_id`` of a dose is the ``id`` of a product in the file), so the
same history always gives the same file. This module knows the format only; which tables
exist and how rows are checked and written is the services' business.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bedside.domain.errors import InputError

FORMAT = "bedside-backup"


class BackupHeader(BaseModel):
    """What every backup says about itself."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["bedside-backup"] = Field(description="Always `bedside-backup`.")
    schema_version: int = Field(ge=1, description="The database schema the backup was made on.")
    exported_at: datetime = Field(description="When the backup was made (UTC).")
    app_version: str = Field(description="The Bedside version that made it.")


class BackupDocument(BackupHeader):
    """A whole backup: the header and every entity's rows (checked row by row on restore)."""

    entities: dict[str, list[dict[str, Any]]] = Field(
        description="Rows per entity (table name), oldest first; ids count from 1 per entity."
    )


def dump_backup(document: BackupDocument) -> bytes:
    """The backup as UTF-8 JSON with sorted keys (the same history gives the same bytes)."""
    data = document.model_dump(mode="json")
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def load_backup(raw: bytes, current_version: int) -> BackupDocument:
    """Read a backup file; a truncated, corrupted or future-version file is one-line refused."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(
            "file", "this is not a complete Bedside backup (truncated or corrupted JSON)"
        ) from None
    return parse_backup(data, current_version)


def parse_backup(data: object, current_version: int) -> BackupDocument:
    """Check parsed JSON data: a Bedside backup, not from a newer version, well formed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError("file", "this is not a Bedside backup (no `format: bedside-backup`)")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > current_version:
        raise InputError(
            "file",
            f"this backup was made by a newer Bedside (schema {version}, this one reads up "
            f"to {current_version}); update Bedside and restore again",
        )
    try:
        return BackupDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise InputError("file", f"the backup is damaged at {where}: {first['msg']}") from None
