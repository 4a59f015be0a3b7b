"""The calendar of a randomised self-experiment: which night is which, and what to do.

An experiment starts on its start night with ``run_in`` nights of plain logging, then K
blocks; each block holds one period of L nights per condition, in the order drawn for that
block; the first ``washout`` nights of each period are not analysed. Blocks and periods are
numbered from 1 here (people read them); the order inside a block is passed in, because it
is drawn (and recorded) by the services just before the block starts.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

#: Condition names that mean "no kratom that night" (compared case-insensitively).
NO_DOSE_WORDS: Final = frozenset(
    {"no kratom", "no-kratom", "none", "no", "off", "no dose", "0", "0 g", "0g", "skip"}
)


@dataclass(frozen=True)
class ScheduleSpec:
    """The parts of a plan that fix the calendar."""

    start: date
    blocks: int
    nights_per_period: int
    washout_nights: int
    run_in_nights: int
    levels: tuple[str, ...]

    @property
    def nights_per_block(self) -> int:
        """Nights in one block (one period of every condition)."""
        return self.nights_per_period * len(self.levels)

    @property
    def total_nights(self) -> int:
        """Run-in plus every block."""
        return self.run_in_nights + self.blocks * self.nights_per_block

    @property
    def end(self) -> date:
        """The last night of the experiment."""
        return self.start + timedelta(days=self.total_nights - 1)

    def block_start(self, block: int) -> date:
        """First night of ``block`` (1-based)."""
        return self.start + timedelta(days=self.run_in_nights + (block - 1) * self.nights_per_block)


@dataclass(frozen=True)
class Slot:
    """One night of the experiment. ``condition`` is None on run-in nights and in blocks
    whose order is not drawn yet."""

    night: date
    block: int | None
    period: int | None
    night_in_period: int | None
    condition: str | None
    washout: bool
    run_in: bool


def slot_of(spec: ScheduleSpec, night: date, orders: Mapping[int, Sequence[str]]) -> Slot | None:
    """The slot of ``night``, or None when the night is outside the experiment."""
    offset = (night - spec.start).days
    if offset < 0 or offset >= spec.total_nights:
        return None
    if offset < spec.run_in_nights:
        return Slot(night, None, None, None, None, washout=False, run_in=True)
    within = offset - spec.run_in_nights
    block, rest = divmod(within, spec.nights_per_block)
    period, index = divmod(rest, spec.nights_per_period)
    order = orders.get(block + 1)
    condition = order[period] if order is not None else None
    washout = index < spec.washout_nights
    return Slot(night, block + 1, period + 1, index + 1, condition, washout, run_in=False)


def all_slots(spec: ScheduleSpec, orders: Mapping[int, Sequence[str]]) -> list[Slot]:
    """Every night of the experiment in date order."""
    out = []
    for offset in range(spec.total_nights):
        slot = slot_of(spec, spec.start + timedelta(days=offset), orders)
        assert slot is not None
        out.append(slot)
    return out


def takes_kratom(condition: str) -> bool:
    """Whether a condition means taking kratom that night (see :data:`NO_DOSE_WORDS`)."""
    return condition.strip().casefold() not in NO_DOSE_WORDS


def followed(condition: str, took: bool | None) -> bool | None:
    """Whether a night followed its condition: None when nothing was logged that night.

    Only taking vs not taking is checked; amounts and timings of dose levels are not.
    """
    if took is None:
        return None
    return took == takes_kratom(condition)


def instruction(slot: Slot | None, spec: ScheduleSpec) -> str:
    """What to do on the night of ``slot`` (plain words, never an amount)."""
    if slot is None:
        return "No experiment night."
    if slot.run_in:
        return (
            "Run-in night: no condition yet. Live and log the night as you usually do; "
            "these nights show how much your nights vary."
        )
    if slot.condition is None:
        return f"Block {slot.block}: the order is drawn when the block starts."
    if takes_kratom(slot.condition):
        what = f"Tonight's condition: {slot.condition}. Take it as you usually do and log it."
    else:
        what = (
            f"Tonight's condition: {slot.condition}. Don't take kratom tonight; if you do, "
            "log it honestly (the night still counts as planned)."
        )
    if slot.washout:
        what += (
            " This is a washout night: it is left out of the analysis, but keep to the "
            "condition so the next nights are clean."
        )
    return what + " Your safety comes first: you can stop the experiment at any time."


def smallest_p(levels: int, blocks: int) -> float:
    """Smallest p-value an exact randomisation test over ``blocks`` blocks can give.

    Two conditions: 2 / 2^K (two-sided sign flips); more conditions: 1 / (levels!)^(K-1).
    """
    if levels == 2:
        return 2.0 / float(2**blocks)
    arrangements = 1
    for k in range(2, levels + 1):
        arrangements *= k
    return 1.0 / float(arrangements ** (blocks - 1))
