"""Pooled PostgreSQL connections: pinged only after sitting idle, and replaced when dropped.

A web request opens two transactions (the sign-in check and the person's scope); pinging on
every checkout cost a round trip each. A connection the server dropped while it sat in the
pool must still be replaced without the person seeing an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bedside.storage.database import ping_when_idle

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(postgres_base: str, request: pytest.FixtureRequest) -> str:
    from tests.pg import create_database

    return create_database(postgres_base, f"ping_{abs(hash(request.node.nodeid)) % 10**9}")


@contextmanager
def engine_with(url: str, idle_s: float) -> Iterator[tuple[Engine, list[object]]]:
    engine = create_engine(url, pool_size=1, max_overflow=0)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return real_ping(dbapi_connection)

    engine.dialect.do_ping = counted  # type: ignore[method-assign]
    ping_when_idle(engine, idle_s)
    try:
        yield engine, pings
    finally:
        engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(url: str, pid: int) -> None:
    other = create_engine(url)
    with other.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        connection.commit()
    other.dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_url: str) -> None:
    with engine_with(pg_url, idle_s=60) as (engine, pings):
        first = backend_pid(engine)
        assert [backend_pid(engine) for _ in range(5)] == [first] * 5
        assert pings == []


def test_an_idle_connection_the_server_dropped_is_replaced(pg_url: str) -> None:
    with engine_with(pg_url, idle_s=0) as (engine, pings):
        first = backend_pid(engine)
        terminate(pg_url, first)

        second = backend_pid(engine)  # no error: the ping failed and a new connection came

        assert second != first
        assert len(pings) == 1
