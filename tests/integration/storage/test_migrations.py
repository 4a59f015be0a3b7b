"""Migrations: empty → head, the head constant, models and migrations agree, safe upgrades."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bedside.settings import load_settings
from bedside.storage.database import SCHEMA_HEAD, Database, alembic_config, upgrade
from bedside.storage.schema import metadata


def test_head_constant_matches_alembic() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == SCHEMA_HEAD


def test_empty_database_upgrades_to_head_and_matches_the_models(database: str) -> None:
    db = Database(load_settings(db=database, environ={}))
    assert db.current_revision() is None
    db.ensure_schema()
    assert db.current_revision() == SCHEMA_HEAD
    tables = set(inspect(db.engine).get_table_names())
    assert {"users", "profiles", "doses", "diary_entries", "batches"} <= tables
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []
    db.ensure_schema()  # a second start is a no-op
    db.dispose()


def test_every_revision_upgrades_in_turn(database: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    db = Database(load_settings(db=database, environ={}))
    for revision in revisions:
        upgrade(db.engine, revision)
        assert db.current_revision() == revision
    db.dispose()
