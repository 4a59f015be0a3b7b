"""Foreign errors are translated once, by one table at the service edge."""

from __future__ import annotations

import csv
import errno
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bedside.analysis.file_input import AnalysisInputError
from bedside.domain.errors import (
    BedsideError,
    BusyError,
    DiskFullError,
    StorageError,
    UnreadableFileError,
)
from bedside.importers.base import ImportFileError
from bedside.knowledge.regions import UnknownRegionCodeError
from bedside.safety.legal import UnknownRegionError
from bedside.services.experiments.plan import NoExperimentError
from bedside.services.faults import FOREIGN_ERRORS, foreign_errors, translate
from bedside.services.imports import ImportFailedError
from bedside.services.runtime import Bedside
from bedside.settings import Settings, SettingsError, sqlite_url


def test_every_error_a_person_can_cause_has_one_root() -> None:
    for kind in (
        AnalysisInputError,
        ImportFileError,
        ImportFailedError,
        UnknownRegionError,
        UnknownRegionCodeError,
        SettingsError,
        NoExperimentError,
        UnreadableFileError,
    ):
        assert issubclass(kind, BedsideError), kind


def test_the_table_names_the_foreign_types() -> None:
    assert {sqlite3.Error, csv.Error, zipfile.BadZipFile, OSError} <= set(FOREIGN_ERRORS)


def test_a_locked_database_is_busy() -> None:
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert isinstance(translate(locked), BusyError)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFullError),
        (sqlite3.OperationalError("database or disk is full"), DiskFullError),
        (OSError(errno.EACCES, "Permission denied", "/data"), StorageError),
        (sqlite3.OperationalError("attempt to write a readonly database"), StorageError),
    ],
)
def test_machine_faults_say_what_is_wrong(error: Exception, kind: type[BedsideError]) -> None:
    with pytest.raises(kind) as caught, foreign_errors():
        raise error
    assert caught.value.__cause__ is None and "nothing was saved" in caught.value.message


def test_a_malformed_file_names_the_file_not_an_option() -> None:
    with pytest.raises(UnreadableFileError) as caught, foreign_errors(subject="sleep.csv"):
        raise csv.Error("field larger than field limit (131072)")
    assert caught.value.message == (
        "sleep.csv: not a readable CSV file (field larger than field limit (131072)); "
        "nothing was imported"
    )
    assert "--" not in caught.value.message


def test_what_the_table_does_not_know_stays_as_it_was() -> None:
    with pytest.raises(KeyError), foreign_errors():
        raise KeyError("a bug, not a mistake")
    assert translate(OSError(errno.ENOENT, "No such file")) is None


def test_a_locked_write_in_a_scope_is_busy(tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url(tmp_path / "b.db"), data_dir=tmp_path / "data")
    app = Bedside(settings).start()
    holder = sqlite3.connect(tmp_path / "b.db", timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BusyError), app.scope() as scope:
            scope.session.connection().exec_driver_sql("PRAGMA busy_timeout = 0")
            scope.session.connection().exec_driver_sql("DELETE FROM doses")
    finally:
        holder.rollback()
        holder.close()
        app.close()


def test_a_service_message_speaks_of_the_thing_not_of_a_cli_option(tmp_path: Path) -> None:
    from bedside.domain.errors import InputError
    from bedside.services.activity import add_intake

    settings = Settings(database_url=sqlite_url(tmp_path / "m.db"), data_dir=tmp_path / "data")
    app = Bedside(settings).start()
    try:
        with pytest.raises(InputError) as caught, app.scope() as scope:
            add_intake(scope, {"kind": "medication"})
    finally:
        app.close()
    assert caught.value.field == "name"
    assert "--" not in caught.value.message
