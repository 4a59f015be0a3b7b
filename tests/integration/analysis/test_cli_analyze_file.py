"""``bedside analyze-file``: the reference figures of milk_P1 and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from bedside.cli.main import app

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "nof1" / "hpi_classroom_sleep_nof1.csv"
MILK = ["--outcome", "sleep_quality_0_10", "--condition", "condition", "--treatment", "Warm milk"]


@pytest.fixture
def milk_csv(tmp_path: Path) -> Path:
    """The 24 milk_P1 rows of the reference data in a CSV of their own."""
    rows = pd.read_csv(REFERENCE)
    path = tmp_path / "milk_P1.csv"
    rows[rows["participant"] == "milk_P1"].to_csv(path, index=False)
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["analyze-file", *args])
    return result.exit_code, result.stdout, result.stderr


def test_milk_reference_figures_are_reproduced(milk_csv: Path) -> None:
    code, out, err = _run(str(milk_csv), *MILK, "--day", "study_day", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["pairs"] == pytest.approx([-1.083, -1.857], abs=5e-4)
    assert result["paired_t_p"] == pytest.approx(0.164, abs=5e-4)
    assert result["randomisation_p"] == pytest.approx(0.5)
    assert result["ar1"]["phi"] == pytest.approx(0.265, abs=0.01)
    assert result["ar1"]["estimate"] == pytest.approx(-1.59, abs=0.005)
    assert [round(p["mean"], 2) for p in result["periods"]] == [8.25, 7.17, 8.0, 6.14]
    assert result["randomised"] is False
    assert result["status"] == "too_few_pairs"


def test_one_participant_is_picked_from_the_whole_reference_file(milk_csv: Path) -> None:
    picked = [str(REFERENCE), "--where", "participant=milk_P1", *MILK, "--day", "study_day"]
    code, out, err = _run(*picked, "--json")
    assert code == 0, err
    whole, alone = (
        json.loads(out),
        json.loads(_run(str(milk_csv), *MILK, "--day", "study_day", "--json")[1]),
    )
    assert whole["selected"] == {"participant": "milk_P1"}
    for key in ("n_treatment", "n_control", "mean_difference", "pairs", "paired_t_p", "ar1"):
        assert whole[key] == alone[key]
    code, _, err = _run(str(REFERENCE), *MILK, "--day", "study_day")
    assert code != 0 and "--where COLUMN=VALUE" in err
    tea = ["--where", "trial=tea", "--outcome", "sleep_quality_0_10", "--condition", "condition"]
    code, _, err = _run(str(REFERENCE), *tea, "--treatment", "Herbal tea", "--day", "study_day")
    assert code != 0 and "repeats a day" in err and "--where COLUMN=VALUE" in err
    code, _, err = _run(str(REFERENCE), "--where", "participant=milk_P9", *MILK)
    assert code != 0 and "no row has that value. The column has: herbal_P1" in err
    code, _, err = _run(str(REFERENCE), "--where", "participant", *MILK)
    assert code != 0 and "write COLUMN=VALUE" in err
    code, _, err = _run(str(REFERENCE), "--where", "nobody=x", *MILK)
    assert code != 0 and "--where 'nobody': no such column" in err


def test_human_output_has_sentences_and_key_numbers(milk_csv: Path) -> None:
    code, out, _ = _run(str(milk_csv), *MILK, "--day", "study_day", "--threshold", "0.5")
    assert code == 0
    assert "13 Warm milk rows and 11 Cold milk rows" in out
    assert "not randomised" in out
    assert "Only 2 complete pairs: too few for a conclusion" in out
    assert "pair differences                   -1.08, -1.86" in out
    assert "randomisation test p (smallest)    0.5 (0.5)" in out
    assert "night-to-night correlation (phi)   0.26" in out or "(phi)   0.27" in out
    assert "What this does not show:" in out
    assert "worth it" not in out  # no verdict from 2 pairs


def _with(option: str, value: str) -> list[str]:
    """MILK with one option changed (or added)."""
    options = list(MILK)
    if option in options:
        options[options.index(option) + 1] = value
    else:
        options += [option, value]
    return options


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--outcome", "nope", "--outcome 'nope': no such column. The file has: trial,"),
        ("--treatment", "Hot milk", "--treatment 'Hot milk' does not appear in column"),
        ("--threshold", "-1", "--threshold must be a positive number"),
        ("--period", "trial", "a period holds rows of both conditions"),
    ],
)
def test_user_mistakes_are_one_line_errors(
    milk_csv: Path, option: str, value: str, message: str
) -> None:
    code, out, err = _run(str(milk_csv), *_with(option, value), "--day", "study_day")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "absent.csv"), *MILK)
    assert code == 2
    assert err == f"error: cannot find the file '{tmp_path / 'absent.csv'}'\n"


# One pain score (0-10) per treatment period per cycle, as published n-of-1 trials report.
# Pair differences drug - placebo: 4-6 = -2, 5-6 = -1, 3-6 = -3; mean -2, sd 1,
# SE 1/sqrt(3) = 0.57735, t = -3.4641 on 2 df: two-sided p = 0.07418;
# 95% interval -2 +/- 4.30265 x 0.57735 = -4.48414 to 0.48414.
# Sign flips: |mean| >= 2 only for all-negative and all-positive: p = 2/8 = 0.25 (= smallest).
# Flat prior (lower is better): P(delta < 0) = T2(3.4641) = 0.96291,
# P(delta < -1) = T2(1 / 0.57735) = T2(1.7321) = 0.88730.
SUMMARY_CSV = """cycle,period,treatment,pain
1,1,drug,4
1,2,placebo,6
2,3,placebo,6
2,4,drug,5
3,5,drug,3
3,6,placebo,6
"""
SUMMARY_ARGS = ["--outcome", "pain", "--condition", "treatment", "--treatment", "drug"]


@pytest.fixture
def summary_csv(tmp_path: Path) -> Path:
    path = tmp_path / "three_cycles.csv"
    path.write_text(SUMMARY_CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize("design", [["--pair", "cycle"], ["--pair", "cycle", "--period", "period"]])
def test_one_summary_row_per_period_is_the_period_mean(
    summary_csv: Path, design: list[str]
) -> None:
    args = [str(summary_csv), *SUMMARY_ARGS, *design, "--lower-is-better", "--threshold", "1"]
    code, out, err = _run(*args, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["summary_rows"] is True
    assert result["status"] == "ok"
    assert [p["counts"] for p in result["periods"]] == [True] * 6
    assert result["pairs"] == pytest.approx([-2.0, -1.0, -3.0])
    assert result["n_pairs"] == 3
    assert result["period_estimate"] == pytest.approx(-2.0)
    assert result["period_se"] == pytest.approx(0.57735, abs=1e-5)
    assert result["period_ci95"] == pytest.approx([-4.48414, 0.48414], abs=1e-5)
    assert result["paired_t_p"] == pytest.approx(0.07418, abs=1e-5)
    assert result["randomisation_p"] == pytest.approx(0.25)
    assert result["randomisation_min_p"] == pytest.approx(0.25)
    flat = result["bayes"]["flat"]
    assert flat["p_benefit"] == pytest.approx(0.96291, abs=1e-4)
    assert flat["p_benefit_over_mid"] == pytest.approx(0.88730, abs=1e-4)
    sceptical = result["bayes"]["sceptical"]
    assert result["prior"] == sceptical["prior"] == "sceptical normal(0, 2^2)"
    assert -2.0 < sceptical["posterior_mean"] < 0  # pulled towards no difference
    assert 0.5 < result["p_benefit_over_threshold"] < flat["p_benefit_over_mid"]
    assert result["p_benefit"] == sceptical["p_benefit"]
    assert not any("fewer than 3 rows" in w for w in result["warnings"])
    assert any("each row is taken as that period's summary" in w for w in result["warnings"])
    assert "Over your 3 drug and 3 placebo periods, pain was 2.0 lower" in result["summary"]
    assert "each drug period with each placebo period" in result["summary"]
    assert "drug night" not in result["summary"]


def test_verdict_band_only_for_a_randomised_file(summary_csv: Path) -> None:
    args = [str(summary_csv), *SUMMARY_ARGS, "--pair", "cycle", "--lower-is-better"]
    code, out, err = _run(*args, "--threshold", "1")
    assert code == 0, err
    assert "worth it" not in out  # order not known to be randomised: no verdict
    code, out, err = _run(*args, "--threshold", "1", "--randomised")
    assert code == 0, err
    assert "(probably worth it)" in out


def test_periods_with_several_rows_still_need_three(summary_csv: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(SUMMARY_CSV + "3,5,drug,4\n", encoding="utf-8")
    code, out, err = _run(str(mixed), *SUMMARY_ARGS, "--pair", "cycle", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["summary_rows"] is False
    assert result["n_pairs"] == 0
    assert any("6 periods had fewer than 3 rows" in w for w in result["warnings"])
