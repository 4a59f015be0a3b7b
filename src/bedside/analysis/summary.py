"""Words for results (§4.6-4.7): lay sentences, verbal bands, what a result does not show.

Rules the sentences follow (tests check them):

- lead with the size of the difference in the outcome's own units, then chances;
- verbal bands for P(benefit >= threshold): over 0.95 "very likely worth it", 0.80-0.95
  "probably worth it", 0.20-0.80 "uncertain, more periods would help", under 0.20
  "unlikely to be worth it"; "no worthwhile difference" only when the whole 90% interval
  lies inside +/- the threshold;
- observational results use association words only ("went with", "was higher on"),
  never causal ones, and always say "association, not proof"; their chances are worded
  neutrally and never get a verbal band (the bands belong to randomised experiments only);
- no p-value headline, no "significant", and never a dose suggestion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from bedside.analysis.design import ExperimentPlan
from bedside.analysis.dose_response import DoseResponse
from bedside.analysis.experiment import ExperimentResult, LevelComparison
from bedside.analysis.nights import COVARIATE_LABELS
from bedside.analysis.observational import AdjustedDifference
from bedside.analysis.outcomes import OutcomeSpec, Transform, outcome_spec

Kind = Literal["experiment", "observational", "file"]


@dataclass(frozen=True)
class Wording:
    """How to name things in sentences."""

    outcome: str
    unit: str
    lower_is_better: bool
    mid: float | None
    treatment: str = "kratom"
    control: str = "no kratom"
    #: What one row is: a night, or a period when a file holds one summary row per period.
    row: str = "night"

    @classmethod
    def for_outcome(cls, spec: OutcomeSpec, mid: float | None, **names: str) -> Wording:
        """Wording from an outcome spec (labels and direction declared there)."""
        return cls(spec.label, spec.unit, not spec.higher_is_better, mid, **names)


def number(value: float) -> str:
    """A number as people read it: 2 decimals under 1, 1 under 10, none above."""
    if math.isnan(value):
        return "unknown"
    size = abs(value)
    text = f"{value:.2f}" if size < 1 else f"{value:.1f}" if size < 10 else f"{value:.0f}"
    return "0" if float(text) == 0 else text


def percent(p: float) -> str:
    """A probability as a whole percentage (never a flat 0% or 100%)."""
    if p < 0.005:
        return "under 1%"
    if p > 0.995:
        return "over 99%"
    return f"{p:.0%}"


def verbal_band(p_benefit_over_mid: float) -> str:
    """§4.6 verbal band for the chance of a worth-it benefit."""
    if p_benefit_over_mid > 0.95:
        return "very likely worth it"
    if p_benefit_over_mid >= 0.80:
        return "probably worth it"
    if p_benefit_over_mid >= 0.20:
        return "uncertain, more periods would help"
    return "unlikely to be worth it"


def within_threshold(ci90: tuple[float, float] | None, mid: float | None) -> bool:
    """True when the whole 90% interval lies inside +/- MID ("no worthwhile difference").

    False without an interval: nothing can be said to lie inside the threshold.
    """
    return ci90 is not None and mid is not None and -mid < ci90[0] and ci90[1] < mid


def _higher_lower(difference: float) -> str:
    return "higher" if difference > 0 else "lower" if difference < 0 else "no different"


def _size(difference: float, w: Wording) -> str:
    if difference == 0:
        return f"{w.outcome} was the same"
    amount = " ".join(filter(None, (number(abs(difference)), w.unit)))
    return f"{w.outcome} was {amount} {_higher_lower(difference)}"


def comparison_sentences(
    c: LevelComparison, w: Wording, n_periods: int, *, verdict: bool = True, randomised: bool = True
) -> list[str]:
    """Sentences for a period-level comparison (randomised experiment or file).

    ``verdict=False`` leaves out the verbal band (too few pairs for a conclusion);
    ``randomised=False`` words the chances without causal verbs.
    """
    est, ci = c.paired.estimate, c.paired.ci95
    periods = f"Over your {n_periods} {w.treatment} and {n_periods} {w.control} periods"
    if ci is None:  # every pair gave the same difference: no range can be estimated
        out = [*_no_spread_sentences(c, w, periods)]
    else:
        out = [
            f"{periods}, {_size(est, w)} with {w.treatment} (range of plausible values "
            f"{number(ci[0])} to {number(ci[1])})."
        ]
    if c.bayes is None and ci is None:
        out.append(
            "No chances can be given either: with no spread between pairs and no worth-it "
            "threshold, nothing shows how much pairs usually differ."
        )
    if c.bayes is not None:
        shown = c.bayes.shown
        if randomised:
            any_gain = f"Chance {w.treatment} improves your {w.outcome} at all"
            big_gain = "Chance it improves it by at least your {} threshold"
        else:
            any_gain = f"Chance {w.treatment} periods score better than {w.control} periods at all"
            big_gain = "Chance they score better by at least your {} threshold"
        out.append(f"{any_gain}: {percent(shown.p_benefit)}.")
        if shown.p_benefit_over_mid is not None and w.mid is not None:
            band = f" ({verbal_band(shown.p_benefit_over_mid)})" if verdict else ""
            out.append(
                f"{big_gain.format(number(w.mid))}: {percent(shown.p_benefit_over_mid)}{band}."
            )
        if c.bayes.note:
            out.append(c.bayes.note)
        if c.bayes.sceptical is None:
            out.append("Without a worth-it threshold these chances use a flat starting point.")
        elif c.bayes.prior_sensitive:
            out.append(
                "A sceptical and a neutral starting point give noticeably different chances: "
                "the data are still thin."
            )
    if verdict and within_threshold(c.paired.ci90, w.mid):
        out.append(
            "The whole range of plausible values is smaller than your threshold: "
            "no worthwhile difference."
        )
    if c.nonoverlap.comparisons:
        out.append(
            f"Comparing each {w.treatment} {w.row} with each {w.control} {w.row}, the "
            f"{w.treatment} {w.row} scored better in {c.nonoverlap.nap:.0%} of the comparisons "
            "(ties count half)."
        )
    return out


def _no_spread_sentences(c: LevelComparison, w: Wording, periods: str) -> list[str]:
    """The size, why no range is given, and the randomisation test that still applies."""
    est, k, test = c.paired.estimate, c.paired.k, c.randomisation
    if est == 0:
        same = f"the same with {w.treatment} and {w.control}"
        size = f"{periods}, {w.outcome} was {same} in every pair."
    else:
        size = f"{periods}, {_size(est, w)} with {w.treatment}, by the same amount in every pair."
    out = [
        size,
        f"Because the pairs agreed exactly, how uncertain this is cannot be estimated from "
        f"{k} pairs, so no range of plausible values is given.",
    ]
    if est == 0:
        out.append("The randomisation test finds nothing to test: no pair showed a difference.")
    elif math.isfinite(test.p_value):
        rarest = (
            f"the rarest result {k} pairs can give"
            if test.p_value <= test.min_p
            else f"the rarest result {k} pairs can give is {percent(test.min_p)}"
        )
        out.append(
            f"The randomisation test still applies: if {w.treatment} made no difference, "
            f"pairs all pointing the same way would turn up in {percent(test.p_value)} of "
            f"the possible orders ({rarest})."
        )
    return out


def observational_sentences(r: AdjustedDifference, exposure: str = "kratom") -> list[str]:
    """Sentences for the §4.2 comparison; association words only."""
    if r.adjusted is None:
        return [r.eligibility.message or "This comparison could not be made.", *r.notes]
    spec = outcome_spec(r.outcome)
    adjusted_for = ", ".join(COVARIATE_LABELS[c] for c in r.adjusted_for)
    allowing = f"{adjusted_for} and the time trend" if adjusted_for else "the time trend"
    before = r.unadjusted.estimate if r.unadjusted is not None else math.nan
    if r.ratio is not None:
        size = _ratio_words(r.ratio.estimate)
        rng = f"90% range {r.ratio.ci90[0]:.2f} to {r.ratio.ci90[1]:.2f} times"
        before = round(math.exp(before), 2)
    else:
        est = r.adjusted.estimate
        size = f"{number(abs(est))} {spec.unit} {_higher_lower(est)}"
        rng = f"90% range {number(r.adjusted.ci90[0])} to {number(r.adjusted.ci90[1])}"
    out = [
        f"On the {r.n_took} nights you took {exposure}, {spec.label} was {size} than on the "
        f"{r.n_not_took} nights you did not, allowing for {allowing} ({rng}; "
        f"before allowing for them: {number(before)}).",
        *_observational_chances(r, exposure),
        f"This is an {r.label}: nights you chose {exposure} may differ in other ways.",
    ]
    if r.not_adjusted_for:
        left = "; ".join(f"{COVARIATE_LABELS[k]} ({v})" for k, v in r.not_adjusted_for.items())
        out.append(f"Not allowed for: {left}.")
    if r.logging.warning:
        out.append(r.logging.warning)
    if r.pattern_mixture is not None and r.pattern_mixture.missing_took_nights:
        if r.pattern_mixture.conclusion_holds:
            out.append(
                f"The picture stays the same if the {exposure} nights you did not log were "
                "worse by your threshold."
            )
        else:
            out.append(
                f"The picture changes if the {exposure} nights you did not log were worse by "
                "your threshold: treat it with caution."
            )
    out.extend(r.notes)
    out.append(f"Only a randomised self-experiment can show whether {exposure} helps you.")
    return out


def _observational_chances(r: AdjustedDifference, exposure: str) -> list[str]:
    """The chances behind an association, in neutral words and without a verbal band.

    The bands ("very likely worth it", ...) judge a randomised experiment (§4.6); on
    observational data they would read as a verdict the data cannot give (§4.7).
    """
    if r.bayes is None:
        return []
    spec, shown = outcome_spec(r.outcome), r.bayes.shown
    better = "higher" if spec.higher_is_better else "lower"
    text = (
        f"Allowing for that uncertainty, the chance that {spec.label} is {better} on nights "
        f"with {exposure} than on nights without is {percent(shown.p_benefit)}"
    )
    if shown.p_benefit_over_mid is not None and r.mid is not None:
        threshold = " ".join(filter(None, (f"{r.mid:g}", spec.unit)))
        over = percent(shown.p_benefit_over_mid)
        text += f", and by at least your threshold of {threshold}: {over}"
    return [f"{text}. These chances describe your log, not a verdict on {exposure}."]


def dose_sentences(r: DoseResponse) -> list[str]:
    """Sentences for dose- or timing-response; bounded to the observed range."""
    what = "dose" if r.exposure != "minutes_dose_to_bed" else "dose-to-bed timing"
    if r.slope is None or r.observed_range is None:
        message = r.eligibility.message or "This comparison could not be made."
        return [f"{what.capitalize()}: {message}", *r.notes]
    lo, hi = r.observed_range
    spec = outcome_spec(r.outcome)
    est, ci = r.slope.estimate, r.slope.ci90
    span_unit = "hours" if what != "dose" else r.unit
    if spec.transform is Transform.LOG_PLUS_5:
        ratio = math.exp(est)
        direction = "longer" if ratio > 1 else "shorter"
        change = f"about {abs(ratio - 1):.0%} {direction} per {r.unit} (ratio {ratio:.2f})"
        rng = f"90% range {math.exp(ci[0]):.2f} to {math.exp(ci[1]):.2f} times"
    else:
        change = f"{number(abs(est))} {spec.unit} {_higher_lower(est)} per {r.unit}"
        rng = f"90% range {number(ci[0])} to {number(ci[1])}"
    return [
        f"Across the {what}s you logged ({number(lo)} to {number(hi)} {span_unit}), "
        f"{spec.label} was on average {change} ({rng}).",
        f"This is an {r.label}. It says nothing outside that range and is not dose advice.",
        *r.notes,
    ]


def does_not_show(kind: Kind, exposure: str = "kratom") -> list[str]:
    """What a result does not show (§4.7), for the given kind of analysis."""
    items = [
        f"Anything about other people, or about doses, timings or products of {exposure} "
        "you did not log.",
        "Anything about long-term effects, tolerance, dependence or safety.",
        f"Whether the difference comes from {exposure} itself or from expecting it to work: "
        "the outcomes were self-rated and not blinded.",
        "That there is no effect, when the result is unclear: an unclear result is not "
        "evidence of no effect.",
        "What a sleep laboratory would measure: a diary is not polysomnography.",
        "Any advice about dose: this analysis never suggests one.",
    ]
    if kind != "file":
        # Withdrawal on off nights is specific to regular kratom use, not to any file's condition.
        items.insert(
            -1,
            f"If you take {exposure} regularly, off nights may bring withdrawal that worsens "
            f"sleep and pain, which makes {exposure} look more helpful than it is.",
        )
    if kind == "observational":
        items.insert(
            0,
            f"That {exposure} caused any difference: nights you chose {exposure} may differ in "
            "other ways, such as more pain that day.",
        )
    if kind == "file":
        items.insert(0, "Why the conditions were in the order they were: the file does not say.")
    return items


def _ratio_words(ratio: float) -> str:
    change = abs(ratio - 1)
    direction = "longer" if ratio > 1 else "shorter"
    return f"about {change:.0%} {direction} (ratio of medians {ratio:.2f})"


def experiment_sentences(result: ExperimentResult, plan: ExperimentPlan) -> list[str]:
    """Sentences for a planned experiment, from "in progress" to the final answer."""
    if result.status == "in_progress":
        logged = sum(1 for s in result.periods if s.counts)
        return [*result.messages, f"Periods with enough nights logged so far: {logged}."]
    spec = outcome_spec(plan.outcome)
    out: list[str] = []
    if result.status == "interim":
        out.append(
            f"Interim result after {result.complete_blocks} of {plan.blocks} planned blocks."
        )
    for comparison in result.comparisons:
        wording = Wording.for_outcome(
            spec, plan.mid, treatment=comparison.level, control=comparison.reference
        )
        out.extend(comparison_sentences(comparison, wording, len(comparison.pairs)))
    if result.carry_over is not None and result.carry_over.advice:
        out.append(result.carry_over.advice)
    if result.adherence is not None and result.adherence.not_followed:
        a = result.adherence
        out.append(
            f"{a.not_followed} of {a.assigned_nights} nights did not follow the plan; they are "
            "analysed as planned, which makes any difference look smaller."
        )
    return out
