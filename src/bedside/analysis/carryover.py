"""Carry-over check (§4.1): does the first analysable night after a switch look different?

For every period that follows a period of another condition, compare its first
analysable night (outcome logged, not washout) with the mean of its later analysable
nights. The mean gap is reported per condition; a gap larger than the worth-it threshold
raises a flag with advice to lengthen the washout. With few pairs this is a rough check,
not a model of carry-over (modelling it is no substitute for washout).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bedside.analysis.periods import PeriodColumns

ADVICE = (
    "The first night after a switch differs from the later nights by more than your "
    "threshold: the previous condition may still be acting. Consider more washout nights "
    "at the start of each period."
)


@dataclass(frozen=True)
class CarryOverCheck:
    """Mean (first analysable night - later nights) after each switch, per condition."""

    n_switches: int
    gap_by_condition: dict[str, float]
    flagged: bool
    advice: str | None


def carry_over_check(frame: pd.DataFrame, mid: float | None) -> CarryOverCheck:
    """Run the check on a night table with block, period, condition, day and y columns."""
    c = PeriodColumns
    usable = frame[frame[c.Y].notna()]
    if c.WASHOUT in usable:
        usable = usable[~usable[c.WASHOUT].astype(bool)]
    starts = frame.groupby([c.BLOCK, c.PERIOD])[c.DAY].min().sort_values()
    conditions = frame.groupby([c.BLOCK, c.PERIOD])[c.CONDITION].first()
    gaps: dict[str, list[float]] = {}
    previous: str | None = None
    for key in starts.index:
        condition = str(conditions[key])
        if previous is not None and condition != previous:
            nights = usable[(usable[c.BLOCK] == key[0]) & (usable[c.PERIOD] == key[1])]
            values = nights.sort_values(c.DAY)[c.Y].to_numpy(dtype=float)
            if len(values) >= 2:
                gaps.setdefault(condition, []).append(float(values[0] - values[1:].mean()))
        previous = condition
    by_condition = {k: float(np.mean(v)) for k, v in gaps.items()}
    flagged = mid is not None and any(abs(g) > mid for g in by_condition.values())
    return CarryOverCheck(
        n_switches=sum(len(v) for v in gaps.values()),
        gap_by_condition=by_condition,
        flagged=flagged,
        advice=ADVICE if flagged else None,
    )
