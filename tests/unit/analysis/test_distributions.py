"""The light distribution helpers give exactly what ``scipy.stats`` gives."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from bedside.analysis.distributions import (
    Normal,
    StudentT,
    norm_ppf,
    rankdata,
    t_ppf,
    t_sf,
)

QUANTILES = (1e-9, 0.001, 0.025, 0.05, 0.5, 0.8, 0.95, 0.975, 0.999)
POINTS = (-40.0, -3.3, -1.0, -0.1, 0.0, 0.25, 1.96, 7.5, 1e3)
DEGREES = (0.5, 1.0, 2.0, 3.0, 5.5, 11.0, 27.0, 300.0)


@pytest.mark.parametrize("q", QUANTILES)
def test_norm_ppf_is_scipys(q: float) -> None:
    assert norm_ppf(q) == float(stats.norm.ppf(q))


@pytest.mark.parametrize("df", DEGREES)
def test_t_ppf_and_sf_are_scipys(df: float) -> None:
    for q in QUANTILES:
        assert t_ppf(q, df) == float(stats.t.ppf(q, df))
    for x in POINTS:
        assert t_sf(x, df) == float(stats.t.sf(x, df))


@pytest.mark.parametrize(("loc", "scale"), [(0.0, 1.0), (-0.7, 0.31), (12.5, 4.0)])
def test_frozen_normal_is_scipys(loc: float, scale: float) -> None:
    ours, theirs = Normal(loc, scale), stats.norm(loc=loc, scale=scale)
    for x in POINTS:
        assert ours.cdf(x) == float(theirs.cdf(x))
        assert ours.sf(x) == float(theirs.sf(x))
    for q in QUANTILES:
        assert ours.ppf(q) == float(theirs.ppf(q))
    assert ours.mean() == float(theirs.mean())
    assert ours.median() == float(theirs.median())


@pytest.mark.parametrize("df", DEGREES)
def test_frozen_student_t_is_scipys(df: float) -> None:
    ours, theirs = StudentT(df, 0.4, 0.9), stats.t(df, loc=0.4, scale=0.9)
    for x in POINTS:
        assert ours.cdf(x) == float(theirs.cdf(x))
        assert ours.sf(x) == float(theirs.sf(x))
    for q in QUANTILES:
        assert ours.ppf(q) == float(theirs.ppf(q))
    assert ours.mean() == float(theirs.mean()) or not math.isfinite(float(theirs.mean()))
    assert math.isfinite(ours.mean()) == math.isfinite(float(theirs.mean()))
    assert ours.median() == float(theirs.median())


def test_rankdata_gives_ties_their_mean_rank_like_scipy() -> None:
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 40, 301):
        values = rng.integers(0, 6, size).astype(float)
        assert np.array_equal(rankdata(values), stats.rankdata(values))
    assert rankdata([3.0, 1.0, 3.0, 2.0]).tolist() == [3.5, 1.0, 3.5, 2.0]


def test_the_analysis_never_imports_scipy_stats() -> None:
    """``scipy.stats`` alone costs about 0.7 s of start-up; the insights must not pull it in."""
    code = (
        "import sys, bedside.services.insights, bedside.analysis.experiment, "
        "bedside.analysis.bayes, bedside.analysis.nonoverlap, bedside.analysis.design; "
        "print('scipy.stats' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_importing_the_analysis_leaves_scipy_optimize_to_the_ar1_fit() -> None:
    """``scipy.optimize`` costs about 0.2 s to load: only an AR(1) fit needs it, so a page or
    command that imports the analysis and reads a result computed earlier does not pay it."""
    code = (
        "import sys, bedside.services.insights, bedside.analysis.experiment, "
        "bedside.analysis.design, bedside.analysis.ar1; "
        "print('scipy.optimize' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
