"""Pooled summary of a study's randomised self-experiments (aggregated n-of-1 analysis).

Input: plain period rows (one per period: participant, experiment, outcome, block, coded
condition, period mean or None when the period did not count). Per participant, the §4.1
period-level analysis: block differences d = mean(``level_1``) - mean(``reference``), their
mean with a t interval. Across participants, a random-effects model on the block
differences, d_ik = delta + u_i + e_ik with u_i ~ N(0, tau^2) (statsmodels MixedLM, REML):
this is the night-level model with a random intercept and a random treatment slope per
person, at the level of period means, the unit that was randomised.

Choices, stated:

* A participant counts as *completed* with at least :data:`MIN_BLOCKS` complete blocks
  (§4.1: "Minimum before any result: 3 complete pairs"); one experiment per participant and
  outcome (the one with most complete blocks, then the latest).
* Only two-condition experiments (one level against the reference) are pooled; multi-arm
  ones are exported but left out of the pooled figures.
* No pooled figure with fewer than :data:`MIN_PARTICIPANTS` completed participants: with
  two people the between-person spread cannot be estimated at all, and with three it is
  still rough, which the prediction interval shows.
* Intervals use t with (participants - 1) degrees of freedom, not the model's normal
  approximation: with a handful of people that is the honest width. The two-stage summary
  (mean of per-person estimates) is shown beside the model as a check.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np

from bedside.analysis.distributions import t_ppf
from bedside.analysis.experiment import MIN_COMPLETE_BLOCKS
from bedside.analysis.paired import paired_t

MIN_PARTICIPANTS: Final = 3
MIN_BLOCKS: Final = MIN_COMPLETE_BLOCKS
REFERENCE: Final = "reference"
TREATMENT: Final = "level_1"
PooledStatus = Literal["pooled", "too_few"]
NO_SPREAD: Final = (
    "Every block difference was the same, so no interval can be computed (a zero-width "
    "range would claim a certainty that so few periods cannot give)."
)
Interval = tuple[float, float]


@dataclass(frozen=True)
class PeriodRow:
    """One period of one participant's experiment (coded: no free text)."""

    participant: str
    experiment: int
    outcome: str
    lower_is_better: bool
    block: int
    condition: str
    mean: float | None


@dataclass(frozen=True)
class ParticipantEstimate:
    """One participant's period-level estimate (level_1 - reference) for one outcome."""

    participant: str
    experiment: int
    outcome: str
    complete_blocks: int
    estimate: float
    ci95: Interval | None
    completed: bool


@dataclass(frozen=True)
class PooledEstimate:
    """The pooled difference for one outcome, or why there is none (``too_few``)."""

    outcome: str
    lower_is_better: bool
    status: PooledStatus
    participants: int
    estimate: float | None = None
    se: float | None = None
    ci95: Interval | None = None
    between_person_sd: float | None = None
    within_person_sd: float | None = None
    prediction95: Interval | None = None
    two_stage_estimate: float | None = None
    two_stage_ci95: Interval | None = None
    favouring_level_1: int | None = None
    note: str = ""


@dataclass(frozen=True)
class PooledSummary:
    """Per-participant estimates and the pooled figures per outcome, with plain sentences."""

    participants: list[ParticipantEstimate] = field(default_factory=list)
    pooled: list[PooledEstimate] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def pooled_summary(
    rows: Sequence[PeriodRow], min_participants: int = MIN_PARTICIPANTS
) -> PooledSummary:
    """Per-participant and pooled estimates from the study's period rows (row order free)."""
    differences = _block_differences(rows)
    chosen = _one_per_participant(differences)
    estimates = [
        _participant_estimate(key, chosen[key])
        for key in sorted(chosen, key=lambda k: (k[2], k[0]))
    ]
    pooled = [
        _pooled(
            outcome, lower, [e for e in estimates if e.outcome == outcome], chosen, min_participants
        )
        for outcome, lower in sorted({(k[2], _direction(rows, k[2])) for k in chosen})
    ]
    sentences = [_sentence(p) for p in pooled] or [
        "No participant has a two-condition randomised experiment with complete blocks yet, "
        "so there is nothing to pool."
    ]
    return PooledSummary(estimates, pooled, sentences + list(CAVEATS) if pooled else sentences)


Key = tuple[str, int, str]


def _block_differences(rows: Sequence[PeriodRow]) -> dict[Key, list[float]]:
    """level_1 - reference per complete block, per (participant, experiment, outcome)."""
    means: dict[Key, dict[int, dict[str, list[float]]]] = {}
    conditions: dict[Key, set[str]] = {}
    for row in rows:
        key = (row.participant, row.experiment, row.outcome)
        conditions.setdefault(key, set()).add(row.condition)
        if row.mean is not None and math.isfinite(row.mean):
            block = means.setdefault(key, {}).setdefault(row.block, {})
            block.setdefault(row.condition, []).append(row.mean)
    out: dict[Key, list[float]] = {}
    for key, found in conditions.items():
        if found != {REFERENCE, TREATMENT}:
            continue  # multi-arm: exported, not pooled
        blocks = means.get(key, {})
        out[key] = [
            float(np.mean(b[TREATMENT])) - float(np.mean(b[REFERENCE]))
            for _, b in sorted(blocks.items())
            if TREATMENT in b and REFERENCE in b
        ]
    return out


def _one_per_participant(differences: dict[Key, list[float]]) -> dict[Key, list[float]]:
    best: dict[tuple[str, str], Key] = {}
    for key, d in differences.items():
        person = (key[0], key[2])
        held = best.get(person)
        if held is None or (len(d), key[1]) > (len(differences[held]), held[1]):
            best[person] = key
    return {key: differences[key] for key in best.values()}


def _participant_estimate(key: Key, d: list[float]) -> ParticipantEstimate:
    paired = paired_t(d)
    ci = paired.ci95 if paired.ci95 and all(map(math.isfinite, paired.ci95)) else None
    return ParticipantEstimate(
        participant=key[0],
        experiment=key[1],
        outcome=key[2],
        complete_blocks=len(d),
        estimate=paired.estimate,
        ci95=ci,
        completed=len(d) >= MIN_BLOCKS,
    )


def _direction(rows: Sequence[PeriodRow], outcome: str) -> bool:
    return next(r.lower_is_better for r in rows if r.outcome == outcome)


def _pooled(
    outcome: str,
    lower_is_better: bool,
    estimates: list[ParticipantEstimate],
    chosen: dict[Key, list[float]],
    min_participants: int,
) -> PooledEstimate:
    done = [e for e in estimates if e.completed]
    if len(done) < min_participants:
        return PooledEstimate(
            outcome,
            lower_is_better,
            "too_few",
            len(done),
            note=(
                f"No pooled figure for {outcome}: {len(done)} participant(s) completed a "
                f"randomised experiment with {MIN_BLOCKS}+ complete blocks; at least "
                f"{min_participants} are needed."
            ),
        )
    groups = [e.participant for e in done for _ in chosen[(e.participant, e.experiment, outcome)]]
    values = [v for e in done for v in chosen[(e.participant, e.experiment, outcome)]]
    estimate, se, tau, sigma = _random_effects(np.asarray(values), groups)
    df = len(done) - 1
    t = float(t_ppf(0.975, df))
    per_person = np.asarray([e.estimate for e in done])
    two_stage = float(per_person.mean())
    two_stage_half = t * float(per_person.std(ddof=1)) / math.sqrt(len(done))
    spread = math.sqrt(tau**2 + se**2)
    sign = -1.0 if lower_is_better else 1.0
    if not se > 0:
        return PooledEstimate(
            outcome,
            lower_is_better,
            "pooled",
            len(done),
            estimate=estimate,
            two_stage_estimate=two_stage,
            favouring_level_1=int(sum(1 for v in per_person if sign * v > 0)),
            note=NO_SPREAD,
        )
    return PooledEstimate(
        outcome=outcome,
        lower_is_better=lower_is_better,
        status="pooled",
        participants=len(done),
        estimate=estimate,
        se=se,
        ci95=(estimate - t * se, estimate + t * se),
        between_person_sd=tau,
        within_person_sd=sigma,
        prediction95=(estimate - t * spread, estimate + t * spread),
        two_stage_estimate=two_stage,
        two_stage_ci95=(two_stage - two_stage_half, two_stage + two_stage_half),
        favouring_level_1=int(sum(1 for v in per_person if sign * v > 0)),
    )


def _random_effects(values: np.ndarray, groups: list[str]) -> tuple[float, float, float, float]:
    """REML random-intercept model on block differences: (delta, SE, tau, sigma)."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        # A between-person variance on the boundary (tau = 0) is a valid answer here.
        warnings.simplefilter("ignore")
        try:
            fit = sm.MixedLM(values, np.ones((len(values), 1)), groups=groups).fit(reml=True)
            found = (
                float(fit.fe_params[0]),
                float(fit.bse_fe[0]),
                math.sqrt(max(float(np.asarray(fit.cov_re)[0, 0]), 0.0)),
                math.sqrt(float(fit.scale)),
            )
        except (ValueError, np.linalg.LinAlgError):
            found = (math.nan,) * 4
    if all(map(math.isfinite, found)) and found[1] > 0:
        return found
    return _between_means(values, groups)


def _between_means(values: np.ndarray, groups: list[str]) -> tuple[float, float, float, float]:
    """When the model cannot be fitted (e.g. no spread at all): person means, t-based SE."""
    people = sorted(set(groups))
    means = np.asarray([values[[g == p for g in groups]].mean() for p in people])
    se = float(means.std(ddof=1)) / math.sqrt(len(people))
    return float(means.mean()), se, float(means.std(ddof=1)), 0.0


CAVEATS: Final = (
    "Randomisation within each person supports reading these differences as effects of the "
    "assigned condition (intention to treat) for these participants, at their own doses, "
    "timings and over these weeks; nothing here speaks to other people, other doses, "
    "long-term use, tolerance, dependence or safety.",
    "Outcomes are self-rated and nobody was blinded, so expectation cannot be separated from "
    "the drug; for regular users the off-condition may include withdrawal, which makes a "
    "benefit look larger.",
    "An interval that includes 0 is not evidence of no effect.",
)


def _sentence(pooled: PooledEstimate) -> str:
    if pooled.status == "too_few" or pooled.estimate is None:
        return pooled.note
    if pooled.ci95 is None:
        return f"{pooled.outcome}: level_1 minus reference {pooled.estimate:+.2f}. {pooled.note}"
    low, high = pooled.ci95
    p_low, p_high = pooled.prediction95 or (math.nan, math.nan)
    better = "lower" if pooled.lower_is_better else "higher"
    return (
        f"{pooled.outcome}: across {pooled.participants} participants who completed a "
        f"randomised experiment, level_1 minus reference averaged {pooled.estimate:+.2f} "
        f"(95% interval {low:+.2f} to {high:+.2f}; {better} is better). People differed: "
        f"between-person SD {pooled.between_person_sd:.2f}, so one new participant's own "
        f"difference could plausibly lie between {p_low:+.2f} and {p_high:+.2f}. "
        f"{pooled.favouring_level_1} of {pooled.participants} had an estimate favouring "
        "level_1."
    )
