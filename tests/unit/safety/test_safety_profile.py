"""Findings, interaction findings and the profile check."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bedside.knowledge import InteractionRecord, Severity, load_knowledge
from bedside.safety.findings import Finding, make_finding, provenance, sort_findings
from bedside.safety.interactions import interaction_findings
from bedside.safety.legal import UnknownRegionError
from bedside.safety.medications import match_medications
from bedside.safety.profile import check_profile
from bedside.services.safety_schemas import FindingOut, SafetyCheckOut

TODAY = date(2026, 11, 22)
FINDING_KEYS = {
    "id",
    "severity",
    "title",
    "summary",
    "action",
    "sources",
    "as_of",
    "as_of_precision",
    "checked_on",
    "dates",
    "stale",
    "uncertain",
}


def _finding(severity: Severity, finding_id: str = "x") -> Finding:
    return Finding(finding_id, severity, "t", "s", "a", ("https://example.org",), TODAY, TODAY)


def test_finding_json_keys_exactly() -> None:
    typed = FindingOut.model_validate(_finding(Severity.AVOID), from_attributes=True)
    data = typed.model_dump(mode="json")
    assert set(data) == FINDING_KEYS
    assert data["as_of"] == "2026-11-22"
    assert data["checked_on"] == "2026-11-22"
    assert data["dates"] == "as of 2026-11-22 · checked 2026-11-22"
    assert data["severity"] == "avoid"
    assert data["sources"] == ["https://example.org"]
    json.dumps(data)


def test_severity_order() -> None:
    assert Severity.AVOID > Severity.CAUTION > Severity.MONITOR > Severity.INFO
    assert sorted([Severity.INFO, Severity.AVOID, Severity.MONITOR, Severity.CAUTION]) == [
        Severity.INFO,
        Severity.MONITOR,
        Severity.CAUTION,
        Severity.AVOID,
    ]


def test_sort_findings_most_severe_first() -> None:
    findings = [
        _finding(Severity.INFO, "a"),
        _finding(Severity.AVOID, "b"),
        _finding(Severity.MONITOR, "c"),
    ]
    assert [f.id for f in sort_findings(findings)] == ["b", "c", "a"]


def test_make_finding_marks_stale_and_uncertain() -> None:
    kansas = load_knowledge().legal_record("US-KS")
    assert kansas is not None
    finding = make_finding(
        id="x",
        severity=Severity.CAUTION,
        title="t",
        summary="Base.",
        action="a",
        records=[kansas],
        today=date(2027, 6, 6),  # more than six months after Kansas was checked
    )
    assert finding.stale and finding.uncertain
    assert finding.summary.startswith("Base. Not verified: ")
    assert finding.summary.endswith("may be out of date — check before relying on it.")
    assert finding.as_of == kansas.as_of


def test_current_record_is_not_stale() -> None:
    record = load_knowledge().interaction("opioids")
    finding = make_finding(
        id="x",
        severity=Severity.AVOID,
        title="t",
        summary="s",
        action="a",
        records=[record],
        today=TODAY,
    )
    assert not finding.stale
    assert finding.summary == "s"


def test_provenance_needs_a_record() -> None:
    with pytest.raises(ValueError, match="at least one"):
        provenance([], TODAY)


AVOID_INPUTS = ["oxycodone", "Xanax", "beer", "gabapentin", "Seroquel", "7-OH"]
CAUTION_INPUTS = ["Ambien", "Benadryl", "Flexeril"]


@pytest.mark.parametrize("typed", AVOID_INPUTS)
def test_design_avoid_combinations(typed: str) -> None:
    findings = interaction_findings(match_medications([typed]), TODAY)
    assert max(f.severity for f in findings) is Severity.AVOID


@pytest.mark.parametrize("typed", CAUTION_INPUTS)
def test_design_other_sedatives_at_least_caution(typed: str) -> None:
    findings = interaction_findings(match_medications([typed]), TODAY)
    assert max(f.severity for f in findings) >= Severity.CAUTION


@pytest.mark.parametrize("record", load_knowledge().interactions, ids=lambda r: r.id)
def test_every_interaction_record_yields_its_finding(record: InteractionRecord) -> None:
    drug = next(d for d in load_knowledge().medications.drugs if record.id in d.classes)
    findings = {f.id: f for f in interaction_findings(match_medications([drug.generic]), TODAY)}
    finding = findings[f"interaction.{record.id}"]
    assert finding.severity is record.severity
    assert set(record.sources) <= set(finding.sources)
    assert finding.as_of == record.as_of


def test_one_finding_per_class_names_all_medicines() -> None:
    findings = interaction_findings(match_medications(["Xanax", "Klonopin"]), TODAY)
    benzo = next(f for f in findings if f.id == "interaction.benzodiazepines")
    assert "alprazolam (Xanax)" in benzo.title and "clonazepam (Klonopin)" in benzo.title


def test_condition_escalates_interaction() -> None:
    knowledge = load_knowledge()
    matches = match_medications(["citalopram"])
    plain = {f.id: f for f in interaction_findings(matches, TODAY)}
    raised = {
        f.id: f for f in interaction_findings(matches, TODAY, [knowledge.condition("heart-rhythm")])
    }
    assert plain["interaction.qt-prolonging"].severity is Severity.CAUTION
    assert raised["interaction.qt-prolonging"].severity is Severity.AVOID
    assert "Heart rhythm problem or long QT" in raised["interaction.qt-prolonging"].summary


def test_check_profile_full() -> None:
    result = check_profile(
        ["Xanax", "Neurontin 300mg", "ibuprofen", "xyzzy"],
        ["epilepsy", "diabetes"],
        "us-al",
        TODAY,
    )
    ids = [f.id for f in result.findings]
    assert ids[0] in {"interaction.benzodiazepines", "interaction.gabapentinoids", "legal.US-AL"}
    severities = [f.severity.rank for f in result.findings]
    assert severities == sorted(severities, reverse=True)
    assert result.unknown_medications == ("xyzzy",)
    assert result.unknown_conditions == ("diabetes",)
    assert {"medications.unrecognised", "medications.no-record", "conditions.unrecognised"} <= set(
        ids
    )
    assert "condition.seizures" in ids
    assert result.legal is not None and result.legal.status.value == "banned"
    assert result.legal_finding is not None and result.legal_finding.severity is Severity.AVOID
    assert [m.generic for m in result.medications] == [
        "alprazolam",
        "gabapentin",
        "ibuprofen",
        None,
    ]
    json.dumps(SafetyCheckOut.model_validate(result, from_attributes=True).model_dump(mode="json"))


def test_check_profile_without_region() -> None:
    result = check_profile(["Zoloft"], [], None, TODAY)
    assert result.legal is None and result.legal_finding is None
    assert [f.id for f in result.findings] == ["interaction.serotonergic"]


def test_check_profile_empty() -> None:
    result = check_profile([], [], None, TODAY)
    assert result.findings == ()


def test_check_profile_unknown_region() -> None:
    with pytest.raises(UnknownRegionError):
        check_profile([], [], "XX-YY", TODAY)


def test_every_finding_has_sources() -> None:
    result = check_profile(
        ["oxycodone", "Ambien", "grapefruit pills"], ["pregnant"], "US-KS", TODAY
    )
    for finding in result.findings:
        assert finding.sources and finding.as_of


def test_fuzzy_reading_is_shown_in_the_finding() -> None:
    findings = interaction_findings(match_medications(["alprazolm"]), TODAY)
    benzo = next(f for f in findings if f.id == "interaction.benzodiazepines")
    assert "alprazolam (Xanax) (read from 'alprazolm')" in benzo.summary
