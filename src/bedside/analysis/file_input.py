"""Reading and checking a file for ``analyze-file``: every user mistake gets a clear message.

The table is one row per night (or session). This module loads it, checks the named
columns, turns the outcome into numbers, the condition into labels and the day column
into day numbers, and works out the periods and pairs (see :func:`period_keys`).
Everything a person could get wrong raises :class:`AnalysisInputError` with a message
that says what to change.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from bedside.analysis.periods import pair_runs, runs_as_periods
from bedside.domain.errors import BedsideError

_SHOW: Final = 5


class AnalysisInputError(BedsideError, ValueError):
    """A mistake in the file or the options that the person can correct."""


def load_table(source: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """The table from a CSV path (or a copy of a DataFrame), with a 0..n-1 index."""
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True).copy()
    try:
        return pd.read_csv(source)
    except FileNotFoundError:
        raise AnalysisInputError(f"cannot find the file {os.fspath(source)!r}") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise AnalysisInputError(f"cannot read {os.fspath(source)!r} as CSV: {err}") from None
    except IsADirectoryError:
        raise AnalysisInputError(f"{os.fspath(source)!r} is a folder, not a CSV file") from None


def select_rows(table: pd.DataFrame, where: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The rows whose ``column`` equals ``value`` (as text, trimmed) for every pair given.

    A study file often holds several people or trials; ``--where participant=milk_P1`` picks
    one. A column that does not exist, or a value no row has, is an error that lists what the
    file does have.
    """
    for column, value in where:
        require_columns(table, {"where": column})
        cells = table[column].astype("string").str.strip()
        chosen = cells == value.strip()
        if not chosen.any():
            values = sorted(map(str, cells.dropna().unique()))
            present = ", ".join(values[:_SHOW]) + (", ..." if len(values) > _SHOW else "")
            raise AnalysisInputError(
                f"--where {column}={value}: no row has that value. The column has: {present}"
            )
        table = table[chosen.fillna(False)]
    return table.reset_index(drop=True)


def require_columns(table: pd.DataFrame, named: dict[str, str | None]) -> None:
    """Every option that names a column must name one that exists."""
    for option, column in named.items():
        if column is not None and column not in table.columns:
            available = ", ".join(map(str, table.columns))
            raise AnalysisInputError(
                f"--{option} {column!r}: no such column. The file has: {available}"
            )


def _rows(index: Sequence[int | np.integer[Any]]) -> str:
    """1-based data-row numbers, the first few."""
    shown = ", ".join(str(int(i) + 1) for i in list(index)[:_SHOW])
    return shown + (", ..." if len(index) > _SHOW else "")


def numeric_outcome(table: pd.DataFrame, column: str) -> pd.Series:
    """The outcome as floats (empty cells become NaN; anything else non-numeric is an error)."""
    raw = table[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        examples = ", ".join(repr(v) for v in raw[bad].astype(str).unique()[:_SHOW])
        raise AnalysisInputError(
            f"outcome column {column!r} must hold numbers; found {examples} "
            f"(data rows {_rows(list(np.flatnonzero(bad)))})"
        )
    return values


def condition_labels(table: pd.DataFrame, column: str) -> pd.Series:
    """Conditions as text; whole numbers lose their '.0' so that --treatment 1 matches."""
    raw = table[column]
    numeric = pd.to_numeric(raw, errors="coerce")
    if raw.notna().any() and numeric[raw.notna()].notna().all():
        return numeric.map(lambda v: f"{v:g}" if pd.notna(v) else None)
    return raw.map(lambda v: str(v).strip() if pd.notna(v) and str(v).strip() else None)


def normalise_treatment(treatment: str, labels: pd.Series, column: str) -> tuple[str, str]:
    """(treatment, control) labels; the file must hold exactly two conditions."""
    present = sorted({v for v in labels if v is not None})
    value = str(treatment).strip()
    if value not in present:
        with contextlib.suppress(ValueError):
            value = f"{float(value):g}"
    if value not in present:
        raise AnalysisInputError(
            f"--treatment {treatment!r} does not appear in column {column!r}; "
            f"its values are: {', '.join(present) or '(none)'}"
        )
    others = [v for v in present if v != value]
    if not others:
        raise AnalysisInputError(
            f"column {column!r} holds only {value!r}: there are no control rows to compare with"
        )
    if len(others) > 1:
        raise AnalysisInputError(
            f"column {column!r} holds {len(present)} conditions ({', '.join(present)}); "
            "analyze-file compares two: keep only the treatment and one control in the file, "
            "or pick rows with --where COLUMN=VALUE"
        )
    return value, others[0]


def day_numbers(table: pd.DataFrame, column: str) -> pd.Series:
    """Day numbers from whole numbers or dates (days since the first date)."""
    raw = table[column]
    if raw.isna().any():
        empty = _rows(list(np.flatnonzero(raw.isna())))
        raise AnalysisInputError(f"day column {column!r} has empty cells (data rows {empty})")
    numeric = pd.to_numeric(raw, errors="coerce")
    if numeric.notna().all():
        if not np.allclose(numeric, np.round(numeric)):
            raise AnalysisInputError(f"day column {column!r} must hold whole numbers or dates")
        days = numeric.round().astype(int)
    else:
        try:
            dates = pd.to_datetime(raw.astype(str), format="ISO8601")
        except (ValueError, TypeError):
            raise AnalysisInputError(
                f"day column {column!r} must hold whole numbers or dates like 2024-03-01"
            ) from None
        days = (dates.dt.normalize() - dates.min().normalize()).dt.days.astype(int)
    repeated = days[days.duplicated(keep=False)]
    if len(repeated):
        raise AnalysisInputError(
            f"day column {column!r} repeats a day (data rows {_rows(list(repeated.index))}); "
            "each row must be a different day (for a file with several people or trials, "
            "pick one with --where COLUMN=VALUE)"
        )
    return days


def period_keys(
    table: pd.DataFrame,
    labels: pd.Series,
    treatment: str,
    control: str,
    pair: str | None,
    period: str | None,
    days: pd.Series | None,
) -> tuple[pd.Series, pd.Series] | None:
    """(block, period) for each row, or None when the file cannot define periods.

    - pair and period: as given; pair only: one period per condition within each pair;
    - period only, or day only (periods = runs of one condition in day order, missing
      days not splitting a run): the k-th treatment period pairs with the k-th control
      period; periods without a partner get no block.
    """
    for name in (pair, period):
        if name is not None and table[name].isna().any():
            empty = list(np.flatnonzero(table[name].isna()))
            raise AnalysisInputError(f"column {name!r} has empty cells (data rows {_rows(empty)})")
    if pair is not None:
        blocks = table[pair].astype(str)
        periods = table[period].astype(str) if period is not None else labels
        return blocks, periods
    if period is not None:
        numbers = _ordered_codes(table[period], days)
    elif days is not None:
        numbers = pd.Series(runs_as_periods(list(days), list(labels)), index=table.index)
    else:
        return None
    _check_one_condition(numbers, labels)
    paired = pair_runs(list(numbers), list(labels), treatment, control)
    return pd.Series(paired, index=table.index, dtype=object), numbers


def _ordered_codes(values: pd.Series, days: pd.Series | None) -> pd.Series:
    """Number the period labels in time order (by first day, else by sorted label)."""
    if days is not None:
        first = days.groupby(values).min().sort_values()
        order = list(first.index)
    else:
        numeric = pd.to_numeric(pd.Series(values.unique()), errors="coerce")
        order = sorted(values.unique(), key=str)
        if numeric.notna().all():
            order = sorted(values.unique(), key=float)
    rank = {v: i for i, v in enumerate(order)}
    return values.map(rank).astype(int)


def _check_one_condition(periods: pd.Series, labels: pd.Series) -> None:
    mixed = labels.groupby(periods).nunique()
    if (mixed > 1).any():
        raise AnalysisInputError(
            "a period holds rows of both conditions; each period must be one condition"
        )
