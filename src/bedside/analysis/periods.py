"""Periods and pairs: the unit that is actually switched in a self-experiment.

The period-level analysis (``nof1-methods.md`` §4.1) works on one mean per period and one
difference per pair (block). This module turns a night-level table into those units:

- a *period* is a run of nights under one condition; its mean uses only analysable nights
  (outcome logged, not washout) and the period counts only with at least
  ``min_nights`` of them (3 by default, §4.1);
- a *block* (a pair when there are two conditions) holds one period of each condition;
  its difference is mean(treatment) - mean(reference).

The table uses the column names of :class:`PeriodColumns`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from bedside.analysis.distributions import t_ppf

#: §4.1: "a period counts if at least 3 analysable nights are logged".
MIN_PERIOD_NIGHTS: Final = 3


class PeriodColumns:
    """Column names of the night-level table the period functions read."""

    Y: Final = "y"
    CONDITION: Final = "condition"
    BLOCK: Final = "block"
    PERIOD: Final = "period"
    DAY: Final = "day"
    WASHOUT: Final = "washout"


@dataclass(frozen=True)
class PeriodSummary:
    """One period: its condition, analysable nights and mean."""

    block: Hashable
    period: Hashable
    condition: str
    n_nights: int
    mean: float
    sd: float
    first_day: int | None
    last_day: int | None
    counts: bool

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """t interval for the period mean (descriptive: it ignores autocorrelation)."""
        if self.n_nights < 2 or math.isnan(self.sd):
            return (self.mean, self.mean)
        half = float(t_ppf(0.5 + level / 2, self.n_nights - 1)) * self.sd
        return (
            self.mean - half / math.sqrt(self.n_nights),
            self.mean + half / math.sqrt(self.n_nights),
        )


@dataclass(frozen=True)
class PairDifference:
    """One complete block: mean(treatment periods) - mean(reference periods)."""

    block: Hashable
    treatment_mean: float
    control_mean: float
    difference: float


def runs_as_periods(days: Sequence[int], conditions: Sequence[str]) -> list[int]:
    """Number the runs of consecutive rows (in day order) under one condition.

    Missing days do not split a run: only a change of condition starts a new period.
    Returns the period number of each row, in the input order.
    """
    order = np.argsort(np.asarray(days), kind="stable")
    numbers = [0] * len(order)
    current, previous = -1, None
    for i in order:
        if conditions[i] != previous:
            current += 1
            previous = conditions[i]
        numbers[i] = current
    return numbers


def pair_runs(
    periods: Sequence[int], conditions: Sequence[str], treatment: str, control: str
) -> list[int | None]:
    """Pair the k-th treatment period with the k-th control period (periods in order).

    Returns the pair number (0-based) for each row, or ``None`` for rows of a period that
    has no partner (an unmatched last period, or another condition).
    """
    seen: dict[str, list[int]] = {treatment: [], control: []}
    for period, condition in sorted(set(zip(periods, conditions, strict=True))):
        if condition in seen:
            seen[condition].append(period)
    k_pairs = min(len(seen[treatment]), len(seen[control]))
    pair_of: dict[int, int] = {}
    for condition in (treatment, control):
        for k, period in enumerate(seen[condition][:k_pairs]):
            pair_of[period] = k
    return [pair_of.get(period) for period in periods]


def period_means(frame: pd.DataFrame, min_nights: int = MIN_PERIOD_NIGHTS) -> list[PeriodSummary]:
    """Summaries of every (block, period), ordered by first day (else by block, then period
    label, numbers by value so that pair "10" comes after pair "9").

    Raises ``ValueError`` when a period mixes conditions.
    """
    c = PeriodColumns
    analysable = frame[c.Y].notna()
    if c.WASHOUT in frame:
        analysable &= ~frame[c.WASHOUT].astype(bool)
    summaries = []
    for (block, period), group in frame.groupby([c.BLOCK, c.PERIOD], sort=True, dropna=True):
        conditions = group[c.CONDITION].unique()
        if len(conditions) != 1:
            raise ValueError(f"period {period!r} of block {block!r} mixes conditions")
        values = group.loc[analysable[group.index], c.Y].to_numpy(dtype=float)
        days = group.get(c.DAY)
        summaries.append(
            PeriodSummary(
                block=block,
                period=period,
                condition=str(conditions[0]),
                n_nights=len(values),
                mean=float(values.mean()) if len(values) else float("nan"),
                sd=float(values.std(ddof=1)) if len(values) > 1 else float("nan"),
                first_day=int(days.min()) if days is not None else None,
                last_day=int(days.max()) if days is not None else None,
                counts=len(values) >= min_nights,
            )
        )
    if all(s.first_day is not None for s in summaries):
        summaries.sort(key=lambda s: (s.first_day, natural_key(s.block)))
    else:
        summaries.sort(key=lambda s: (natural_key(s.block), natural_key(s.period)))
    return summaries


def natural_key(label: Hashable) -> tuple[int, float, str]:
    """Sort key for block and period labels: numbers by value ("2" before "10"), then text."""
    text = str(label).strip()
    try:
        number = float(text)
    except ValueError:
        return (1, 0.0, text)
    return (0, number, text) if math.isfinite(number) else (1, 0.0, text)


def block_differences(
    periods: Sequence[PeriodSummary], treatment: str, reference: str
) -> list[PairDifference]:
    """Differences for blocks with at least one counting period of both conditions.

    A block with several periods of one condition uses the mean of their means. Blocks
    come out in the order of their first period.
    """
    means: dict[Hashable, dict[str, list[float]]] = {}
    for s in periods:
        if s.counts and s.condition in (treatment, reference):
            means.setdefault(s.block, {}).setdefault(s.condition, []).append(s.mean)
    pairs = []
    for block, by_condition in means.items():
        if treatment in by_condition and reference in by_condition:
            t = float(np.mean(by_condition[treatment]))
            r = float(np.mean(by_condition[reference]))
            pairs.append(PairDifference(block, t, r, t - r))
    return pairs


def switch_orders(periods: Sequence[PeriodSummary]) -> list[tuple[str, ...]]:
    """The order of conditions inside each block (by first day), one tuple per block."""
    orders: dict[Hashable, list[str]] = {}
    for s in periods:
        orders.setdefault(s.block, []).append(s.condition)
    return [tuple(v) for v in orders.values()]
