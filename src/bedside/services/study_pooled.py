"""The experiment part of a study export: shifted periods and the pooled summary files.

``experiment_periods.csv`` holds every participant's coded periods (study ids, shifted
dates); ``pooled_summary.csv`` and ``pooled_summary.md`` hold the per-participant and pooled
estimates of :func:`bedside.analysis.pooled.pooled_summary`, or the line saying why there is
no pooled figure yet (fewer than :data:`~bedside.analysis.pooled.MIN_PARTICIPANTS`
participants completed an experiment).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from bedside.analysis.pooled import (
    MIN_BLOCKS,
    MIN_PARTICIPANTS,
    PooledSummary,
    pooled_summary,
)
from bedside.exporters.csv_files import csv_bytes
from bedside.exporters.deidentify import STUDY_ID, shift_night
from bedside.services.study_experiments import PERIOD_COLUMNS, PERIOD_MEANINGS, period_rows

EXPERIMENT_PERIODS: Final = "experiment_periods"
POOLED: Final = "pooled_summary"
SUMMARY_COLUMNS: Final = (
    "level",
    STUDY_ID,
    "outcome",
    "experiment",
    "complete_blocks",
    "participants",
    "status",
    "estimate",
    "se",
    "ci95_low",
    "ci95_high",
    "between_person_sd",
    "within_person_sd",
    "prediction95_low",
    "prediction95_high",
    "two_stage_estimate",
    "two_stage_ci95_low",
    "two_stage_ci95_high",
    "favouring_level_1",
    "note",
)
SUMMARY_MEANINGS: Final[dict[str, tuple[str, str]]] = {
    "level": ("", "participant (one person's estimate) or pooled (across participants)"),
    STUDY_ID: ("", "the participant's study id (empty on pooled rows)"),
    "outcome": ("", "the outcome's code"),
    "experiment": ("", "the participant's experiment number used (see experiment_periods.csv)"),
    "complete_blocks": ("", "blocks with both conditions' periods counting"),
    "participants": ("", f"participants with {MIN_BLOCKS}+ complete blocks (pooled rows)"),
    "status": ("", "participant: completed / in_progress; pooled: pooled / too_few"),
    "estimate": ("outcome units", "level_1 minus reference (mean block difference; pooled: REML)"),
    "se": ("outcome units", "standard error of the pooled estimate"),
    "ci95_low": ("outcome units", "95% interval, lower end (t, participants - 1 df when pooled)"),
    "ci95_high": ("outcome units", "95% interval, upper end"),
    "between_person_sd": ("outcome units", "SD of people's own differences (random effect)"),
    "within_person_sd": ("outcome units", "SD of block differences within a person"),
    "prediction95_low": ("outcome units", "where one new participant's difference may lie, low"),
    "prediction95_high": ("outcome units", "where one new participant's difference may lie, high"),
    "two_stage_estimate": ("outcome units", "mean of the per-participant estimates (a check)"),
    "two_stage_ci95_low": ("outcome units", "its 95% t interval, lower end"),
    "two_stage_ci95_high": ("outcome units", "its 95% t interval, upper end"),
    "favouring_level_1": ("", "participants whose estimate favours level_1"),
    "note": ("", "why there is no pooled figure, when there is none"),
}


def shifted_periods(
    study_code: str, offset_days: int, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One participant's period rows under their study id, dates moved by their offset."""
    return [
        {
            **row,
            STUDY_ID: study_code,
            "first_night": shift_night(row["first_night"], offset_days),
            "last_night": shift_night(row["last_night"], offset_days),
        }
        for row in rows
    ]


def pooled_files(periods: Sequence[dict[str, Any]]) -> dict[str, bytes]:
    """``experiment_periods.csv``, ``pooled_summary.csv`` and ``pooled_summary.md``."""
    by_person: dict[str, list[dict[str, Any]]] = {}
    for row in periods:
        by_person.setdefault(str(row[STUDY_ID]), []).append(row)
    summary = pooled_summary(
        [r for code, rows in sorted(by_person.items()) for r in period_rows(code, rows)]
    )
    return {
        f"{EXPERIMENT_PERIODS}.csv": csv_bytes((STUDY_ID, *PERIOD_COLUMNS), periods),
        f"{POOLED}.csv": csv_bytes(SUMMARY_COLUMNS, summary_rows(summary)),
        f"{POOLED}.md": summary_markdown(summary).encode("utf-8"),
    }


def pooled_dictionary() -> list[dict[str, str]]:
    """Data-dictionary rows for the two experiment CSV files."""
    rows = [_entry(EXPERIMENT_PERIODS, STUDY_ID, ("", "the participant's study id"))]
    rows += [_entry(EXPERIMENT_PERIODS, c, PERIOD_MEANINGS[c]) for c in PERIOD_COLUMNS]
    rows += [_entry(POOLED, c, SUMMARY_MEANINGS[c]) for c in SUMMARY_COLUMNS]
    return rows


def _entry(stem: str, column: str, described: tuple[str, str]) -> dict[str, str]:
    unit, meaning = described
    if column in ("first_night", "last_night"):
        meaning += "; moved by the participant's secret whole-week offset (weekday kept)"
    kind = "date" if unit == "date" else "text" if unit == "" else "number"
    return {"file": f"{stem}.csv", "column": column, "type": kind, "unit": unit, "meaning": meaning}


def summary_rows(summary: PooledSummary) -> list[dict[str, Any]]:
    """The CSV rows: one per participant estimate, then one per outcome pooled."""
    rows: list[dict[str, Any]] = []
    for e in summary.participants:
        low, high = e.ci95 or (None, None)
        rows.append(
            {
                "level": "participant",
                STUDY_ID: e.participant,
                "outcome": e.outcome,
                "experiment": e.experiment,
                "complete_blocks": e.complete_blocks,
                "status": "completed" if e.completed else "in_progress",
                "estimate": e.estimate,
                "ci95_low": low,
                "ci95_high": high,
            }
        )
    for p in summary.pooled:
        ci, pred, two = p.ci95 or (None, None), p.prediction95 or (None, None), p.two_stage_ci95
        rows.append(
            {
                "level": "pooled",
                "outcome": p.outcome,
                "participants": p.participants,
                "status": p.status,
                "estimate": p.estimate,
                "se": p.se,
                "ci95_low": ci[0],
                "ci95_high": ci[1],
                "between_person_sd": p.between_person_sd,
                "within_person_sd": p.within_person_sd,
                "prediction95_low": pred[0],
                "prediction95_high": pred[1],
                "two_stage_estimate": p.two_stage_estimate,
                "two_stage_ci95_low": two[0] if two else None,
                "two_stage_ci95_high": two[1] if two else None,
                "favouring_level_1": p.favouring_level_1,
                "note": p.note or None,
            }
        )
    return rows


def summary_markdown(summary: PooledSummary) -> str:
    """A short plain-language summary: method, minimum, results or why none, caveats."""
    lines = [
        "# Pooled summary of the participants' randomised self-experiments",
        "",
        "Each participant's estimate is the mean of their block differences of period means "
        "(level_1 minus reference, §4.1 of the n-of-1 specification). The pooled estimate is a "
        "random-effects model on the block differences (random intercept per participant, "
        "REML; 95% intervals use t with participants - 1 degrees of freedom), with the mean of "
        "the per-participant estimates beside it as a check. A participant counts once "
        f"{MIN_BLOCKS}+ blocks are complete; no pooled figure is given with fewer than "
        f"{MIN_PARTICIPANTS} such participants. Multi-arm experiments are not pooled.",
        "",
    ]
    lines += [f"- {sentence}" for sentence in summary.sentences]
    return "\n".join(lines) + "\n"
