"""Analysis results remembered per person, data version, parameters and night.

An analysis page is computed once per change of the person's data: the result is stored
(as its model's JSON) under the person's ``data_version``, which moves on in the same
transaction as every write of their data (:mod:`bedside.storage.cache`). Stored results are
in the database, so every server worker shares them. The key holds the night the scope
stands in (results depend on "today") and the code's version, never the minute: nothing
that changes within a night without a write (Tonight, pre-dose findings) is remembered.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Final, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, delete, insert, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

import bedside
from bedside.services.scope import Scope
from bedside.storage.cache import WRITTEN, ComputedResult
from bedside.storage.database import BUSY_TIMEOUT_S
from bedside.storage.models import User

__all__ = ["CACHE_FORMAT", "STORE_WAIT_MS", "params_key", "remembered"]

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: Raise when a remembered model's meaning changes without a new Bedside version.
CACHE_FORMAT: Final = 1
#: How long storing a result waits for SQLite's write lock before it gives up (the page is
#: answered either way; the next request computes again).
STORE_WAIT_MS: Final = 50


def params_key(kind: str, params: Mapping[str, object], scope: Scope) -> str:
    """SHA-256 of the canonical JSON of ``params``, the scope's night and the code version."""
    canonical = json.dumps(
        {
            "kind": kind,
            "params": params,
            "night": scope.tonight(),
            "code": [bedside.__version__, CACHE_FORMAT],
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def remembered(
    scope: Scope,
    kind: str,
    params: Mapping[str, object],
    model_type: type[M],
    compute: Callable[[], M],
) -> M:
    """``compute()``'s result, stored once per data version of the scope's person.

    A scope that has written the person's data (or whose computation writes, such as an
    experiment drawing a due block) is answered freshly and stores nothing: its version
    moves on when it commits. Without a profile there is no night to key on: computed.
    """
    session = scope.session
    session.flush()
    if session.info.get(WRITTEN) or scope.profile is None:
        return compute()
    key = params_key(kind, params, scope)
    # The version first, then the data: a result can only be newer than its version.
    version = session.scalar(select(User.data_version).where(User.id == scope.user.id))
    payload = session.scalar(
        select(ComputedResult.payload).where(
            ComputedResult.user_id == scope.user.id,
            ComputedResult.kind == kind,
            ComputedResult.params_key == key,
            ComputedResult.data_version == version,
        )
    )
    if payload is not None:
        try:
            return model_type.model_validate_json(payload)
        except ValidationError:
            log.warning("remembered %s no longer reads; computing it again", kind)
    result = compute()
    session.flush()
    if version is not None and not session.info.get(WRITTEN):
        _store(scope, kind, key, int(version), result.model_dump_json())
    return result


def _store(scope: Scope, kind: str, key: str, version: int, payload: str) -> None:
    """Keep ``payload`` in a short transaction of its own (the request's stays a reader).

    The person's stale rows of ``kind`` go with it. A busy database or a concurrent store
    of the same result is skipped: the answer is given either way.
    """
    engine = scope.session.get_bind()
    if not isinstance(engine, Engine):
        return
    user_id = scope.user.id
    try:
        with engine.connect() as conn:
            _wait_briefly(conn)
            try:
                with conn.begin():
                    table = ComputedResult.__table__
                    assert isinstance(table, Table)
                    conn.execute(
                        delete(table).where(
                            table.c.user_id == user_id,
                            table.c.kind == kind,
                            or_(table.c.params_key == key, table.c.data_version != version),
                        )
                    )
                    conn.execute(
                        insert(table).values(
                            user_id=user_id,
                            kind=kind,
                            params_key=key,
                            data_version=version,
                            payload=payload,
                            computed_at=scope.now,
                        )
                    )
            finally:
                _wait_as_usual(conn)
    except (OperationalError, IntegrityError) as exc:
        log.info("not remembering %s this time (%s)", kind, type(exc.orig).__name__)


def _wait_briefly(conn: Connection) -> None:
    """Wait at most :data:`STORE_WAIT_MS` for a lock on this pooled connection."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout={STORE_WAIT_MS}")
    else:
        conn.exec_driver_sql(f"SET lock_timeout = {STORE_WAIT_MS}")
    conn.commit()


def _wait_as_usual(conn: Connection) -> None:
    """Give the pooled connection back with the usual lock wait."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    else:
        conn.exec_driver_sql("RESET lock_timeout")
    conn.commit()
