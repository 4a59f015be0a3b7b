"""The night frame: the one table the observational analysis reads.

One row per calendar night, keyed by the local date of the evening the night starts
(``nof1-methods.md`` §4.0). Nights with nothing logged may be absent or present with
NaN; either way they are *unknown*, never "did not take it". Another module builds this
frame from storage; the analysis only reads it.

Column contract (names are the attributes of :class:`NightColumns`):

=============================== ============ ==============================================
column                          dtype        meaning
=============================== ============ ==============================================
``night``                       date         evening's local calendar date (unique, required)
``took``                        bool / NaN   took kratom that evening; NaN = unknown (excluded)
``dose_g``                      float        total evening dose in grams (NaN if none/unknown)
``mitragynine_mg``              float        mitragynine from the batch's lab figures, if known
``minutes_dose_to_bed``         float        minutes from (last) dose to bedtime
outcomes                        float        any column of :data:`outcomes.OUTCOMES`, e.g.
                                             ``quality``, ``sleep_onset_latency_min``,
                                             ``pain_next_morning`` (attributed to night t)
``workout_load``                float        that day's workout load (e.g. minutes x RPE)
``alcohol_drinks``              float        standard drinks that evening
``caffeine_mg``                 float        caffeine that day
``caffeine_last_hours_before_bed`` float     hours from the last caffeine to bedtime
``weekend``                     bool         Friday/Saturday night; derived from ``night``
                                             when absent
``pain_before_dose``            float        evening pain before the dose (optional; the
                                             main guard against confounding by indication)
``stress_evening``              float        evening stress (optional)
=============================== ============ ==============================================

Outcome values must already be on their own scale (minutes, points); transforms
(``log(SOL + 5)``) are applied by the analysis, not by the frame builder.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

#: Hours before bed under which the last caffeine counts as "late" (about 14:00 for a
#: 22:00 bedtime). §4.2 says "after 14:00"; the frame carries hours-before-bed instead of
#: a clock time, so the rule is expressed relative to bedtime.
LATE_CAFFEINE_HOURS: Final = 8.0


class NightColumns:
    """Names of the night-frame columns (see the module docstring for meanings)."""

    NIGHT: Final = "night"
    TOOK: Final = "took"
    DOSE_G: Final = "dose_g"
    MITRAGYNINE_MG: Final = "mitragynine_mg"
    MINUTES_DOSE_TO_BED: Final = "minutes_dose_to_bed"
    WORKOUT_LOAD: Final = "workout_load"
    ALCOHOL_DRINKS: Final = "alcohol_drinks"
    CAFFEINE_MG: Final = "caffeine_mg"
    CAFFEINE_LAST_HOURS: Final = "caffeine_last_hours_before_bed"
    WEEKEND: Final = "weekend"
    PAIN_BEFORE_DOSE: Final = "pain_before_dose"
    STRESS_EVENING: Final = "stress_evening"
    #: Added by :func:`prepare_nights`: 1.0 when the last caffeine was late, else 0.0.
    LATE_CAFFEINE: Final = "late_caffeine"
    #: Added by :func:`prepare_nights`: integer days since the first night.
    DAY: Final = "day"


#: Covariates adjusted for when present and varying (§4.2), in display order.
COVARIATES: Final = (
    NightColumns.PAIN_BEFORE_DOSE,
    NightColumns.STRESS_EVENING,
    NightColumns.WORKOUT_LOAD,
    NightColumns.ALCOHOL_DRINKS,
    NightColumns.CAFFEINE_MG,
    NightColumns.LATE_CAFFEINE,
    NightColumns.WEEKEND,
)

COVARIATE_LABELS: Final = {
    NightColumns.PAIN_BEFORE_DOSE: "evening pain before the dose",
    NightColumns.STRESS_EVENING: "evening stress",
    NightColumns.WORKOUT_LOAD: "workouts",
    NightColumns.ALCOHOL_DRINKS: "alcohol",
    NightColumns.CAFFEINE_MG: "caffeine",
    NightColumns.LATE_CAFFEINE: "late caffeine",
    NightColumns.WEEKEND: "weekend nights",
}


def prepare_nights(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise a night frame; returns a new frame sorted by night.

    Adds ``day`` (days since the first night, so calendar gaps stay gaps), ``took`` as
    1.0 / 0.0 / NaN, ``weekend`` when absent and ``late_caffeine``. Raises ``ValueError``
    for a missing or repeated ``night``.
    """
    c = NightColumns
    if c.NIGHT not in frame.columns:
        raise ValueError("the night frame needs a 'night' column")
    out = frame.copy()
    nights = pd.to_datetime(out[c.NIGHT]).dt.normalize()
    if nights.isna().any():
        raise ValueError("the night frame has rows without a night date")
    if nights.duplicated().any():
        first = nights[nights.duplicated()].iloc[0].date().isoformat()
        raise ValueError(f"the night frame has more than one row for {first}")
    out[c.NIGHT] = nights
    out = out.sort_values(c.NIGHT, kind="stable").reset_index(drop=True)
    out[c.DAY] = (out[c.NIGHT] - out[c.NIGHT].iloc[0]).dt.days.astype(int) if len(out) else []
    out[c.TOOK] = _as_indicator(out[c.TOOK]) if c.TOOK in out else np.nan
    if c.WEEKEND in out:
        out[c.WEEKEND] = _as_indicator(out[c.WEEKEND])
    else:
        out[c.WEEKEND] = out[c.NIGHT].dt.dayofweek.isin([4, 5]).astype(float)
    out[c.LATE_CAFFEINE] = _late_caffeine(out)
    return out


def _as_indicator(values: pd.Series) -> pd.Series:
    """True/False/1/0/NaN to 1.0/0.0/NaN (anything else is an error)."""
    mapping = {True: 1.0, False: 0.0}  # 1 == True and 0 == False: numbers map too
    result = pd.Series(np.nan, index=values.index, dtype=float)
    known = values.notna()
    mapped = values[known].map(lambda v: mapping.get(v, np.nan))
    if mapped.isna().any():
        raise ValueError(f"'{values.name}' must be True, False or empty")
    result[known] = mapped.astype(float)
    return result


def _late_caffeine(frame: pd.DataFrame) -> pd.Series:
    c = NightColumns
    late = pd.Series(np.nan, index=frame.index, dtype=float)
    if c.CAFFEINE_LAST_HOURS in frame:
        hours = pd.to_numeric(frame[c.CAFFEINE_LAST_HOURS], errors="coerce")
        late[hours.notna()] = (hours[hours.notna()] < LATE_CAFFEINE_HOURS).astype(float)
    if c.CAFFEINE_MG in frame:
        none_taken = pd.to_numeric(frame[c.CAFFEINE_MG], errors="coerce") == 0
        late[none_taken] = 0.0
    return late
