"""``analyze-file``: the n-of-1 analysis on data collected elsewhere (paper diaries, studies).

:func:`analyze_file` returns one JSON-ready dict with stable keys (``None`` where a part
does not apply). Rows are nights (or sessions) with an outcome and a condition; optional
pair, period and day columns describe the design. Every key:

- counts: ``n_rows``, ``n_dropped_missing_outcome``, ``n_treatment``, ``n_control``;
- night level: ``treatment_mean``, ``control_mean``, ``mean_difference`` (treatment -
  control), ``nap`` (chance a treatment row beats a control row, ties half, "beats"
  following ``lower_is_better``), ``night_ols`` (ignores autocorrelation: too narrow, shown
  for comparison) and ``ar1`` (``estimate``, ``se``, ``ci95``, ``phi``, ...: AR(1) errors on
  the calendar-day scale, needs ``day``), ``ar1_pair_adjusted`` (with pair effects);
- period level (needs pairs, periods or days): ``periods``, ``pairs`` (per-pair
  differences of period means), ``pair_details``, ``n_pairs``, ``period_estimate``,
  ``period_se``, ``period_ci95``, ``period_ci90``, ``paired_t_p``, ``randomisation_p``,
  ``randomisation_min_p``, ``p_benefit``, ``p_benefit_over_threshold``, ``prior``,
  ``bayes``, ``carry_over``, ``period_note`` (why ``period_se``, ``period_ci95``,
  ``period_ci90`` and ``paired_t_p`` are null when every pair gave the same difference;
  ``bayes.note`` says which scale the chances then rely on, and they are null when
  there is none);
- ``summary_rows``: True when every period has exactly one row; each row is then taken
  as that period's mean (one summary score per period per cycle, as published trials
  report), so such periods count although they have fewer than 3 rows;
- words: ``randomised`` (False unless the caller knows otherwise), ``status``,
  ``warnings``, ``summary``, ``summary_sentences``, ``does_not_show``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from bedside.analysis.carryover import carry_over_check
from bedside.analysis.experiment import MIN_COMPLETE_BLOCKS, LevelComparison, compare_levels
from bedside.analysis.file_input import (
    AnalysisInputError,
    condition_labels,
    day_numbers,
    load_table,
    normalise_treatment,
    numeric_outcome,
    period_keys,
    require_columns,
    select_rows,
)
from bedside.analysis.jsonable import to_jsonable
from bedside.analysis.nonoverlap import nap
from bedside.analysis.periods import MIN_PERIOD_NIGHTS, PeriodColumns, PeriodSummary, period_means
from bedside.analysis.regression import Design, term_estimate
from bedside.analysis.summary import Wording, comparison_sentences, does_not_show, number

NOT_RANDOMISED: Final = (
    "The file does not record how the order of conditions was chosen, so it is treated as "
    "not randomised: a slow change over time could look like a difference, and the "
    "randomisation p-value is only a reference."
)
SUMMARY_ROWS: Final = (
    "Every period has exactly one row, so each row is taken as that period's summary score "
    "(its mean); carry-over between nights cannot be checked from summary rows."
)
TREATMENT_TERM: Final = "treatment"
__all__ = ["AnalysisInputError", "analyze_file"]


def analyze_file(
    path_or_frame: str | os.PathLike[str] | pd.DataFrame,
    outcome: str,
    condition: str,
    treatment: str,
    pair: str | None = None,
    period: str | None = None,
    day: str | None = None,
    lower_is_better: bool = False,
    threshold: float | None = None,
    *,
    randomised: bool = False,
    min_period_nights: int = MIN_PERIOD_NIGHTS,
    where: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Analyse one file; raises :class:`AnalysisInputError` for mistakes a person can fix.

    ``where`` keeps only the rows matching every (column, value) pair, e.g. one participant.
    """
    if threshold is not None and not threshold > 0:
        raise AnalysisInputError("--threshold must be a positive number")
    table = select_rows(load_table(path_or_frame), where)
    named = {"outcome": outcome, "condition": condition, "pair": pair, "period": period}
    require_columns(table, {**named, "day": day})
    y = numeric_outcome(table, outcome)
    labels = condition_labels(table, condition)
    treat, control = normalise_treatment(treatment, labels, condition)
    n_rows = len(table)
    keep = y.notna() & labels.notna()
    dropped = int((y.isna() & labels.notna()).sum())
    no_condition = int(labels.isna().sum())
    table, y, labels = table[keep].reset_index(drop=True), y[keep], labels[keep]
    y, labels = y.reset_index(drop=True), labels.reset_index(drop=True)
    if not (labels == control).any() or not (labels == treat).any():
        raise AnalysisInputError(
            "after dropping rows without an outcome, one condition has no rows"
        )
    days = day_numbers(table, day) if day is not None else None
    sign = -1.0 if lower_is_better else 1.0
    warnings = [] if randomised else [NOT_RANDOMISED]
    if dropped:
        rows = "row without an outcome was" if dropped == 1 else "rows without an outcome were"
        warnings.append(f"{dropped} {rows} left out.")
    if no_condition:
        rows = (
            "row without a condition was" if no_condition == 1 else "rows without a condition were"
        )
        warnings.append(f"{no_condition} {rows} left out.")
    result: dict[str, Any] = {
        "selected": {column: value.strip() for column, value in where},
        "outcome": outcome,
        "condition": condition,
        "treatment": treat,
        "control": control,
        "lower_is_better": lower_is_better,
        "threshold": threshold,
        "n_rows": n_rows,
        "n_dropped_missing_outcome": dropped,
        "randomised": randomised,
    }
    result.update(_night_level(y, labels, treat, control, lower_is_better, days, warnings))
    keys = period_keys(table, labels, treat, control, pair, period, days)
    comparison: LevelComparison | None = None
    periods: list[PeriodSummary] = []
    result["summary_rows"] = False
    if keys is not None:
        frame = _period_frame(y, labels, keys, days)
        paired_rows = frame[frame[PeriodColumns.BLOCK].notna()]
        if one_row_per_period(paired_rows):
            # Published trials report one score per period: that row is the period mean.
            result["summary_rows"] = True
            min_period_nights = 1
            warnings.append(SUMMARY_ROWS)
        try:
            periods = period_means(paired_rows, min_period_nights)
        except ValueError as err:
            raise AnalysisInputError(f"{err}; each period must be one condition") from None
        comparison = compare_levels(
            frame, periods, treat, control, mid=threshold, benefit_sign=sign
        )
        order_known = days is not None or period is not None
        warnings.extend(
            _design_warnings(periods, frame, comparison, min_period_nights, order_known)
        )
        if days is not None and not result["summary_rows"]:
            result["carry_over"] = carry_over_check(paired_rows, threshold)
    else:
        warnings.append(
            "Without pair, period or day columns only night-level results are possible."
        )
    result.update(_period_level(periods, comparison))
    row = "period" if result["summary_rows"] else "night"
    wording = Wording(
        outcome, "", lower_is_better, threshold, treatment=treat, control=control, row=row
    )
    sentences = _sentences(result, comparison, wording, warnings)
    result.update(
        status=_status(comparison),
        warnings=warnings,
        summary=" ".join(sentences),
        summary_sentences=sentences,
        does_not_show=does_not_show("file", exposure=treat),
    )
    return dict(to_jsonable(result))


def one_row_per_period(rows: pd.DataFrame) -> bool:
    """True when every (pair, period) of the paired rows holds exactly one row.

    That is how most published n-of-1 trials report their data: one summary score per
    treatment period per cycle. Such a row is the period mean, not a single night.
    """
    c = PeriodColumns
    if rows.empty:
        return False
    sizes = rows.groupby([c.BLOCK, c.PERIOD], sort=False, dropna=True).size()
    return bool(len(sizes)) and bool((sizes == 1).all())


def _night_level(
    y: pd.Series,
    labels: pd.Series,
    treat: str,
    control: str,
    lower_is_better: bool,
    days: pd.Series | None,
    warnings: list[str],
) -> dict[str, Any]:
    t, c = y[labels == treat].to_numpy(float), y[labels == control].to_numpy(float)
    x = (labels == treat).to_numpy(float)
    out: dict[str, Any] = {
        "n_treatment": len(t),
        "n_control": len(c),
        "treatment_mean": float(t.mean()),
        "control_mean": float(c.mean()),
        "mean_difference": float(t.mean() - c.mean()),
        "nap": nap(t, c, lower_is_better).nap,
        "night_ols": _ols(y.to_numpy(float), x),
        "ar1": None,
        "ar1_pair_adjusted": None,
        "carry_over": None,
    }
    if days is None:
        warnings.append("Without a day column the AR(1) night-level model cannot be fitted.")
        return out
    design = Design(len(y))
    design.add(TREATMENT_TERM, x)
    try:
        fit, _ = design.fit(y.to_numpy(float), days.to_numpy(), [TREATMENT_TERM])
    except ValueError as err:
        warnings.append(f"The AR(1) night-level model could not be fitted: {err}.")
        return out
    out["ar1"] = term_estimate(fit, TREATMENT_TERM)
    return out


def _ols(
    y: np.ndarray[Any, np.dtype[np.float64]], x: np.ndarray[Any, np.dtype[np.float64]]
) -> dict[str, float]:
    """Plain OLS on rows, for comparison only: it ignores autocorrelation."""
    design = np.column_stack((np.ones(len(y)), x))
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    df = len(y) - 2
    if df <= 0:
        return {"estimate": float(coef[1]), "se": math.nan}
    cov = np.linalg.inv(design.T @ design) * float(resid @ resid) / df
    return {"estimate": float(coef[1]), "se": float(math.sqrt(cov[1, 1]))}


def _period_frame(
    y: pd.Series, labels: pd.Series, keys: tuple[pd.Series, pd.Series], days: pd.Series | None
) -> pd.DataFrame:
    c = PeriodColumns
    frame = pd.DataFrame({c.Y: y, c.CONDITION: labels, c.BLOCK: keys[0], c.PERIOD: keys[1]})
    if days is not None:
        frame[c.DAY] = days
    return frame


def _period_level(
    periods: list[PeriodSummary], comparison: LevelComparison | None
) -> dict[str, Any]:
    if comparison is None:
        empty = ("pairs", "pair_details", "n_pairs", "period_estimate", "period_se", "period_ci95")
        rest = (
            "period_ci90",
            "paired_t_p",
            "period_note",
            "randomisation_p",
            "randomisation_min_p",
        )
        bayes = ("p_benefit", "p_benefit_over_threshold", "prior", "bayes")
        return {"periods": periods, **dict.fromkeys(empty + rest + bayes)}
    paired, shown = comparison.paired, comparison.bayes.shown if comparison.bayes else None
    return {
        "periods": periods,
        "pairs": [p.difference for p in comparison.pairs],
        "pair_details": comparison.pairs,
        "n_pairs": paired.k,
        "period_estimate": paired.estimate,
        "period_se": paired.se,
        "period_ci95": paired.ci95,
        "period_ci90": paired.ci90,
        "paired_t_p": paired.p_value,
        "period_note": paired.note,
        "randomisation_p": comparison.randomisation.p_value,
        "randomisation_min_p": comparison.randomisation.min_p,
        "p_benefit": shown.p_benefit if shown else None,
        "p_benefit_over_threshold": shown.p_benefit_over_mid if shown else None,
        "prior": shown.prior if shown else None,
        "bayes": comparison.bayes,
        "ar1_pair_adjusted": comparison.night_model,
    }


def _design_warnings(
    periods: list[PeriodSummary],
    frame: pd.DataFrame,
    comparison: LevelComparison,
    min_nights: int,
    order_known: bool,
) -> list[str]:
    """Warnings about the design. ``order_known`` is False when only a pair column is given:
    the order of the periods inside each pair is then unknown, so nothing is said about it."""
    out = []
    short = [s for s in periods if not s.counts]
    if short:
        had = "period had" if len(short) == 1 else "periods had"
        was = "was" if len(short) == 1 else "were"
        out.append(f"{len(short)} {had} fewer than {min_nights} rows and {was} not used.")
    unpaired = frame[PeriodColumns.BLOCK].isna().sum()
    if unpaired:
        rows, was = ("row belongs", "was") if unpaired == 1 else ("rows belong", "were")
        out.append(f"{unpaired} {rows} to a period without a partner and {was} not paired.")
    k = comparison.paired.k
    if k < MIN_COMPLETE_BLOCKS:
        out.append(
            f"Only {k} complete {'pair' if k == 1 else 'pairs'}: too few for a conclusion "
            f"(at least {MIN_COMPLETE_BLOCKS} are needed); the numbers are shown for "
            "transparency."
        )
    orders: dict[object, list[str]] = {}
    for s in periods:
        if s.counts:
            orders.setdefault(s.block, []).append(s.condition)
    firsts = {v[0] for v in orders.values() if len(v) > 1}
    if order_known and k >= 2 and len(firsts) == 1:
        out.append(
            f"Every pair started with {next(iter(firsts))!r}: a steady change over time "
            "would look like a difference between the conditions."
        )
    return out


def _status(comparison: LevelComparison | None) -> str:
    if comparison is None or comparison.paired.k == 0:
        return "night_level_only"
    return "too_few_pairs" if comparison.paired.k < MIN_COMPLETE_BLOCKS else "ok"


def _sentences(
    result: dict[str, Any], comparison: LevelComparison | None, w: Wording, warnings: list[str]
) -> list[str]:
    out = [
        f"{result['n_treatment']} {w.treatment} rows and {result['n_control']} {w.control} "
        f"rows: {w.outcome} averaged {number(result['treatment_mean'])} vs "
        f"{number(result['control_mean'])} (difference {number(result['mean_difference'])})."
    ]
    if comparison is not None and comparison.paired.k >= 2:
        k = comparison.paired.k
        randomised = bool(result["randomised"])
        # Verdict bands judge randomised experiments only (nof1-methods §4.6-4.7).
        verdict = k >= MIN_COMPLETE_BLOCKS and randomised
        out.extend(comparison_sentences(comparison, w, k, verdict=verdict, randomised=randomised))
    out.extend(warnings)
    return out
