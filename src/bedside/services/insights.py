"""Insights from the log: "what does my log suggest?" (§4.2-4.5). Association, not proof.

Heavy (pandas, SciPy): imported only by analysis commands and pages. One night frame over
the chosen range (default: from the first night the person logged) goes to
:func:`bedside.analysis.insights.observational_insights` with one primary outcome (default
sleep quality) and the other outcomes that have data as the exploratory panel.

Building the night frame is the costliest step on a long history, so a caller that also
draws charts builds it once with :func:`insights_frame` and passes it to :func:`insights`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

import pandas as pd

from bedside.analysis.eligibility import MIN_LOGGED_NIGHTS
from bedside.analysis.insights import observational_insights
from bedside.analysis.jsonable import to_jsonable
from bedside.analysis.multiplicity import SecondaryPanel
from bedside.analysis.nights import NightColumns
from bedside.analysis.observational import ASSOCIATION
from bedside.analysis.outcomes import OUTCOMES
from bedside.analysis.summary import does_not_show, number
from bedside.services.analysis_rows import person_night_frame
from bedside.services.insights_request import DEFAULT_OUTCOME, check_request
from bedside.services.insights_schemas import InsightsOut
from bedside.services.scope import Scope
from bedside.services.week_one import week_one_feedback

#: A secondary outcome joins the panel once it has this many logged nights.
MIN_SECONDARY_NIGHTS: Final = 10
NOTHING_YET: Final = (
    "Nothing logged in this range yet. Log your doses and a morning diary for a few weeks; "
    "Bedside compares nights once there are at least 28 with both kinds of night."
)


def insights_frame(
    scope: Scope, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The night frame :func:`insights` analyses over ``[start, end]``.

    Without ``start`` the range begins where the person logs (their first night with a
    dose, diary or other entry of their own), not at the first wearable night imported
    years before they started using Bedside.
    """
    frame = person_night_frame(scope, start, end)
    if start is None and not frame.empty:
        frame = where_person_logs(frame)
    return frame


def where_person_logs(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame from its first night with something the person logged (all of it if none)."""
    logged = frame[NightColumns.TOOK].notna()
    if not logged.any():
        return frame
    first = int(logged.to_numpy().argmax())
    return frame.iloc[first:].reset_index(drop=True)


def insights(
    scope: Scope,
    outcome: str = DEFAULT_OUTCOME,
    start: date | None = None,
    end: date | None = None,
    secondary: Sequence[str] | None = None,
    *,
    frame: pd.DataFrame | None = None,
) -> InsightsOut:
    """Observational insights over ``[start, end]`` (default: all history), typed.

    Fields: ``label`` ("association, not proof"), ``outcome``, ``outcome_label``, ``from``,
    ``to``, ``counts`` (nights in range, with exposure known, with and without kratom,
    outcome logged), ``week_one`` (the descriptive first-weeks feedback of
    :mod:`bedside.services.week_one` while fewer than 28 nights are logged, else None),
    ``status`` (``no_data``, ``not_enough_data`` or ``ok``), ``summary``
    (sentences), ``secondary_summary``, ``dose_summary``, ``does_not_show`` and ``result``
    (the full :class:`~bedside.analysis.insights.Insights` with exact numbers, or None
    without data).

    ``frame``: the result of :func:`insights_frame` for the same range, when the caller
    already built it (it is only read, never changed); built here otherwise.
    """
    check_request(outcome, start, end, secondary)
    if frame is None:
        frame = insights_frame(scope, start, end)
    counts = _counts(frame, outcome)
    feedback = week_one_feedback(frame) if counts["exposure_known"] < MIN_LOGGED_NIGHTS else None
    base: dict[str, Any] = {
        "label": ASSOCIATION,
        "outcome": outcome,
        "outcome_label": OUTCOMES[outcome].label,
        "from": _iso(frame, 0, start),
        "to": _iso(frame, -1, end),
        "counts": counts,
        "does_not_show": does_not_show("observational"),
        "week_one": feedback.model_dump(mode="json") if feedback is not None else None,
    }
    if counts["exposure_known"] == 0:
        return InsightsOut.model_validate(
            {
                **base,
                "status": "no_data",
                "summary": [NOTHING_YET],
                "secondary_summary": [],
                "dose_summary": [],
                "result": None,
            }
        )
    others = list(secondary) if secondary is not None else _secondary(frame, outcome)
    result = observational_insights(frame, outcome, others)
    return InsightsOut.model_validate(
        {
            **base,
            "status": "ok" if result.primary.adjusted is not None else "not_enough_data",
            "summary": list(result.summary),
            "secondary_summary": secondary_lines(result.secondary),
            "dose_summary": list(result.dose_summary),
            "result": to_jsonable(result),
        }
    )


def _iso(frame: pd.DataFrame, position: int, given: date | None) -> str | None:
    if given is not None:
        return given.isoformat()
    if frame.empty:
        return None
    return str(pd.Timestamp(frame[NightColumns.NIGHT].iloc[position]).date().isoformat())


def _counts(frame: pd.DataFrame, outcome: str) -> dict[str, int]:
    took = frame[NightColumns.TOOK] if NightColumns.TOOK in frame else pd.Series(dtype=float)
    logged = frame[outcome].notna() if outcome in frame else pd.Series(False, index=frame.index)
    return {
        "nights_in_range": len(frame),
        "exposure_known": int(took.notna().sum()),
        "with_kratom": int((took == 1).sum()),
        "without_kratom": int((took == 0).sum()),
        "outcome_logged": int(logged.sum()),
    }


def _secondary(frame: pd.DataFrame, primary: str) -> list[str]:
    """Other outcomes with enough logged nights, in the declared order."""
    return [
        name
        for name in OUTCOMES
        if name != primary
        and name in frame
        and int(frame[name].notna().sum()) >= MIN_SECONDARY_NIGHTS
    ]


def secondary_lines(panel: SecondaryPanel) -> list[str]:
    """One line per secondary outcome; exploratory, association words only."""
    if not panel.entries:
        return []
    if panel.n_examined:
        header = (
            f"Other outcomes ({panel.label}: {panel.n_examined} examined together, so some "
            "differences will appear by chance):"
        )
    else:
        header = f"Other outcomes ({panel.label}; none can be compared yet):"
    lines = [header]
    for entry in panel.entries:
        r = entry.result
        spec = OUTCOMES.get(r.outcome)
        label = spec.label if spec else r.outcome
        if r.adjusted is None:
            why = r.eligibility.message or (r.notes[0] if r.notes else "could not be compared.")
            lines.append(f"- {label}: {why}")
            continue
        if r.ratio is not None:
            size = f"ratio of medians {r.ratio.estimate:.2f} (90% range {r.ratio.ci90[0]:.2f}"
            size += f" to {r.ratio.ci90[1]:.2f})"
        else:
            est, ci = r.adjusted.estimate, r.adjusted.ci90
            unit = spec.unit if spec else ""
            size = f"{_signed(est)} {unit} on kratom nights (90% range {number(ci[0])} to "
            size += f"{number(ci[1])})"
        flag = "; stands out after allowing for the number examined" if entry.flagged else ""
        lines.append(f"- {label}: {size}{flag}.")
    return lines


def _signed(value: float) -> str:
    if math.isnan(value):
        return "unknown"
    return ("+" if value > 0 else "") + number(value)
