"""Computed results kept per person and data version, and the version bump on every write.

``users.data_version`` changes in the same transaction as every write of a person's data, so
a result stored under one version is never read after the data changed (several server
workers share the table). Which tables count as the person's data is listed here
explicitly; a test fails when a new table is in neither list.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, sessionmaker

from bedside.storage.models import Base, User, utcnow

#: Tables whose rows change what an analysis of the person shows.
PERSON_DATA: frozenset[str] = frozenset(
    {
        "profiles",
        "products",
        "batches",
        "doses",
        "diary_entries",
        "pain_entries",
        "soreness_entries",
        "workouts",
        "intakes",
        "wearable_sources",
        "sleep_segments",
        "sleep_summaries",
        "health_samples",
        "mindful_sessions",
        "sleep_nights",
        "import_runs",
        "experiments",
        "experiment_blocks",
        "finding_acknowledgements",
        "self_ratings",
    }
)
#: Tables that never change an analysis: accounts and sign-in, sharing and studies, the
#: audit log, the schema's own bookkeeping and this cache.
NOT_PERSON_DATA: frozenset[str] = frozenset(
    {
        "users",
        "web_sessions",
        "api_tokens",
        "signin_failures",
        "shares",
        "audit_log",
        "studies",
        "enrolments",
        "computed_results",
    }
)
#: ``session.info`` keys: whose scope the session is, and whether it wrote their data.
OWNER = "bedside.owner"
WRITTEN = "bedside.person_data_written"


class ComputedResult(Base):
    """One analysis result (a model's JSON) for a person, its parameters and data version."""

    __tablename__ = "computed_results"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: SHA-256 (hex) of the canonical JSON of the parameters, the night and the code version.
    params_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


def mark_written(session: Session) -> None:
    """Note that ``session`` wrote the person's data (for writes that bypass the ORM)."""
    session.info[WRITTEN] = True


def bump_if_written(session: Session) -> None:
    """Flush, and move the owner's data version on when this transaction wrote their data.

    Runs in the same transaction as the writes, so the new version and the data become
    visible together.
    """
    session.flush()
    owner = session.info.get(OWNER)
    if not session.info.pop(WRITTEN, False) or owner is None:
        return
    session.execute(
        update(User).where(User.id == owner).values(data_version=User.data_version + 1),
        execution_options={"synchronize_session": False},
    )


def watch_writes(sessions: sessionmaker[Session]) -> None:
    """Flag every session of ``sessions`` that writes a table of :data:`PERSON_DATA`."""

    def after_flush(session: Session, _context: Any) -> None:
        if WRITTEN in session.info:
            return
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(obj, "__tablename__", None)
            if table in PERSON_DATA and (obj not in session.dirty or session.is_modified(obj)):
                mark_written(session)
                return

    def do_orm_execute(state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in PERSON_DATA:
            mark_written(state.session)

    from sqlalchemy import event

    event.listen(sessions, "after_flush", after_flush)
    event.listen(sessions, "do_orm_execute", do_orm_execute)
