"""Many outcomes at once (§4.4): Benjamini-Hochberg across the secondary panel.

The primary outcome carries the headline. Secondary outcomes form an *exploratory* panel
whose p-values are adjusted together (BH, q = 0.10); an outcome is flagged only when its
adjusted q is under 0.10 *and* its effect is at least its worth-it threshold. The panel
reports how many outcomes were examined. There is no scan over factor-by-outcome pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from bedside.analysis.observational import AdjustedDifference, adjusted_difference

FDR_Q: Final = 0.10
EXPLORATORY: Final = "exploratory"


def benjamini_hochberg(
    p_values: Sequence[float], q: float = FDR_Q
) -> tuple[list[float], list[bool]]:
    """BH-adjusted p-values (q-values) and which are below ``q``.

    NaN p-values (outcomes that could not be analysed) stay NaN and do not count towards
    the number of tests.
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(len(p), np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m:
        order = valid[np.argsort(p[valid], kind="stable")]
        ranked = p[order] * m / np.arange(1, m + 1)
        ranked = np.minimum.accumulate(ranked[::-1])[::-1]
        adjusted[order] = np.minimum(ranked, 1.0)
    values = [float(v) for v in adjusted]
    return values, [not math.isnan(v) and v < q for v in values]


@dataclass(frozen=True)
class PanelEntry:
    """One secondary outcome with its BH q-value and whether it is flagged."""

    result: AdjustedDifference
    q_value: float | None
    flagged: bool


@dataclass(frozen=True)
class SecondaryPanel:
    """The exploratory panel of secondary outcomes."""

    label: str
    entries: tuple[PanelEntry, ...]
    n_examined: int
    q: float


def secondary_panel(
    nights: pd.DataFrame,
    outcomes: Sequence[str],
    mids: dict[str, float] | None = None,
    exposure: str = "kratom",
    q: float = FDR_Q,
) -> SecondaryPanel:
    """Adjusted differences for each secondary outcome with BH control across them."""
    mids = mids or {}
    results = [adjusted_difference(nights, name, mids.get(name), exposure) for name in outcomes]
    p_values = [r.adjusted.p_value if r.adjusted else math.nan for r in results]
    q_values, below = benjamini_hochberg(p_values, q)
    entries = []
    for result, q_value, is_below in zip(results, q_values, below, strict=True):
        big_enough = (
            result.adjusted is not None
            and result.model_mid is not None
            and abs(result.adjusted.estimate) >= result.model_mid
        )
        entries.append(
            PanelEntry(result, None if math.isnan(q_value) else q_value, is_below and big_enough)
        )
    examined = sum(1 for p in p_values if not math.isnan(p))
    return SecondaryPanel(EXPLORATORY, tuple(entries), examined, q)
