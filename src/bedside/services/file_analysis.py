"""The n-of-1 analysis of a CSV file collected elsewhere (paper diaries, published studies).

One use case for ``bedside analyze-file``: the file is read and analysed by
:func:`bedside.analysis.file_analysis.analyze_file`; a mistake in the file or the column
names is an :class:`~bedside.domain.errors.InputError` on ``file``.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict

from bedside.domain.errors import InputError

#: The field every mistake in the file or its description is reported on.
FILE_FIELD = "file"


class FileAnalysisRequest(BaseModel):
    """What to analyse: the columns that hold the outcome, condition and design."""

    model_config = ConfigDict(frozen=True)

    path: str
    outcome: str
    condition: str
    treatment: str
    pair: str | None = None
    period: str | None = None
    day: str | None = None
    lower_is_better: bool = False
    threshold: float | None = None
    randomised: bool = False
    where: tuple[tuple[str, str], ...] = ()


class FileAnalysis(BaseModel):
    """The result: the figures a reader checks first, and every other exact number.

    The keys are described in :mod:`bedside.analysis.file_analysis`; parts that do not apply
    are ``None``. Keys besides the ones named here are kept as they are (``extra``).
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    n_treatment: int
    n_control: int
    mean_difference: float | None
    pairs: list[float] | None = None
    period_estimate: float | None = None
    period_ci95: list[float | None] | None = None
    paired_t_p: float | None = None
    randomisation_p: float | None = None
    randomisation_min_p: float | None = None
    ar1: dict[str, Any] | None = None
    nap: float | None = None
    summary_sentences: list[str]
    does_not_show: list[str]


def analyze_csv(request: FileAnalysisRequest) -> FileAnalysis:
    """Analyse the file ``request`` names (pandas and statsmodels are imported here)."""
    from bedside.analysis.file_analysis import AnalysisInputError, analyze_file

    try:
        result = analyze_file(
            os.fspath(request.path),
            request.outcome,
            request.condition,
            request.treatment,
            request.pair,
            request.period,
            request.day,
            request.lower_is_better,
            request.threshold,
            randomised=request.randomised,
            where=request.where,
        )
    except AnalysisInputError as err:
        raise InputError(FILE_FIELD, str(err)) from None
    return FileAnalysis.model_validate(result)
