"""Migrations: empty → head, the head constant, models and migrations agree, safe upgrades."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bedside.services.scope import Scope, local_user
from bedside.settings import load_settings
from bedside.storage.database import SCHEMA_HEAD, Database, alembic_config, upgrade
from bedside.storage.models import Base, EntryColumns
from bedside.storage.schema import metadata

#: These tests are about the migrations themselves: no copy of the migrated template.
pytestmark = pytest.mark.real_migrations


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


def test_entry_tables_list_their_columns_in_the_order_the_migrations_created_them(
    database: str,
) -> None:
    """Backups and the study data dictionary list a table's columns in the models' order:
    the columns an entry table takes from the shared mixin keep the places they had."""
    entry_tables = [
        m.local_table for m in Base.registry.mappers if issubclass(m.class_, EntryColumns)
    ]
    assert {t.name for t in entry_tables} >= {"doses", "pain_entries", "intakes", "workouts"}
    db = Database(load_settings(db=database, environ={}))
    db.ensure_schema()
    found = inspect(db.engine)
    for table in entry_tables:
        created = [column["name"] for column in found.get_columns(table.name)]
        assert [column.name for column in table.columns] == created, table.name
    db.dispose()


def test_every_revision_upgrades_in_turn(database: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    db = Database(load_settings(db=database, environ={}))
    for revision in revisions:
        upgrade(db.engine, revision)
        assert db.current_revision() == revision
    db.dispose()


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [
        r.revision for r in reversed(list(script.walk_revisions())) if r.revision != SCHEMA_HEAD
    ]


@pytest.mark.parametrize("revision", _earlier_revisions())
def test_upgrading_from_every_earlier_revision_keeps_the_profile(
    database: str, revision: str
) -> None:
    """A profile written at an older revision survives the upgrade; its sleep priority is the
    default (NULL) until the person sets one."""
    from bedside.services.sleep_priority import get_priority, set_priority

    db = Database(load_settings(db=database, environ={}))
    upgrade(db.engine, revision)
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("is_local", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    profiles = sa.table(
        "profiles",
        *(sa.column(name, sa.String) for name in ("timezone", "bedtime")),
        *(sa.column(name, sa.JSON) for name in ("wind_down", "medications", "conditions")),
        sa.column("user_id", sa.Integer),
        sa.column("lead_min", sa.Integer),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with db.engine.begin() as conn:
        conn.execute(sa.insert(users).values(id=1, name="me", is_local=True, created_at=now))
        conn.execute(
            sa.insert(profiles).values(
                user_id=1,
                timezone="Europe/London",
                bedtime="22:45",
                lead_min=50,
                wind_down=[{"text": "Lights down", "minutes_before": 30}],
                medications=["sertraline"],
                conditions=[],
                updated_at=now,
            )
        )
    db.ensure_schema()
    assert db.current_revision() == SCHEMA_HEAD
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT timezone, bedtime, lead_min, sleep_priority FROM profiles")
        ).one()
    assert tuple(row) == ("Europe/London", "22:45", 50, None)
    with db.session() as session:
        scope = Scope(session, local_user(session))
        assert get_priority(scope).is_default is True
        assert set_priority(scope, ["oura"]).order[0] == "oura"
        assert scope.require_profile().medications == ["sertraline"]
    db.dispose()


def test_0010_keeps_every_grant_and_its_downgrade_drops_only_pending_invitations(
    database: str,
) -> None:
    """Grants made at 0008 survive the rebuild of ``shares``; downgrading keeps them too."""
    from alembic import command

    db = Database(load_settings(db=database, environ={}))
    upgrade(db.engine, "0008")
    made = "'2025-01-01 00:00:00+00:00'"
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (id, name, is_local, role, disabled, created_at) VALUES "
                f"(1, 'ann', false, 'participant', false, {made}), "
                f"(2, 'doc', false, 'clinician', false, {made})"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO shares (owner_id, grantee_id, access, created_at, last_viewed) "
                f"VALUES (1, 2, 'manager', {made}, 'GET /history')"
            )
        )
    upgrade(db.engine)
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO shares (owner_id, invited_email, access, created_at) "
                f"VALUES (1, 'new@example.org', 'viewer', {made})"
            )
        )
        rows = conn.execute(sa.text("SELECT grantee_id, access, last_viewed FROM shares"))
        assert sorted(rows.tuples(), key=str) == [
            (2, "manager", "GET /history"),
            (None, "viewer", None),
        ]
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
    with db.engine.begin() as conn:
        kept = conn.execute(sa.text("SELECT owner_id, grantee_id, access FROM shares")).all()
    assert [tuple(r) for r in kept] == [(1, 2, "manager")]
    assert "invited_email" not in {c["name"] for c in inspect(db.engine).get_columns("shares")}
    db.dispose()
