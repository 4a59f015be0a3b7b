"""Minimum-data rules: nothing is estimated until the data can support it (§4.2, §4.3).

Each rule returns an :class:`Eligibility` with the counts and, when not met, sentences that
say exactly what is missing ("3 more nights without kratom"), so the screen can show
"Not enough variation yet" plus what to log.

Deviation from §4.2, stated: "each confounder varying" is not a blocking rule here. A
covariate that never varies cannot confound; it is left out of the model and listed as
"not adjusted for (never varied)" instead of hiding the whole result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from bedside.analysis.outcomes import FloatArray

NOT_ENOUGH: Final = "Not enough variation yet."
#: §4.2 thresholds.
MIN_LOGGED_NIGHTS: Final = 28
MIN_NIGHTS_EACH_WAY: Final = 10
MIN_SWITCHES: Final = 4
#: §4.3 thresholds.
MIN_DOSED_NIGHTS: Final = 20
MIN_NIGHTS_PER_LEVEL: Final = 6
MIN_LEVELS: Final = 2
CURVATURE_FROM_DOSED_NIGHTS: Final = 60


@dataclass(frozen=True)
class Eligibility:
    """Whether a rule is met, the counts it used, and what is missing if not."""

    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def message(self) -> str | None:
        """None when met, else "Not enough variation yet." plus what is missing."""
        return None if self.ok else " ".join((NOT_ENOUGH, *self.missing))


def _more(have: int, need: int, what: str, one: str | None = None) -> str | None:
    """What is missing, e.g. "3 more logged nights needed (have 25, need 28)".

    ``one`` is the singular of ``what``, used when exactly one more is needed.
    """
    if have >= need:
        return None
    short = need - have
    return f"{short} more {one if short == 1 and one else what} needed (have {have}, need {need})."


def exposure_eligibility(
    took: Sequence[float] | FloatArray, exposure: str = "kratom"
) -> Eligibility:
    """§4.2 rule on the logged nights' exposure (1.0 / 0.0), in date order."""
    t = np.asarray(took, dtype=float)
    t = t[~np.isnan(t)]
    n_with = int(np.sum(t == 1))
    n_without = int(np.sum(t == 0))
    switches = int(np.sum(t[1:] != t[:-1])) if len(t) > 1 else 0
    counts = {"logged_nights": len(t), "with": n_with, "without": n_without, "switches": switches}
    between = f"between {exposure} and no-{exposure} nights"
    missing = [
        _more(len(t), MIN_LOGGED_NIGHTS, "logged nights", "logged night"),
        _more(
            n_with, MIN_NIGHTS_EACH_WAY, f"logged nights with {exposure}",
            f"logged night with {exposure}",
        ),
        _more(
            n_without, MIN_NIGHTS_EACH_WAY, f"logged nights without {exposure}",
            f"logged night without {exposure}",
        ),
        _more(switches, MIN_SWITCHES, f"switches {between}", f"switch {between}"),
    ]  # fmt: skip
    found = tuple(m for m in missing if m)
    return Eligibility(not found, counts, found)


def levels_eligibility(
    levels: Sequence[str], what: str, min_nights: int = MIN_DOSED_NIGHTS
) -> Eligibility:
    """§4.3 rule: enough nights, and 2+ levels (doses or timing bands) with 6+ nights each."""
    counts: dict[str, int] = {}
    for level in levels:
        counts[level] = counts.get(level, 0) + 1
    well_filled = sum(1 for v in counts.values() if v >= MIN_NIGHTS_PER_LEVEL)
    at_least = f"with at least {MIN_NIGHTS_PER_LEVEL} nights"
    missing = [
        _more(len(levels), min_nights, f"nights with a {what}", f"night with a {what}"),
        _more(
            well_filled, MIN_LEVELS, f"{what} levels {at_least} each", f"{what} level {at_least}"
        ),
    ]
    found = tuple(m for m in missing if m)
    summary = {"nights": len(levels), "levels_with_enough_nights": well_filled}
    return Eligibility(not found, summary, found)


def dose_levels(doses: Sequence[float] | FloatArray, resolution: float) -> list[str]:
    """Doses grouped to ``resolution`` (e.g. 0.5 g), as labels for the level count."""
    d = np.asarray(doses, dtype=float)
    return [f"{round(v / resolution) * resolution:g}" for v in d[~np.isnan(d)]]


def timing_band(minutes_before_bed: float) -> str:
    """§4.3 timing categories: under 1 h, 1-3 h, over 3 h before bed."""
    if minutes_before_bed < 60:
        return "<1 h"
    if minutes_before_bed <= 180:
        return "1-3 h"
    return ">3 h"
