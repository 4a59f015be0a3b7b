"""Tables for randomised self-experiments: the plan fixed up front and each block's draw.

An experiment row holds everything chosen before the first night (``nof1-methods.md`` §4.1,
CENT items 3a, 6a, 8-10): the question, one primary outcome and its direction, the worth-it
threshold, the conditions compared and the reference, K blocks of periods of L nights, the
washout and run-in nights, the start night and the seed of the coin flips, and the
planning inputs (night-to-night SD and autocorrelation, how many nights they came from).

An ``experiment_blocks`` row is written when a block's order is drawn, before the block's
first night is used, so the record shows the order was fixed beforehand. Nothing else is
stored: adherence is derived from the doses logged on assigned nights.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bedside.storage.models import Base, utcnow

#: Experiment states. "planned" until the start night, "running" until the last night,
#: then "complete"; "stopped" when the person ended it early.
EXPERIMENT_STATUSES = ("planned", "running", "stopped", "complete")


class Experiment(Base):
    """A planned randomised self-experiment (everything fixed before it starts)."""

    __tablename__ = "experiments"
    __table_args__ = (
        CheckConstraint("blocks >= 3", name="blocks_min"),
        CheckConstraint("nights_per_period > washout_nights", name="period_after_washout"),
        CheckConstraint("mid > 0", name="mid_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(64))
    lower_is_better: Mapped[bool] = mapped_column(Boolean)
    mid: Mapped[float] = mapped_column(Float)
    levels: Mapped[list[Any]] = mapped_column(JSON)
    reference: Mapped[str] = mapped_column(String(120))
    blocks: Mapped[int] = mapped_column(Integer)
    nights_per_period: Mapped[int] = mapped_column(Integer)
    washout_nights: Mapped[int] = mapped_column(Integer)
    run_in_nights: Mapped[int] = mapped_column(Integer)
    start_night: Mapped[date] = mapped_column(Date)
    seed: Mapped[int] = mapped_column(BigInteger)
    early_stopping: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]
    stopped_night: Mapped[date | None] = mapped_column(Date)
    #: Planning inputs frozen when the plan was saved (the nights before the start) and,
    #: with a run-in, when the run-in ended: later nights never change them. None for plans
    #: saved before Bedside kept them (frozen on first view).
    planning: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    draws: Mapped[list[ExperimentBlock]] = relationship(
        back_populates="experiment",
        cascade="all, delete-orphan",
        order_by="ExperimentBlock.block_index",
    )


class ExperimentBlock(Base):
    """The order of the conditions inside one block, recorded when it was drawn."""

    __tablename__ = "experiment_blocks"
    __table_args__ = (
        UniqueConstraint("experiment_id", "block_index", name="uq_experiment_blocks_index"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiments.id", ondelete="CASCADE"))
    block_index: Mapped[int] = mapped_column(Integer)
    conditions: Mapped[list[Any]] = mapped_column(JSON)
    randomised_at: Mapped[datetime] = mapped_column(default=utcnow)

    experiment: Mapped[Experiment] = relationship(back_populates="draws")
