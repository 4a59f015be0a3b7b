"""The typed results at the service boundary carry exactly the JSON contract of the rules.

``bedside check --json``, ``legal CODE --json``, ``signals --json`` and the JSON API print
these keys; the typed models must neither drop nor rename one, nor change a value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bedside.safety.legal import lookup_legal
from bedside.safety.profile import check_profile
from bedside.safety.signals import DoseEvent, SelfRating, compute_signals
from bedside.services.safety_schemas import (
    FindingOut,
    LegalStatusOut,
    MatchKind,
    SafetyCheckOut,
    SignalsOut,
)

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("medications", "conditions", "region"),
    [
        (
            ["alprazolm", "Neurontin 300mg", "benzos", "Allegra D", "zzzqqq"],
            ["COPD", "xyz"],
            "US-AL",
        ),
        ([], ["sleep apnoea"], "GB"),
        (["sertraline"], [], None),
    ],
)
def test_the_typed_check_is_the_contract(
    medications: list[str], conditions: list[str], region: str | None
) -> None:
    check = check_profile(medications, conditions, region, TODAY)
    typed = SafetyCheckOut.model_validate(check, from_attributes=True)
    assert typed.model_dump(mode="json") == check.to_dict()
    assert list(typed.model_dump(mode="json")) == list(check.to_dict())


def test_the_typed_check_tells_known_from_unknown_names() -> None:
    check = check_profile(["alprazolam", "zzzqqq"], ["xyz"], None, TODAY)
    typed = SafetyCheckOut.model_validate(check, from_attributes=True)
    assert [m.known for m in typed.medications] == [True, False]
    assert [c.known for c in typed.conditions] == [False]
    assert typed.medications[1].how is MatchKind.UNKNOWN


@pytest.mark.parametrize("code", ["US", "US-AL", "GB", "TH"])
def test_the_typed_legal_status_is_the_contract(code: str) -> None:
    status = lookup_legal(code, TODAY)
    typed = LegalStatusOut.model_validate(status, from_attributes=True)
    assert typed.model_dump(mode="json") == status.to_dict()
    assert typed.status == status.status


def test_the_typed_signals_are_the_contract() -> None:
    evening = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    doses = [DoseEvent(evening - timedelta(days=d), 2.0 + d % 5) for d in range(0, 80, 1)]
    doses += [DoseEvent(evening - timedelta(days=d, hours=-1), None) for d in range(0, 20, 3)]
    observed = {TODAY - timedelta(days=d) for d in range(120)}
    ratings = [SelfRating(TODAY - timedelta(days=i), "urge", 6) for i in range(9)]
    report = compute_signals(
        doses, observed, timezone="America/New_York", today=TODAY, ratings=ratings, weekly_cap=3
    )
    typed = SignalsOut.model_validate(report, from_attributes=True)
    assert report.findings, "the history should raise findings"
    assert report.longest_streak is not None
    assert typed.model_dump(mode="json") == report.to_dict()


def test_a_typed_finding_keeps_its_severity_and_dates() -> None:
    finding = check_profile(["oxycodone"], [], None, TODAY).findings[0]
    typed = FindingOut.model_validate(finding, from_attributes=True)
    assert typed.severity == "avoid"
    assert typed.dates == finding.dates
    assert typed.model_dump(mode="json") == finding.to_dict()
