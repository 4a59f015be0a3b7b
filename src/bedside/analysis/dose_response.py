"""Dose-response and timing-response among nights with a dose (§4.3). Association only.

On dosed nights with the outcome logged: ``y_t = a + b dose_t + g'Z_t + trend + e_t``
with AR(1) errors in calendar time (the same adjustment as §4.2), giving the change per
gram (or per mg mitragynine, or per hour between dose and bed). With 60+ dosed nights,
curvature is shown as categories: the person's own dose tertiles, or the timing bands
under 1 h / 1-3 h / over 3 h, each against the lowest one.

Results carry the observed range: nothing is said beyond the doses or timings actually
logged, and the words built from them never suggest taking more.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd

from bedside.analysis.adjustment import adjusted_design, choose_covariates
from bedside.analysis.eligibility import (
    CURVATURE_FROM_DOSED_NIGHTS,
    Eligibility,
    dose_levels,
    levels_eligibility,
    timing_band,
)
from bedside.analysis.nights import NightColumns
from bedside.analysis.observational import ASSOCIATION, model_mid
from bedside.analysis.outcomes import FloatArray, outcome_spec
from bedside.analysis.regression import TermEstimate, term_estimate

#: Grouping used to count dose levels (§4.3 "at least 2 dose levels with 6+ nights").
DOSE_RESOLUTION: Final = {NightColumns.DOSE_G: 0.5, NightColumns.MITRAGYNINE_MG: 5.0}
UNITS: Final = {NightColumns.DOSE_G: "g", NightColumns.MITRAGYNINE_MG: "mg mitragynine"}
TIMING_ORDER: Final = ("<1 h", "1-3 h", ">3 h")


@dataclass(frozen=True)
class CategoryContrast:
    """One category against the reference (lowest) category."""

    category: str
    n_nights: int
    estimate: float
    ci90: tuple[float, float]


@dataclass(frozen=True)
class DoseResponse:
    """Slope per unit of dose (or per hour before bed) among dosed nights."""

    outcome: str
    exposure: str
    unit: str
    label: str
    eligibility: Eligibility
    slope: TermEstimate | None
    observed_range: tuple[float, float] | None
    reference_category: str | None
    categories: tuple[CategoryContrast, ...]
    adjusted_for: tuple[str, ...]
    not_adjusted_for: dict[str, str]
    model_mid: float | None
    notes: tuple[str, ...]


def dose_response(
    nights: pd.DataFrame,
    outcome: str,
    dose_column: str = NightColumns.DOSE_G,
    mid: float | None = None,
) -> DoseResponse:
    """Outcome per unit of dose on dosed nights of a prepared night frame."""
    rows = _dosed_rows(nights, outcome, dose_column)
    x = pd.to_numeric(rows[dose_column]).to_numpy(dtype=float)
    resolution = DOSE_RESOLUTION.get(dose_column, 1.0)
    levels = dose_levels(x, resolution)
    unit = UNITS.get(dose_column, dose_column)
    categories = _tertiles(x, unit) if len(x) >= CURVATURE_FROM_DOSED_NIGHTS else None
    return _fit(
        rows, outcome, dose_column, x, unit, levels_eligibility(levels, "dose"), categories, mid
    )


def timing_response(nights: pd.DataFrame, outcome: str, mid: float | None = None) -> DoseResponse:
    """Outcome per hour between dose and bedtime, on dosed nights."""
    column = NightColumns.MINUTES_DOSE_TO_BED
    rows = _dosed_rows(nights, outcome, column)
    hours = pd.to_numeric(rows[column]).to_numpy(dtype=float) / 60.0
    bands = [timing_band(h * 60.0) for h in hours]
    eligibility = levels_eligibility(bands, "dose-to-bed timing")
    categories = bands if len(hours) >= CURVATURE_FROM_DOSED_NIGHTS else None
    unit = "hour between dose and bed"
    return _fit(rows, outcome, column, hours, unit, eligibility, categories, mid)


def _dosed_rows(nights: pd.DataFrame, outcome: str, column: str) -> pd.DataFrame:
    c = NightColumns
    if column not in nights:
        return nights.iloc[0:0].assign(**{column: pd.Series(dtype=float)})
    dosed = (nights[c.TOOK] == 1) & pd.to_numeric(nights[column], errors="coerce").notna()
    return nights[dosed & nights[outcome].notna()]


def _tertiles(x: FloatArray, unit: str) -> list[str] | None:
    bins = pd.qcut(x, 3, duplicates="drop")
    if len(bins.categories) < 2:
        return None
    return [f"{iv.left:g}-{iv.right:g} {unit}" for iv in bins]


def _fit(
    rows: pd.DataFrame,
    outcome: str,
    column: str,
    x: FloatArray,
    unit: str,
    eligibility: Eligibility,
    categories: list[str] | None,
    mid: float | None,
) -> DoseResponse:
    spec = outcome_spec(outcome)
    mid = spec.default_mid if mid is None else mid
    result = DoseResponse(
        outcome, column, unit, ASSOCIATION, eligibility, None, None, None, (), (), {}, None, ()
    )
    if not eligibility.ok:
        return result
    choice = choose_covariates(rows.assign(_x=x, _category=categories or ""))
    kept = choice.rows
    y = spec.forward(kept[outcome].to_numpy(dtype=float))
    days = kept[NightColumns.DAY].to_numpy()
    term = f"per {unit}"
    design = adjusted_design(kept, {term: kept["_x"].to_numpy(dtype=float)}, choice.included)
    try:
        fit, _ = design.fit(y, days, [term])
    except ValueError as err:
        return replace(result, notes=(f"The model could not be fitted: {err}.",))
    contrasts, reference, notes = _category_contrasts(kept, y, days, choice.included)
    return replace(
        result,
        slope=term_estimate(fit, term),
        observed_range=(float(np.min(x)), float(np.max(x))),
        reference_category=reference,
        categories=contrasts,
        adjusted_for=choice.included,
        not_adjusted_for=choice.left_out,
        model_mid=model_mid(spec, mid, rows[outcome]),
        notes=notes,
    )


def _category_contrasts(
    kept: pd.DataFrame, y: FloatArray, days: FloatArray, covariates: tuple[str, ...]
) -> tuple[tuple[CategoryContrast, ...], str | None, tuple[str, ...]]:
    labels = [str(v) for v in kept["_category"]]
    present = [v for v in dict.fromkeys(labels) if v]
    if len(present) < 2:
        return (), None, ()
    order = [v for v in TIMING_ORDER if v in present] or sorted(present, key=_lower_bound)
    reference, others = order[0], order[1:]
    focal = {name: np.array([1.0 if v == name else 0.0 for v in labels]) for name in others}
    design = adjusted_design(kept, focal, covariates)
    try:
        fit, _ = design.fit(y, days, others)
    except ValueError as err:
        return (), None, (f"Categories could not be compared: {err}.",)
    contrasts = tuple(
        CategoryContrast(name, labels.count(name), fit.estimate(name), fit.interval(name, 0.90))
        for name in others
    )
    return contrasts, reference, ()


def _lower_bound(label: str) -> float:
    return float(label.split("-")[0])
