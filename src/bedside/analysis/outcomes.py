"""Outcomes the analysis knows about: direction, units, default threshold, transform.

This is the one place where an outcome's direction ("higher is better" or "lower is
better") is declared. Every estimate in the package is reported as *treatment minus
control* on the outcome's own scale; "benefit" is that difference multiplied by
:attr:`OutcomeSpec.benefit_sign`, so a positive benefit is always good for the person.

Default worth-it thresholds (minimal important differences, MID) follow
``nof1-methods.md`` §4.0 (quality 0.5 on 1-5, pain 1.0 on 0-10, sleep-onset latency
10 minutes); the others are editable starting points chosen in the same spirit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class Transform(StrEnum):
    """How an outcome is transformed before modelling."""

    NONE = "none"
    #: log(x + 5 minutes); results are reported back as a ratio of medians (§4.0).
    LOG_PLUS_5 = "log_plus_5"


@dataclass(frozen=True)
class OutcomeSpec:
    """What the analysis needs to know about one outcome column."""

    name: str
    label: str
    unit: str
    higher_is_better: bool
    default_mid: float | None
    transform: Transform = Transform.NONE

    @property
    def benefit_sign(self) -> float:
        """+1 when higher values are better, -1 when lower values are better."""
        return 1.0 if self.higher_is_better else -1.0

    def forward(self, values: FloatArray) -> FloatArray:
        """Apply the modelling transform (identity for most outcomes)."""
        if self.transform is Transform.LOG_PLUS_5:
            return np.log(np.asarray(values, dtype=float) + 5.0)
        return np.asarray(values, dtype=float)

    def ratio(self, log_difference: float) -> float:
        """Back-transform a difference on the log scale to a ratio of medians."""
        return math.exp(log_difference)


def _spec(
    name: str,
    label: str,
    unit: str,
    higher: bool,
    mid: float | None,
    transform: Transform = Transform.NONE,
) -> OutcomeSpec:
    return OutcomeSpec(name, label, unit, higher, mid, transform)


#: Every outcome the night frame may carry. Keys are night-frame column names.
OUTCOMES: dict[str, OutcomeSpec] = {
    spec.name: spec
    for spec in (
        _spec("quality", "sleep quality", "points (1-5)", True, 0.5),
        _spec("rested", "feeling rested", "points (1-5)", True, 0.5),
        _spec("total_sleep_time_min", "total sleep time", "minutes", True, 20.0),
        _spec("sleep_efficiency_pct", "sleep efficiency", "percentage points", True, 5.0),
        _spec(
            "sleep_onset_latency_min",
            "time to fall asleep",
            "minutes",
            False,
            10.0,
            Transform.LOG_PLUS_5,
        ),
        _spec(
            "wake_after_sleep_onset_min", "time awake after falling asleep", "minutes", False, 15.0
        ),
        _spec("number_of_awakenings", "number of awakenings", "awakenings", False, 1.0),
        _spec("pain_next_morning", "next-morning pain", "points (0-10)", False, 1.0),
        _spec("soreness_next_morning", "next-morning soreness", "points (0-10)", False, 1.0),
        _spec("wearable_asleep_min", "time asleep (wearable)", "minutes", True, 20.0),
        _spec(
            "wearable_efficiency_pct", "sleep efficiency (wearable)", "percentage points", True, 5.0
        ),
        _spec("wearable_resting_hr_bpm", "resting heart rate (wearable)", "beats/min", False, 3.0),
        _spec("wearable_hrv_ms", "heart-rate variability (wearable)", "ms", True, 5.0),
    )
}


def outcome_spec(name: str, *, lower_is_better: bool | None = None) -> OutcomeSpec:
    """The spec for ``name``; unknown columns get a generic spec.

    ``lower_is_better`` overrides the declared direction only for columns that are not
    in :data:`OUTCOMES` (for example a column of a file analysed with ``analyze-file``).
    For known outcomes a contradicting override raises ``ValueError``: the direction of a
    known outcome is not a per-call choice.
    """
    known = OUTCOMES.get(name)
    if known is None:
        return OutcomeSpec(name, name, "units", not bool(lower_is_better), None)
    if lower_is_better is not None and lower_is_better == known.higher_is_better:
        direction = "higher" if known.higher_is_better else "lower"
        raise ValueError(f"{name}: {direction} values are declared better for this outcome")
    return known
