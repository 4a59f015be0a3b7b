"""Fixtures for the analysis tests: the n-of-1 reference data (tests/data/nof1/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

REFERENCE_CSV = (
    Path(__file__).resolve().parents[2] / "data" / "nof1" / "hpi_classroom_sleep_nof1.csv"
)


@pytest.fixture(scope="session")
def reference() -> pd.DataFrame:
    """All person-nights of the HPI classroom sleep trials."""
    return pd.read_csv(REFERENCE_CSV)


@pytest.fixture(scope="session")
def milk(reference: pd.DataFrame) -> pd.DataFrame:
    """milk_P1: 24 nights, cold / warm / cold / warm milk (not randomised)."""
    return reference[reference["participant"] == "milk_P1"].reset_index(drop=True)
