"""Observational insights in one call: the entry point for the insights screen and report.

Runs, on one night frame (see :mod:`bedside.analysis.nights` for the columns):

- the primary outcome's adjusted comparison (§4.2; headline, "association, not proof");
- the secondary outcomes as an exploratory panel with Benjamini-Hochberg control (§4.4);
- dose-response and timing-response for the primary outcome (§4.3);

and the lay sentences for each (§4.6-4.7). Each part carries its own eligibility, so a
screen can show "Not enough variation yet" plus what is missing for one part while
showing another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from bedside.analysis.dose_response import DoseResponse, dose_response, timing_response
from bedside.analysis.multiplicity import SecondaryPanel, secondary_panel
from bedside.analysis.nights import NightColumns, prepare_nights
from bedside.analysis.observational import AdjustedDifference, adjusted_difference
from bedside.analysis.summary import (
    does_not_show,
    dose_sentences,
    observational_sentences,
)


@dataclass(frozen=True)
class Insights:
    """Everything the insights screen shows."""

    primary: AdjustedDifference
    secondary: SecondaryPanel
    dose: DoseResponse
    timing: DoseResponse
    summary: tuple[str, ...]
    dose_summary: tuple[str, ...]
    does_not_show: tuple[str, ...]


def observational_insights(
    frame: pd.DataFrame,
    primary: str,
    secondary: Sequence[str] = (),
    mids: Mapping[str, float] | None = None,
    *,
    dose_column: str = NightColumns.DOSE_G,
    exposure: str = "kratom",
) -> Insights:
    """Analyse a night frame: primary outcome, secondary panel, dose and timing."""
    mids = dict(mids or {})
    nights = prepare_nights(frame)
    for name in (primary, *secondary):
        if name not in nights:
            nights[name] = float("nan")
    main = adjusted_difference(nights, primary, mids.get(primary), exposure)
    others = [name for name in secondary if name != primary]
    panel = secondary_panel(nights, others, mids, exposure)
    dose = dose_response(nights, primary, dose_column, mids.get(primary))
    timing = timing_response(nights, primary, mids.get(primary))
    return Insights(
        primary=main,
        secondary=panel,
        dose=dose,
        timing=timing,
        summary=tuple(observational_sentences(main, exposure)),
        dose_summary=tuple(dose_sentences(dose) + dose_sentences(timing)),
        does_not_show=tuple(does_not_show("observational", exposure=exposure)),
    )
