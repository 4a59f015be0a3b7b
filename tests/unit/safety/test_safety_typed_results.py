"""The typed results at the service boundary carry exactly the JSON contract of the rules.

``bedside check --json``, ``legal CODE --json``, ``signals --json`` and the JSON API print
these keys, in this order; the typed models must neither drop nor rename one, nor change a
value. (The keys were the ones the rules' hand-written ``to_dict`` printed, which the typed
models replaced.)
"""

from __future__ import annotations

import dataclasses
import json
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
FINDING_KEYS = [
    "id", "severity", "title", "summary", "action", "sources", "as_of", "as_of_precision",
    "checked_on", "dates", "stale", "uncertain",
]  # fmt: skip
CHECK_KEYS = [
    "findings", "medications", "conditions", "unknown_medications", "unknown_conditions",
    "legal", "legal_finding",
]  # fmt: skip
MEDICATION_KEYS = [
    "text", "how", "generic", "brand", "display_name", "classes", "class_labels",
    "matched_name", "score", "partial", "confirmation", "suggestions", "note", "sources",
]  # fmt: skip
CONDITION_KEYS = [
    "text", "how", "condition_id", "title", "matched_name", "score", "confirmation",
    "suggestions",
]  # fmt: skip
LEGAL_KEYS = [
    "code", "name", "status", "age_minimum", "as_of", "as_of_precision", "checked_on", "dates",
    "sources", "chain", "seven_oh_status", "decided_by", "notes", "stale", "uncertain",
]  # fmt: skip
CHAIN_KEYS = [
    "code", "name", "level", "status", "seven_oh_status", "age_minimum", "summary", "as_of",
    "as_of_precision", "checked_on", "dates", "stale", "uncertain", "uncertainty_note",
    "sources",
]  # fmt: skip
SIGNALS_KEYS = [
    "today", "timezone", "weekly_cap", "first_logged_day", "windows", "longest_streak",
    "current_streak", "dose_creep", "doses_per_day", "timing", "ratings", "findings",
]  # fmt: skip


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
    data = SafetyCheckOut.model_validate(check, from_attributes=True).model_dump(mode="json")
    assert list(data) == CHECK_KEYS
    assert [list(f) for f in data["findings"]] == [FINDING_KEYS] * len(check.findings)
    assert [list(m) for m in data["medications"]] == [MEDICATION_KEYS] * len(medications)
    assert [list(c) for c in data["conditions"]] == [CONDITION_KEYS] * len(conditions)
    assert [f["id"] for f in data["findings"]] == [f.id for f in check.findings]
    assert [f["severity"] for f in data["findings"]] == [f.severity.value for f in check.findings]
    assert [m["how"] for m in data["medications"]] == [m.how.value for m in check.medications]
    assert [m["sources"] for m in data["medications"]] == [
        list(m.sources) for m in check.medications
    ]
    assert data["unknown_medications"] == list(check.unknown_medications)
    if region is None:
        assert data["legal"] is None and data["legal_finding"] is None
    else:
        assert list(data["legal"]) == LEGAL_KEYS
        assert list(data["legal_finding"]) == FINDING_KEYS
    json.dumps(data)


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
    data = typed.model_dump(mode="json")
    assert list(data) == LEGAL_KEYS
    assert [list(entry) for entry in data["chain"]] == [CHAIN_KEYS] * len(status.chain)
    assert typed.status == status.status
    assert data["status"] == status.status.value
    assert data["as_of"] == status.as_of.isoformat()
    assert data["dates"] == status.dates
    assert data["sources"] == list(status.sources)
    assert [entry["code"] for entry in data["chain"]] == [entry.code for entry in status.chain]


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
    data = typed.model_dump(mode="json")
    assert list(data) == SIGNALS_KEYS
    assert data["today"] == "2026-12-01" and data["weekly_cap"] == 3
    assert list(data["longest_streak"]) == ["start", "end", "days", "may_be_longer"]
    assert data["longest_streak"]["days"] == report.longest_streak.days
    assert [w["days_per_week"] for w in data["windows"]] == [
        w.days_per_week for w in report.windows
    ]
    assert data["dose_creep"] == dataclasses.asdict(report.dose_creep)
    assert data["timing"] == dataclasses.asdict(report.timing)
    assert [r["mean_last_7"] for r in data["ratings"]] == [r.mean_last_7 for r in report.ratings]
    assert [f["id"] for f in data["findings"]] == [f.id for f in report.findings]


def test_a_typed_finding_keeps_its_severity_and_dates() -> None:
    finding = check_profile(["oxycodone"], [], None, TODAY).findings[0]
    typed = FindingOut.model_validate(finding, from_attributes=True)
    assert typed.severity == "avoid"
    assert typed.dates == finding.dates
    data = typed.model_dump(mode="json")
    assert list(data) == FINDING_KEYS
    assert data["sources"] == list(finding.sources)
    assert data["as_of"] == finding.as_of.isoformat()
