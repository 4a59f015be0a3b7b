"""Validation on real data: the HPI classroom n-of-1 sleep trials (tests/data/nof1/README.md).

First the published per-participant numbers are reproduced with the published method
(statsmodels GLSAR(rho=1).fit(), i.e. OLS on nights 2..n, conditions coded
alphabetically): this proves the data are read and coded right. Then our own analysis of
milk_P1 must give the figures the README states for the better methods.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bedside.analysis.ar1 import fit_ar1
from bedside.analysis.bayes import normal_summary
from bedside.analysis.file_analysis import analyze_file
from bedside.analysis.paired import paired_t
from bedside.analysis.periods import (
    PeriodColumns,
    block_differences,
    pair_runs,
    period_means,
    runs_as_periods,
)
from bedside.analysis.randomisation import sign_flip_test

OUTCOME = "sleep_quality_0_10"

PUBLISHED = {
    # participant: (coef, se, p, ci_low, ci_high, nights used)
    "milk_P1": (-1.3846, 0.574, 0.025, -2.578, -0.191, 23),
    "window_P3": (-0.8333, 0.347, 0.027, -1.563, -0.104, 20),
    "tea_P1": (-0.1667, 0.302, 0.586, -0.790, 0.457, 26),
}


@pytest.mark.parametrize("participant", sorted(PUBLISHED))
def test_published_glsar_numbers_are_reproduced(reference: pd.DataFrame, participant: str) -> None:
    import statsmodels.api as sm

    rows = reference[reference["participant"] == participant].dropna(subset=[OUTCOME])
    rows = rows.sort_values("study_day")
    coded = pd.Categorical(rows["condition"]).codes.astype(float)  # alphabetical coding
    fit = sm.GLSAR(rows[OUTCOME].to_numpy(), sm.add_constant(coded), rho=1).fit()
    coef, se, p, lo, hi, nights = PUBLISHED[participant]
    assert fit.params[1] == pytest.approx(coef, abs=5e-5)
    assert fit.bse[1] == pytest.approx(se, abs=5e-4)
    assert fit.pvalues[1] == pytest.approx(p, abs=5e-4)
    assert fit.conf_int()[1] == pytest.approx([lo, hi], abs=5e-4)
    assert fit.nobs == nights


def _milk_arrays(milk: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = milk[OUTCOME].to_numpy(float)
    warm = (milk["condition"] == "Warm milk").to_numpy(float)
    return y, warm, milk["study_day"].to_numpy()


def test_milk_ols_on_all_nights(milk: pd.DataFrame) -> None:
    y, warm, _ = _milk_arrays(milk)
    x = np.column_stack((np.ones(len(y)), warm))
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    se = math.sqrt(np.linalg.inv(x.T @ x)[1, 1] * (resid @ resid) / (len(y) - 2))
    assert len(y) == 24
    assert coef[1] == pytest.approx(-1.48, abs=0.005)
    assert se == pytest.approx(0.55, abs=0.005)


def test_milk_ar1_on_calendar_days(milk: pd.DataFrame) -> None:
    y, warm, days = _milk_arrays(milk)
    fit = fit_ar1(y, np.column_stack((np.ones(24), warm)), days, ["a", "warm"], focal=["warm"])
    assert fit.estimate("warm") == pytest.approx(-1.59, abs=0.005)
    assert fit.std_error("warm") == pytest.approx(0.62, abs=0.005)
    assert fit.phi == pytest.approx(0.27, abs=0.01)


def test_milk_ar1_agrees_with_statsmodels_state_space(milk: pd.DataFrame) -> None:
    """Same model through SARIMAX on a daily index with missed days as gaps."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    y, warm, days = _milk_arrays(milk)
    position = days - days.min()
    index = pd.RangeIndex(int(position.max()) + 1)
    series = pd.Series(np.nan, index=index)
    series[position] = y
    exog = pd.DataFrame({"const": 1.0, "warm": 0.0}, index=index)
    exog.loc[position, "warm"] = warm
    result = SARIMAX(series, exog=exog, order=(1, 0, 0)).fit(disp=False, cov_type="approx")
    ours = fit_ar1(y, exog.loc[position].to_numpy(), days, ["const", "warm"], focal=["warm"])
    assert ours.estimate("warm") == pytest.approx(result.params["warm"], abs=1e-3)
    assert ours.phi == pytest.approx(result.params["ar.L1"], abs=1e-3)
    assert ours.std_error("warm") == pytest.approx(result.bse["warm"], abs=5e-3)


def test_milk_period_level_analysis(milk: pd.DataFrame) -> None:
    c = PeriodColumns
    labels = list(milk["condition"])
    periods = runs_as_periods(list(milk["study_day"]), labels)
    frame = pd.DataFrame(
        {
            c.Y: milk[OUTCOME],
            c.CONDITION: labels,
            c.PERIOD: periods,
            c.BLOCK: pair_runs(periods, labels, "Warm milk", "Cold milk"),
            c.DAY: milk["study_day"],
        }
    )
    summaries = period_means(frame)
    assert [round(s.mean, 2) for s in summaries] == [8.25, 7.17, 8.00, 6.14]
    assert [s.condition for s in summaries] == ["Cold milk", "Warm milk"] * 2
    d = [p.difference for p in block_differences(summaries, "Warm milk", "Cold milk")]
    assert d == pytest.approx([-1.083, -1.857], abs=5e-4)
    assert paired_t(d).p_value == pytest.approx(0.164, abs=5e-4)
    test = sign_flip_test(d)
    assert test.p_value == pytest.approx(0.50)
    assert test.min_p == pytest.approx(0.50)


def test_worked_bayes_check_from_the_spec() -> None:
    """§4.6: AR(1) -1.59 (SE 0.62), MID 0.5, lower is worse for warm milk."""
    summary = normal_summary(-1.59, 0.62, 0.5, benefit_sign=-1.0)  # "benefit" = warm worse
    assert summary.flat.p_benefit_over_mid == pytest.approx(0.96, abs=0.005)
    assert summary.sceptical is not None
    assert summary.sceptical.p_benefit_over_mid == pytest.approx(0.89, abs=0.005)


def _check_milk_result(result: dict[str, object]) -> None:
    assert result["n_treatment"] == 13
    assert result["n_control"] == 11
    assert result["mean_difference"] == pytest.approx(-1.4755, abs=1e-4)
    ols = result["night_ols"]
    assert isinstance(ols, dict)
    assert ols["estimate"] == pytest.approx(-1.48, abs=0.005)
    assert ols["se"] == pytest.approx(0.55, abs=0.005)
    ar1 = result["ar1"]
    assert isinstance(ar1, dict)
    assert ar1["estimate"] == pytest.approx(-1.59, abs=0.005)
    assert ar1["se"] == pytest.approx(0.62, abs=0.005)
    assert ar1["phi"] == pytest.approx(0.27, abs=0.01)
    periods = result["periods"]
    assert isinstance(periods, list)
    assert [round(p["mean"], 2) for p in periods] == [8.25, 7.17, 8.00, 6.14]
    assert result["pairs"] == pytest.approx([-1.083, -1.857], abs=5e-4)
    assert result["period_estimate"] == pytest.approx(-1.470, abs=5e-4)
    assert result["paired_t_p"] == pytest.approx(0.16, abs=0.005)
    assert result["randomisation_p"] == pytest.approx(0.5)
    assert result["randomisation_min_p"] == pytest.approx(0.5)
    assert result["randomised"] is False
    assert result["status"] == "too_few_pairs"
    warnings = result["warnings"]
    assert isinstance(warnings, list)
    assert any("not randomised" in w for w in warnings)
    assert any("started with 'Cold milk'" in w for w in warnings)
    assert 0 <= float(result["nap"]) < 0.5  # type: ignore[arg-type]
    json.dumps(result, allow_nan=False)


def test_analyze_file_reproduces_milk_from_a_filtered_frame(milk: pd.DataFrame) -> None:
    result = analyze_file(milk, OUTCOME, "condition", "Warm milk", day="study_day", threshold=0.5)
    _check_milk_result(result)


def test_analyze_file_reproduces_milk_from_a_csv_file(milk: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "milk_P1.csv"
    milk.to_csv(path, index=False)
    result = analyze_file(str(path), OUTCOME, "condition", "Warm milk", day="study_day")
    _check_milk_result(result)
    assert result["p_benefit_over_threshold"] is None
    assert result["prior"] == "flat"
