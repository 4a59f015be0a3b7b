"""SQLAlchemy 2 tables. Every row belongs to a user; instants are UTC with the person's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bedside.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention (for migrations)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


#: Where a column of an entry table stands (``mapped_column(sort_order=...)``): the key and
#: owner first, then the entry's instant, its zone and night, the table's own columns (the
#: default, 0), and the note and creation time last. Tables keep the column order the
#: migrations created them with (backups and the data dictionary list columns in it).
KEY, WHEN, NIGHT, LAST = -3, -2, -1, 1


class EntryColumns:
    """The columns every logged entry (dose, pain, soreness, workout, intake) shares.

    Each table adds its instant (``taken_at``, ``at`` or ``start_at``, declared with
    ``sort_order=WHEN``) and its own columns; the night is the local date of the evening the
    entry belongs to, ``tz`` the IANA zone the person was in.
    """

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=KEY)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), sort_order=KEY)
    tz: Mapped[str] = mapped_column(String(64), sort_order=NIGHT)
    night: Mapped[date] = mapped_column(Date, sort_order=NIGHT)
    note: Mapped[str | None] = mapped_column(Text, sort_order=LAST)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, sort_order=LAST)


def entry_indexes(table: str, instant: str, instant_index: str) -> tuple[Index, Index]:
    """The two indexes of an entry table: by owner and instant, and by owner and night."""
    return (
        Index(instant_index, "user_id", instant),
        Index(f"ix_{table}_user_night", "user_id", "night"),
    )


class User(Base):
    """A person. Single-user mode has one local user, created on first use."""

    __tablename__ = "users"
    __table_args__ = (Index("ix_users_email", "email", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Server mode only: the sign-in e-mail (lower case), Argon2 hash, role and whether the
    #: account may sign in. The local user of single-user mode has none of them.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(
        String(16), default="participant", server_default="participant"
    )
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: Moves on in the same transaction as every write of the person's data (see
    #: :mod:`bedside.storage.cache`): results computed at another version are stale.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    profile: Mapped[Profile | None] = relationship(back_populates="user", uselist=False)


class Profile(Base):
    """Time zone, region, target bedtime, intake lead, wind-down steps, caps, meds, conditions."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(16))
    bedtime: Mapped[str] = mapped_column(String(5))
    lead_min: Mapped[int] = mapped_column(Integer, default=60)
    wind_down: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cap_dose_g: Mapped[float | None] = mapped_column(Float)
    cap_day_g: Mapped[float | None] = mapped_column(Float)
    cap_days_week: Mapped[int | None] = mapped_column(Integer)
    medications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: Device classes best first (bedside.sleep.priority); NULL means the default order.
    sleep_priority: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")


class Product(Base):
    """A kratom product as sold (labels are the vendor's claims, not facts)."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    strain: Mapped[str | None] = mapped_column(String(120))
    colour: Mapped[str | None] = mapped_column(String(40))
    region_label: Mapped[str | None] = mapped_column(String(120))
    form: Mapped[str] = mapped_column(String(32))
    vendor: Mapped[str | None] = mapped_column(String(200))
    grams_per_capsule: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    batches: Mapped[list[Batch]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Batch.id"
    )


class Batch(Base):
    """A lot of a product with its lab results (alkaloids % w/w, contaminant panel)."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    lot: Mapped[str] = mapped_column(String(120))
    mitragynine_pct: Mapped[float | None] = mapped_column(Float)
    seven_oh_pct: Mapped[float | None] = mapped_column(Float)
    tested_on: Mapped[date | None] = mapped_column(Date)
    lab: Mapped[str | None] = mapped_column(String(200))
    contaminants_passed: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="batches")


class Dose(EntryColumns, Base):
    """One dose: when, how much, which product and batch, why, and pain before it."""

    __tablename__ = "doses"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        *entry_indexes("doses", "taken_at", "ix_doses_user_taken"),
    )

    taken_at: Mapped[datetime] = mapped_column(sort_order=WHEN)
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    grams_per_capsule: Mapped[float | None] = mapped_column(Float)
    grams: Mapped[float | None] = mapped_column(Float)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("batches.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(String(16))
    pain_before: Mapped[int | None] = mapped_column(Integer)

    product: Mapped[Product | None] = relationship()
    batch: Mapped[Batch | None] = relationship()


class DiaryEntry(Base):
    """A Consensus Sleep Diary morning entry (raw answers; metrics are derived on read)."""

    __tablename__ = "diary_entries"
    __table_args__ = (UniqueConstraint("user_id", "night", name="uq_diary_user_night"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    night: Mapped[date] = mapped_column(Date)
    tz: Mapped[str] = mapped_column(String(64))
    bedtime: Mapped[datetime]
    tried: Mapped[datetime]
    sol_min: Mapped[int] = mapped_column(Integer)
    awakenings: Mapped[int] = mapped_column(Integer)
    waso_min: Mapped[int] = mapped_column(Integer)
    final_wake: Mapped[datetime]
    out_of_bed: Mapped[datetime]
    quality: Mapped[int] = mapped_column(Integer)
    rested: Mapped[int | None] = mapped_column(Integer)
    nap_count: Mapped[int | None] = mapped_column(Integer)
    nap_min: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    definition_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PainEntry(EntryColumns, Base):
    """Pain on the 0-10 numeric rating scale, with an optional location."""

    __tablename__ = "pain_entries"
    __table_args__ = entry_indexes("pain_entries", "at", "ix_pain_user_at")

    at: Mapped[datetime] = mapped_column(sort_order=WHEN)
    score: Mapped[int] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(120))


class SorenessEntry(EntryColumns, Base):
    """Muscle soreness 0-10 for one muscle group."""

    __tablename__ = "soreness_entries"
    __table_args__ = entry_indexes("soreness_entries", "at", "ix_soreness_user_at")

    at: Mapped[datetime] = mapped_column(sort_order=WHEN)
    muscle_group: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(Integer)


class Workout(EntryColumns, Base):
    """A workout, logged by hand or imported from a wearable (``source`` tells which)."""

    __tablename__ = "workouts"
    __table_args__ = (
        *entry_indexes("workouts", "start_at", "ix_workouts_user_start"),
        UniqueConstraint("user_id", "source_key", name="uq_workouts_user_source_key"),
    )

    start_at: Mapped[datetime] = mapped_column(sort_order=WHEN)
    kind: Mapped[str] = mapped_column(String(80))
    duration_min: Mapped[float] = mapped_column(Float)
    rpe: Mapped[int | None] = mapped_column(Integer)
    muscle_groups: Mapped[list[Any]] = mapped_column(JSON, default=list)
    eccentric: Mapped[bool] = mapped_column(Boolean, default=False)
    new_work: Mapped[bool] = mapped_column(Boolean, default=False)
    energy_kcal: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(40), default="manual")
    source_key: Mapped[str | None] = mapped_column(String(64))


class Intake(EntryColumns, Base):
    """Alcohol (standard drinks), caffeine (mg) or a medication taken (name and dose)."""

    __tablename__ = "intakes"
    __table_args__ = entry_indexes("intakes", "at", "ix_intakes_user_at")

    at: Mapped[datetime] = mapped_column(sort_order=WHEN)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
