"""The Experiments page in one call: plan, analysis, its figures, tonight and the charts.

One night frame per request is shared by the schedule, the analysis and the charts (it is
the costliest step on a long history). Before three complete pairs the figures carry no
number at all ("Experiment in progress"); afterwards the period-level estimate comes first,
then the chances in words.
"""

from __future__ import annotations

import pandas as pd

from bedside.analysis.summary import percent, verbal_band
from bedside.services.cache import remembered
from bedside.services.charts import experiment_charts
from bedside.services.charts_schemas import ChartOut
from bedside.services.experiments.analysis import (
    analyze_experiment,
    experiment_frame,
    show_experiment,
)
from bedside.services.experiments.assignment import assignment
from bedside.services.experiments.plan import get_experiment
from bedside.services.experiments.schemas import (
    AnalysisFigures,
    ChanceOut,
    ComparisonView,
    ExperimentAnalysisOut,
    ExperimentOut,
    ExperimentPageOut,
    LevelComparisonOut,
)
from bedside.services.scope import Scope

__all__ = ["analysis_figures", "experiment_analysis", "experiment_page"]

PRIORS = (("sceptical", "Sceptical prior"), ("flat", "Flat prior (comparison)"))


def experiment_analysis(scope: Scope, experiment_id: int | None = None) -> ExperimentAnalysisOut:
    """:func:`analyze_experiment` as a typed result (what the JSON API returns), computed
    once per change of the person's data (:mod:`bedside.services.cache`)."""
    return remembered(
        scope,
        "experiment_analysis",
        {"experiment": experiment_id},
        ExperimentAnalysisOut,
        lambda: analyze_experiment(scope, experiment_id),
    )


def experiment_page(scope: Scope, experiment_id: int | None = None) -> ExperimentPageOut:
    """Everything the page shows for one experiment (the latest when no id is given).

    A missing experiment raises :class:`~bedside.services.experiments.plan.NoExperimentError`
    (no experiment yet) or a not-found error for another person's id. Computed once per
    change of the person's data and night (:mod:`bedside.services.cache`): a request that
    draws a due block or moves the status on is answered freshly and stores nothing.
    """
    return remembered(
        scope,
        "experiment_page",
        {"experiment": experiment_id},
        ExperimentPageOut,
        lambda: _experiment_page(scope, experiment_id),
    )


def _experiment_page(scope: Scope, experiment_id: int | None) -> ExperimentPageOut:
    frame = experiment_frame(scope, get_experiment(scope, experiment_id))
    exp = show_experiment(scope, experiment_id, frame=frame)
    analysis = analyze_experiment(scope, exp.id, frame=frame)
    figures = analysis_figures(analysis)
    tonight = scope.tonight()
    active = exp.status in ("planned", "running")
    return ExperimentPageOut(
        experiment=exp,
        analysis=analysis,
        figures=figures,
        tonight=tonight,
        assignment=assignment(scope, get_experiment(scope, exp.id)) if active else None,
        active=active,
        charts=[] if figures.in_progress else _charts(scope, exp, analysis, frame),
    )


def _charts(
    scope: Scope, exp: ExperimentOut, analysis: ExperimentAnalysisOut, frame: pd.DataFrame
) -> list[ChartOut]:
    """Charts from the request's night frame (indexed by night, reaching ``last``)."""
    last = min(scope.tonight(), exp.end)
    schedule = [n.model_dump(mode="json") for n in exp.schedule if n.night <= last]
    periods = [p.model_dump(mode="json") for p in analysis.result.periods]
    return experiment_charts(frame, schedule, periods, exp.outcome, exp.outcome_label)


def analysis_figures(analysis: ExperimentAnalysisOut) -> AnalysisFigures:
    """The numbers of each comparison, or only ``in_progress`` before 3 complete pairs."""
    if analysis.status == "in_progress":
        return AnalysisFigures(in_progress=True)
    result = analysis.result
    return AnalysisFigures(
        in_progress=False,
        comparisons=[_comparison(c) for c in result.comparisons],
        carry_over=result.carry_over,
        messages=result.messages,
        complete_blocks=result.complete_blocks,
        planned_blocks=result.planned_blocks,
    )


def _comparison(c: LevelComparisonOut) -> ComparisonView:
    bayes = c.bayes
    priors = {"sceptical": bayes.sceptical, "flat": bayes.flat} if bayes is not None else {}
    chances = [
        ChanceOut(
            name=name,
            any=percent(any_benefit),
            over_mid=percent(over_mid),
            band=verbal_band(over_mid),
        )
        for key, name in PRIORS
        if (prior := priors.get(key)) is not None
        and (any_benefit := prior.p_benefit) is not None
        and (over_mid := prior.p_benefit_over_mid) is not None
    ]
    nap = c.nonoverlap.nap
    return ComparisonView(
        level=c.level,
        reference=c.reference,
        paired=c.paired,
        randomisation=c.randomisation,
        chances=chances,
        prior_sensitive=bayes.prior_sensitive if bayes is not None else None,
        nap=None if nap is None else percent(float(nap)),
        night_model=c.night_model,
        night_model_note=c.night_model_note,
    )
