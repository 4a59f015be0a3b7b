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
