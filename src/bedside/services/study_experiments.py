"""A participant's randomised experiments for a study export: coded periods, no free text.

Each period of each experiment becomes one row: the outcome code, its direction and
threshold, the block and period, the condition *coded* (``reference`` for the reference
level, ``level_1``, ``level_2``... for the others in the plan's order: level names and the
question are words the person typed, so they never leave), the period's first and last
night, how many analysable nights it had and their mean (empty when the period did not
count, §4.1). Only periods wholly inside the study's dates, and ended before a withdrawal,
are kept. Dates here are the person's own; the export shifts them.

Reading the schedule never draws a block: the study sees what was drawn by the person.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, Final

import pandas as pd
from sqlalchemy import select

from bedside.analysis.experiment import experiment_table
from bedside.analysis.periods import period_means
from bedside.analysis.pooled import REFERENCE, PeriodRow
from bedside.services.experiments.analysis import as_of, experiment_frame, scheduled_nights
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment

PERIOD_COLUMNS: Final = (
    "experiment",
    "outcome",
    "lower_is_better",
    "threshold",
    "planned_blocks",
    "nights_per_period",
    "washout_nights",
    "block",
    "period",
    "condition",
    "first_night",
    "last_night",
    "analysable_nights",
    "period_mean",
)
#: Data dictionary: (unit, meaning) of each column of ``experiment_periods.csv``.
PERIOD_MEANINGS: Final[dict[str, tuple[str, str]]] = {
    "experiment": ("", "the participant's experiment number (1, 2, ... within the study)"),
    "outcome": ("", "the primary outcome's code (e.g. quality, sol, pain)"),
    "lower_is_better": ("", "true when a lower value of the outcome is better"),
    "threshold": ("outcome units", "the worth-it difference the participant chose"),
    "planned_blocks": ("", "blocks planned before the start"),
    "nights_per_period": ("nights", "nights in each period"),
    "washout_nights": ("nights", "first nights of each period left out of the analysis"),
    "block": ("", "block number (from 1); its periods hold each condition once, in random order"),
    "period": ("", "position of the period within its block (from 1)"),
    "condition": ("", "reference, or level_1, level_2... (the plan's other levels, in order)"),
    "first_night": ("date", "the period's first night"),
    "last_night": ("date", "the period's last night"),
    "analysable_nights": ("nights", "logged nights outside the washout"),
    "period_mean": (
        "outcome units",
        "mean outcome over the analysable nights (empty: under 3, the period does not count)",
    ),
}


def collected_source(outcome: str) -> str:
    """What a study must collect for an experiment on ``outcome`` to be exported."""
    if outcome.startswith("wearable_"):
        return "wearables"
    return {"pain_next_morning": "pain", "soreness_next_morning": "soreness"}.get(outcome, "diary")


def experiment_periods(
    scope: Scope,
    first: date,
    last: date,
    withdrawn_at: datetime | None,
    collects: frozenset[str],
) -> list[dict[str, Any]]:
    """The person's coded, finished experiment periods inside the study (own dates).

    Only experiments whose outcome comes from something the study collects are included.
    """
    rows: list[dict[str, Any]] = []
    number = 0
    stop = last
    if withdrawn_at is not None:  # the night before the day they withdrew is the last
        stop = min(last, withdrawn_at.astimezone(scope.tz).date() - timedelta(days=1))
    for exp in _experiments(scope):
        if collected_source(exp.outcome) not in collects:
            continue
        nights = [n for n in scheduled_nights(exp, as_of(scope, exp)) if not n.run_in]
        if not nights:
            continue
        frame = experiment_frame(scope, exp)
        values = frame.get(exp.outcome)
        outcomes = {
            n.night: _number(values.get(pd.Timestamp(n.night))) if values is not None else None
            for n in nights
        }
        summaries = period_means(experiment_table(nights, outcomes))
        spans = _spans(nights)
        periods = list(_rows(exp, summaries, spans, first, stop))
        if periods:
            number += 1
            rows.extend({"experiment": number, **row} for row in periods)
    return rows


def period_rows(study_code: str, rows: list[dict[str, Any]]) -> list[PeriodRow]:
    """The export rows of one participant as the pooled analysis reads them."""
    return [
        PeriodRow(
            participant=study_code,
            experiment=int(row["experiment"]),
            outcome=str(row["outcome"]),
            lower_is_better=bool(row["lower_is_better"]),
            block=int(row["block"]),
            condition=str(row["condition"]),
            mean=row["period_mean"],
        )
        for row in rows
    ]


def _experiments(scope: Scope) -> list[Experiment]:
    return list(
        scope.session.scalars(
            select(Experiment)
            .where(Experiment.user_id == scope.user.id)
            .order_by(Experiment.start_night, Experiment.id)
        )
    )


def _spans(nights: list[Any]) -> dict[tuple[int, int], tuple[date, date]]:
    spans: dict[tuple[int, int], tuple[date, date]] = {}
    for n in nights:
        key = (int(n.block), int(n.period))
        low, high = spans.get(key, (n.night, n.night))
        spans[key] = (min(low, n.night), max(high, n.night))
    return spans


def _rows(
    exp: Experiment,
    summaries: list[Any],
    spans: dict[tuple[int, int], tuple[date, date]],
    first: date,
    stop: date,
) -> Iterator[dict[str, Any]]:
    codes = _codes(exp)
    lower = _lower_is_better(exp)
    for summary in summaries:
        begin, end = spans[(int(summary.block), int(summary.period))]
        finished = (end - begin).days + 1 == exp.nights_per_period
        if not finished or begin < first or end > stop:
            continue
        yield {
            "outcome": exp.outcome,
            "lower_is_better": lower,
            "threshold": exp.mid,
            "planned_blocks": exp.blocks,
            "nights_per_period": exp.nights_per_period,
            "washout_nights": exp.washout_nights,
            "block": int(summary.block),
            "period": int(summary.period),
            "condition": codes[summary.condition],
            "first_night": begin,
            "last_night": end,
            "analysable_nights": summary.n_nights,
            "period_mean": summary.mean if summary.counts else None,
        }


def _codes(exp: Experiment) -> dict[str, str]:
    others = [str(level) for level in exp.levels if str(level) != exp.reference]
    codes = {level: f"level_{i}" for i, level in enumerate(others, start=1)}
    return {**codes, exp.reference: REFERENCE}


def _lower_is_better(exp: Experiment) -> bool:
    return bool(exp.lower_is_better)


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
