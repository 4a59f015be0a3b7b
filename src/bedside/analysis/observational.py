"""Observational comparison, "what does my log suggest?" (§4.2). Association, not proof.

Model, on nights with known exposure and a logged outcome, in calendar time:
``y_t = a + b took_t + g'Z_t + trend(t) + e_t`` with ``e_t`` AR(1) (corr phi^gap), fitted by
maximum likelihood (:mod:`bedside.analysis.ar1`). ``Z`` holds the covariates chosen by
:mod:`bedside.analysis.adjustment` (pre-dose pain and stress first: they guard against
confounding by indication). Reported: the adjusted difference with its 90% interval, the
unadjusted difference (AR(1), exposure only) beside it, a Newey-West sensitivity
analysis, logging rates and the pattern-mixture check (§4.5), and the sceptical-prior
chance statements. Skewed outcomes (sleep-onset latency) are modelled as log(x + 5) and
reported as a ratio of medians.

Nothing is estimated until :func:`eligibility.exposure_eligibility` is met.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd

from bedside.analysis.adjustment import (
    HacEstimate,
    adjusted_design,
    choose_covariates,
    hac_estimate,
)
from bedside.analysis.bayes import BayesSummary, normal_summary
from bedside.analysis.eligibility import Eligibility, exposure_eligibility
from bedside.analysis.missingness import (
    LoggingRates,
    PatternMixture,
    logging_rates,
    pattern_mixture,
)
from bedside.analysis.nights import NightColumns
from bedside.analysis.outcomes import OutcomeSpec, Transform, outcome_spec
from bedside.analysis.regression import Design, TermEstimate, term_estimate

ASSOCIATION: Final = "association, not proof"
TOOK_TERM: Final = "took"


@dataclass(frozen=True)
class Ratio:
    """A log-scale difference back on the outcome's scale: ratio of medians."""

    estimate: float
    ci90: tuple[float, float]


@dataclass(frozen=True)
class AdjustedDifference:
    """Exposure vs no exposure for one outcome (treatment - control, model scale)."""

    outcome: str
    label: str
    eligibility: Eligibility
    n_took: int
    n_not_took: int
    adjusted: TermEstimate | None
    unadjusted: TermEstimate | None
    hac: HacEstimate | None
    ratio: Ratio | None
    adjusted_for: tuple[str, ...]
    not_adjusted_for: dict[str, str]
    mid: float | None
    model_mid: float | None
    bayes: BayesSummary | None
    logging: LoggingRates
    pattern_mixture: PatternMixture | None
    notes: tuple[str, ...]


def model_mid(spec: OutcomeSpec, mid: float | None, values: pd.Series) -> float | None:
    """The threshold on the model's scale (for log outcomes: at the median night)."""
    if mid is None:
        return None
    if spec.transform is Transform.LOG_PLUS_5:
        base = float(values.median()) + 5.0
        return math.log(base + mid) - math.log(base)
    return mid


def adjusted_difference(
    nights: pd.DataFrame,
    outcome: str,
    mid: float | None = None,
    exposure: str = "kratom",
) -> AdjustedDifference:
    """The §4.2 comparison on a prepared night frame (:func:`nights.prepare_nights`)."""
    c = NightColumns
    spec = outcome_spec(outcome)
    mid = spec.default_mid if mid is None else mid
    rows = nights[nights[c.TOOK].notna() & nights[outcome].notna()]
    took = rows[c.TOOK].to_numpy(dtype=float)
    eligibility = exposure_eligibility(took, exposure)
    rates = logging_rates(nights, outcome, exposure)
    n_took, n_not = int(np.sum(took == 1)), int(np.sum(took == 0))
    empty = AdjustedDifference(
        outcome, ASSOCIATION, eligibility, n_took, n_not, None, None, None, None, (), {},
        mid, None, None, rates, None, (),
    )  # fmt: skip
    if not eligibility.ok:
        return empty
    m_mid = model_mid(spec, mid, rows[outcome])
    choice = choose_covariates(rows)
    kept = choice.rows
    y = spec.forward(kept[outcome].to_numpy(dtype=float))
    design = adjusted_design(kept, {TOOK_TERM: kept[c.TOOK].to_numpy(dtype=float)}, choice.included)
    notes: list[str] = []
    if len(kept) < len(rows):
        notes.append(f"{len(rows) - len(kept)} nights left out for missing covariates.")
    try:
        fit, _ = design.fit(y, kept[c.DAY].to_numpy(), [TOOK_TERM])
        simple = Design(len(rows))
        simple.add(TOOK_TERM, took)
        simple_fit, _ = simple.fit(
            spec.forward(rows[outcome].to_numpy(float)), rows[c.DAY], [TOOK_TERM]
        )
    except ValueError as err:
        return replace(empty, notes=(f"The model could not be fitted: {err}.",))
    adjusted = term_estimate(fit, TOOK_TERM)
    if fit.phi_at_bound:
        notes.append("Night-to-night correlation is extreme; treat the interval with caution.")
    ratio = None
    if spec.transform is Transform.LOG_PLUS_5:
        ratio = Ratio(
            math.exp(adjusted.estimate), (math.exp(adjusted.ci90[0]), math.exp(adjusted.ci90[1]))
        )
    mixture = None
    if m_mid is not None and rates.took_nights:
        mixture = pattern_mixture(adjusted.estimate, adjusted.ci90, rates, m_mid, spec.benefit_sign)
    return AdjustedDifference(
        outcome=outcome,
        label=ASSOCIATION,
        eligibility=eligibility,
        n_took=n_took,
        n_not_took=n_not,
        adjusted=adjusted,
        unadjusted=term_estimate(simple_fit, TOOK_TERM),
        hac=hac_estimate(y, design, TOOK_TERM),
        ratio=ratio,
        adjusted_for=tuple(choice.included),
        not_adjusted_for=choice.left_out,
        mid=mid,
        model_mid=m_mid,
        bayes=normal_summary(adjusted.estimate, adjusted.se, m_mid, spec.benefit_sign),
        logging=rates,
        pattern_mixture=mixture,
        notes=tuple(notes),
    )
