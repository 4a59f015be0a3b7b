"""What the person told Bedside about safety: acknowledged findings and daily check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bedside.storage.models import Base, utcnow


class FindingAcknowledgement(Base):
    """The person saw these findings before logging a dose and chose to go ahead."""

    __tablename__ = "finding_acknowledgements"
    __table_args__ = (Index("ix_finding_acknowledgements_user_at", "user_id", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dose_id: Mapped[int | None] = mapped_column(ForeignKey("doses.id", ondelete="SET NULL"))
    finding_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    severity: Mapped[str] = mapped_column(String(16))
    context: Mapped[str] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfRating(Base):
    """A daily check-in answer (0-10) to one of Bedside's own craving/withdrawal questions."""

    __tablename__ = "self_ratings"
    __table_args__ = (UniqueConstraint("user_id", "day", "item", name="uq_self_ratings_day_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    item: Mapped[str] = mapped_column(String(32))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
