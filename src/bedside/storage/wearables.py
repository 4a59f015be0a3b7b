"""Tables for imported wearable and app data: sources, sleep, samples, nights, import runs.

Heart-rate-like samples are the bulk of an Apple Health export (millions of rows), so
``health_samples`` is kept narrow: the instant is an integer of UTC epoch seconds and the
source is an integer reference. Everything else uses the aware-UTC ``datetime`` columns of
the rest of the schema. Re-importing adds nothing: every table has a natural unique key and
rows are inserted with "on conflict do nothing".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bedside.storage.models import Base, utcnow


class WearableSource(Base):
    """One source of imported data: the importer and the app or device name it reported."""

    __tablename__ = "wearable_sources"
    __table_args__ = (
        UniqueConstraint("user_id", "importer", "source_name", name="uq_wearable_sources_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    importer: Mapped[str] = mapped_column(String(32))
    source_name: Mapped[str] = mapped_column(String(200))


class SleepSegmentRow(Base):
    """One stretch of one sleep stage as a source recorded it."""

    __tablename__ = "sleep_segments"
    __table_args__ = (
        UniqueConstraint("user_id", "key_hash", name="uq_sleep_segments_key"),
        Index("ix_sleep_segments_user_start", "user_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("wearable_sources.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    stage: Mapped[str] = mapped_column(String(24))
    device: Mapped[str | None] = mapped_column(String(300))
    zone: Mapped[str | None] = mapped_column(String(64))
    offset_min: Mapped[int | None] = mapped_column(Integer)
    key_hash: Mapped[str] = mapped_column(String(32))


class SleepSummaryRow(Base):
    """A sleep session known by its totals only (minutes)."""

    __tablename__ = "sleep_summaries"
    __table_args__ = (
        UniqueConstraint("user_id", "key_hash", name="uq_sleep_summaries_key"),
        Index("ix_sleep_summaries_user_start", "user_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("wearable_sources.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    asleep_min: Mapped[float | None] = mapped_column(Float)
    deep_min: Mapped[float | None] = mapped_column(Float)
    core_min: Mapped[float | None] = mapped_column(Float)
    rem_min: Mapped[float | None] = mapped_column(Float)
    awake_min: Mapped[float | None] = mapped_column(Float)
    awakenings: Mapped[int | None] = mapped_column(Integer)
    is_main: Mapped[bool | None] = mapped_column(Boolean)
    zone: Mapped[str | None] = mapped_column(String(64))
    offset_min: Mapped[int | None] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(120))
    key_hash: Mapped[str] = mapped_column(String(32))


class HealthSample(Base):
    """One reading (heart rate, resting heart rate, HRV, respiratory rate)."""

    __tablename__ = "health_samples"
    __table_args__ = (
        # One index serves both deduplication and the range scans by (user, kind, time).
        UniqueConstraint(
            "user_id", "kind", "at_epoch", "source_id", "value", name="uq_health_samples_key"
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("wearable_sources.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    at_epoch: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[float] = mapped_column(Float)


class MindfulSessionRow(Base):
    """A mindfulness or breathing session."""

    __tablename__ = "mindful_sessions"
    __table_args__ = (UniqueConstraint("user_id", "key_hash", name="uq_mindful_sessions_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("wearable_sources.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    zone: Mapped[str | None] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(32))


class SleepNightRow(Base):
    """A night of wearable sleep, per source and combined (recomputed after each import)."""

    __tablename__ = "sleep_nights"
    __table_args__ = (Index("ix_sleep_nights_user_night", "user_id", "night"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    night: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(32))
    source_name: Mapped[str] = mapped_column(String(200))
    is_main: Mapped[bool] = mapped_column(Boolean)
    session_start: Mapped[datetime]
    session_end: Mapped[datetime]
    sleep_start: Mapped[datetime | None]
    sleep_end: Mapped[datetime | None]
    in_bed_min: Mapped[float] = mapped_column(Float)
    asleep_min: Mapped[float | None] = mapped_column(Float)
    deep_min: Mapped[float | None] = mapped_column(Float)
    core_min: Mapped[float | None] = mapped_column(Float)
    rem_min: Mapped[float | None] = mapped_column(Float)
    awake_min: Mapped[float | None] = mapped_column(Float)
    awakenings: Mapped[int | None] = mapped_column(Integer)
    hr_mean: Mapped[float | None] = mapped_column(Float)
    hrv_mean: Mapped[float | None] = mapped_column(Float)
    sources: Mapped[list[Any]] = mapped_column(JSON, default=list)
    zone: Mapped[str | None] = mapped_column(String(64))


class ImportRun(Base):
    """One import of one file: what was added, skipped as duplicate and ignored."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    importer: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(300))
    file_size: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    added: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    duplicates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ignored: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
