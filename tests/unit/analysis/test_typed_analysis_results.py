"""The typed insights and experiment results mirror the analysis dataclasses field for field.

The JSON API and ``--json`` print these models; each must carry every field of the frozen
dataclass it is filled from, in the same order and nothing else, so no number is dropped or
renamed on the way out (and the OpenAPI schema documents each one).
"""

from __future__ import annotations

import dataclasses
import json
import typing
from datetime import date
from types import UnionType

import numpy as np
from pydantic import BaseModel

from bedside.analysis.design import ExperimentPlan, build_schedule
from bedside.analysis.experiment import ExperimentResult, analyse_experiment
from bedside.analysis.insights import Insights, observational_insights
from bedside.analysis.jsonable import to_jsonable
from bedside.services.experiments.schemas import ExperimentAnalysisOut, ExperimentResultOut
from bedside.services.insights_schemas import InsightsOut, InsightsResultOut
from tests.unit.analysis.test_analysis_observational import SECONDARY, night_frame


def _nested(hint: object) -> list[type]:
    """The dataclasses a field's type hint holds (``X``, ``X | None``, ``tuple[X, ...]``)."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return [hint]
    return [t for arg in typing.get_args(hint) for t in _nested(arg)]


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in (UnionType, typing.Union, list, tuple):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    return []


def _pairs(source: type, model: type[BaseModel]) -> list[tuple[type, type[BaseModel]]]:
    """``(dataclass, model)`` for ``source`` and every dataclass reachable from it."""
    hints = typing.get_type_hints(source)
    out = [(source, model)]
    for f in dataclasses.fields(source):
        inner = _nested(hints[f.name])
        models = _models(model.model_fields[f.name].annotation)
        assert [d.__name__ + "Out" for d in inner] == [
            m.__name__.replace("InsightsResultOut", "InsightsOut") for m in models
        ], f"{source.__name__}.{f.name}"
        for d, m in zip(inner, models, strict=True):
            out += _pairs(d, m)
    return out


def test_every_analysis_field_has_its_typed_field_in_order() -> None:
    pairs = _pairs(Insights, InsightsResultOut) + _pairs(ExperimentResult, ExperimentResultOut)
    assert len({m for _, m in pairs}) == 23
    for source, model in pairs:
        fields = [f.name for f in dataclasses.fields(source)]
        assert list(model.model_fields) == fields, source.__name__
        assert model.model_config.get("extra") == "forbid", model.__name__


def test_the_service_results_hold_the_typed_analysis() -> None:
    assert InsightsOut.model_fields["result"].annotation == InsightsResultOut | None
    assert ExperimentAnalysisOut.model_fields["result"].annotation is ExperimentResultOut


def test_the_typed_insights_carry_exactly_the_analysis_numbers() -> None:
    frame = night_frame(500, seed=6)
    took = frame["took"] == True  # noqa: E712
    frame.loc[took & (np.arange(len(frame)) % 2 == 0), "quality"] = np.nan  # selective logging
    result = observational_insights(frame, "quality", SECONDARY)
    assert result.primary.pattern_mixture is not None and result.secondary.entries
    plain = to_jsonable(result)
    typed = InsightsResultOut.model_validate(plain)
    assert json.loads(typed.model_dump_json()) == plain
    assert typed.primary.adjusted is not None and result.primary.adjusted is not None
    assert typed.primary.adjusted.estimate == result.primary.adjusted.estimate


def test_the_typed_experiment_carries_exactly_the_analysis_numbers() -> None:
    plan = ExperimentPlan(
        question="Does kratom help my sleep?", outcome="quality", mid=0.5,
        start=date(2024, 1, 1), seed=2024, blocks=4, nights_per_period=6, washout_nights=1,
        levels=("none", "low", "usual"), reference="none",
    )  # fmt: skip
    nights = build_schedule(plan)
    rng = np.random.default_rng(3)
    effects = {"low": 0.3, "usual": 1.2}
    outcomes: dict[date, float | None] = {
        n.night: 3.0 + effects.get(n.condition, 0.0) + rng.normal(0, 0.5)
        for n in nights
        if n.condition is not None
    }
    result = analyse_experiment(plan, nights, outcomes)
    assert result.status == "complete" and result.carry_over is not None
    plain = to_jsonable(result)
    typed = ExperimentResultOut.model_validate(plain)
    assert json.loads(typed.model_dump_json()) == plain
    assert typed.comparisons[1].paired.estimate == result.comparisons[1].paired.estimate
