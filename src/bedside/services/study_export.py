"""The de-identified study export: one CSV per collected entity and a data dictionary.

Each participant's rows come from the backup exporter and pass through
:mod:`bedside.exporters.deidentify`; every participant exported is told in their audit log.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bedside.domain.errors import NotFoundError
from bedside.exporters.csv_files import DATA_DICTIONARY, csv_bytes, describe
from bedside.exporters.deidentify import STUDY_ID, Participant, Table, deidentify
from bedside.exporters.private_files import private_dir, write_private
from bedside.services.backup import backup_document
from bedside.services.backup_tables import column_type, entity
from bedside.services.scope import Scope
from bedside.services.sharing import record_read
from bedside.services.studies import active_enrolments, own_study
from bedside.services.study_experiments import experiment_periods
from bedside.services.study_pooled import (
    EXPERIMENT_PERIODS,
    pooled_dictionary,
    pooled_files,
    shifted_periods,
)
from bedside.storage.models import Profile, User
from bedside.storage.sharing import Study

TABLES: dict[str, tuple[str, ...]] = {
    "diary": ("diary_entries",),
    "doses": ("doses",),
    "pain": ("pain_entries",),
    "soreness": ("soreness_entries",),
    "wearables": ("sleep_nights",),
}


class StudyExportOut(BaseModel):
    """What a study export wrote."""

    path: str = Field(description="The directory written (empty for a download).")
    files: list[str]
    participants: int = Field(description="Consenting participants included.")
    counts: dict[str, int] = Field(description="Rows per file.")


def export_study(session: Session, study_id: int, directory: Path, now: datetime) -> StudyExportOut:
    """Write the study's de-identified CSVs into ``directory`` (``bedside study export``)."""
    study = session.get(Study, study_id) if 0 < study_id < 2**63 else None
    if study is None:
        raise NotFoundError("study", study_id)
    files, counts, people = _files(session, study, now)
    private_dir(directory)
    for name, data in files.items():
        write_private(directory / name, data)
    return StudyExportOut(
        path=str(directory), files=sorted(files), participants=people, counts=counts
    )


def study_zip(session: Session, researcher_id: int, study_id: int, now: datetime) -> bytes:
    """The researcher's own study export as a zip (for a download)."""
    study = own_study(session, researcher_id, study_id)
    files, _, _ = _files(session, study, now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"study-{study.id}/{name}", data)
    return buffer.getvalue()


def _files(
    session: Session, study: Study, now: datetime
) -> tuple[dict[str, bytes], dict[str, int], int]:
    tables = [
        Table(name, [(c.name, column_type(c)) for c in entity(name).columns])
        for collect in study.collects.split(",")
        for name in TABLES.get(collect, ())
    ]
    people = []
    collects = frozenset(study.collects.split(","))
    periods: list[dict[str, Any]] = []
    for row in active_enrolments(session, study.id):
        user = session.get(User, row.participant_id)
        if user is None:
            continue
        scope = Scope(session=session, user=user, now=now)
        document = backup_document(scope)
        own = experiment_periods(scope, study.starts_on, study.ends_on, row.withdrawn_at, collects)
        periods.extend(shifted_periods(row.study_code, row.date_offset_days, own))
        profile = session.get(Profile, user.id)
        people.append(
            Participant(
                study_code=row.study_code,
                offset_days=row.date_offset_days,
                timezone=profile.timezone if profile else "UTC",
                withdrawn_at=row.withdrawn_at,
                entities=document.entities,
            )
        )
        record_read(session, user.id, study.researcher_id, f"study export: {study.title}", now)
    rows = deidentify(tables, people, study.starts_on, study.ends_on)
    files: dict[str, bytes] = {}
    dictionary: list[dict[str, str]] = []
    for table in tables:
        kept = table.kept()
        files[f"{table.name}.csv"] = csv_bytes([c for c, _ in kept], rows[table.name])
        dictionary.extend(_described(table.name, column, kind) for column, kind in kept)
    files.update(pooled_files(periods))
    dictionary.extend(pooled_dictionary())
    files[DATA_DICTIONARY] = csv_bytes(("file", "column", "type", "unit", "meaning"), dictionary)
    counts = {name: len(found) for name, found in rows.items()}
    counts[EXPERIMENT_PERIODS] = len(periods)
    return files, counts, len(people)


def _described(stem: str, column: str, kind: str) -> dict[str, str]:
    if column == STUDY_ID:
        unit, meaning = "", "the participant's study id (never a name or e-mail)"
    else:
        unit, meaning = describe(stem, column)
    if kind.startswith("local time"):
        unit = "local time"
        meaning += "; local wall-clock time moved by the participant's secret whole-week offset"
    elif kind.startswith("date"):
        meaning += "; moved by the participant's secret whole-week offset (weekday kept)"
    return {"file": f"{stem}.csv", "column": column, "type": kind, "unit": unit, "meaning": meaning}
