"""Alembic environment: runs on the connection handed over by ``bedside.storage.database``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bedside.storage.schema import metadata

config = context.config
target_metadata = metadata


def run_migrations() -> None:
    """Run migrations online, on the given connection or on ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
