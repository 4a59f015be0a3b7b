"""Covariate adjustment shared by the observational models (§4.2, §4.3).

Covariates (:data:`nights.COVARIATES`) enter a model when the column exists, is logged on
at least :data:`MIN_COVARIATE_COVERAGE` of the model's nights and varies; the model then
uses the nights where all chosen covariates are logged (complete cases). Leaving a
covariate out is always reported with the reason, so "adjusted for" is never implied
when it did not happen. The time trend is always in the model (linear, or piecewise
linear with 4-weekly knots from 12 weeks of data).

Also here: the Newey-West (HAC) sensitivity analysis (§4.2), an OLS fit with
autocorrelation-robust standard errors over the nights in date order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from bedside.analysis.distributions import norm_ppf
from bedside.analysis.nights import COVARIATES, NightColumns
from bedside.analysis.outcomes import FloatArray
from bedside.analysis.regression import Design

MIN_COVARIATE_COVERAGE: Final = 0.8


@dataclass(frozen=True)
class CovariateChoice:
    """Covariates in the model, those left out (column -> reason), and the rows kept."""

    included: tuple[str, ...]
    left_out: dict[str, str]
    rows: pd.DataFrame


@dataclass(frozen=True)
class HacEstimate:
    """OLS estimate with Newey-West standard error (a sensitivity analysis)."""

    estimate: float
    se: float
    ci90: tuple[float, float]
    max_lags: int


def choose_covariates(rows: pd.DataFrame) -> CovariateChoice:
    """Pick covariates for the model's nights and drop nights missing any of them."""
    included: list[str] = []
    left_out: dict[str, str] = {}
    for name in COVARIATES:
        if name not in rows or rows[name].notna().sum() == 0:
            continue
        values = pd.to_numeric(rows[name], errors="coerce")
        coverage = float(values.notna().mean())
        if coverage < MIN_COVARIATE_COVERAGE:
            left_out[name] = f"logged on only {coverage:.0%} of these nights"
        elif values.nunique(dropna=True) < 2:
            left_out[name] = "never varied"
        else:
            included.append(name)
    kept = rows.dropna(subset=included) if included else rows
    return CovariateChoice(tuple(included), left_out, kept)


def adjusted_design(
    rows: pd.DataFrame, focal: dict[str, FloatArray], covariates: Sequence[str]
) -> Design:
    """Design with the focal columns, covariates and the time trend, for ``rows``."""
    design = Design(len(rows))
    for name, values in focal.items():
        design.add(name, values)
    for name in covariates:
        design.add(name, pd.to_numeric(rows[name]).to_numpy(dtype=float))
    design.add_trend(rows[NightColumns.DAY].to_numpy())
    return design


def hac_estimate(y: FloatArray, design: Design, term: str) -> HacEstimate | None:
    """Newey-West OLS for ``term`` (lags = floor(4 (n/100)^(2/9)), Bartlett weights)."""
    x, names, _ = design.matrix(protected=[term])
    n, p = x.shape
    if n <= p + 1:
        return None
    lags = math.floor(4 * (n / 100) ** (2 / 9))
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ (x.T @ y)
    scores = x * (y - x @ coef)[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        cross = scores[lag:].T @ scores[:-lag]
        meat += weight * (cross + cross.T)
    cov = xtx_inv @ meat @ xtx_inv
    j = names.index(term)
    se = float(math.sqrt(max(cov[j, j], 0.0)))
    q = float(norm_ppf(0.95))
    est = float(coef[j])
    return HacEstimate(est, se, (est - q * se, est + q * se), lags)
