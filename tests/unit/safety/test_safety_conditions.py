"""Condition matching and condition findings."""

from __future__ import annotations

from datetime import date

import pytest

from bedside.knowledge import ConditionRecord, Severity, load_knowledge
from bedside.safety.conditions import condition_finding, match_condition, match_conditions
from bedside.safety.matching import MatchKind

TODAY = date(2026, 11, 22)


def _synonyms() -> list[tuple[str, str]]:
    return [(s, r.id) for r in load_knowledge().conditions for s in r.synonyms]


@pytest.mark.parametrize("record", load_knowledge().conditions, ids=lambda r: r.id)
def test_title_and_id_match_exactly(record: ConditionRecord) -> None:
    for text in (record.title, record.id):
        match = match_condition(text)
        assert match.condition_id == record.id
        assert match.how is MatchKind.EXACT


@pytest.mark.parametrize(("synonym", "condition_id"), _synonyms())
def test_every_synonym(synonym: str, condition_id: str) -> None:
    match = match_condition(synonym)
    assert match.condition_id == condition_id
    assert match.known


@pytest.mark.parametrize(
    ("typed", "condition_id"),
    [
        ("Epilepsy", "seizures"),
        ("A-Fib", "heart-rhythm"),
        ("Long QT syndrome", "heart-rhythm"),
        ("I'm pregnant", "pregnancy-breastfeeding"),
        ("Breast-feeding", "pregnancy-breastfeeding"),
        ("history of seizures as a child", "seizures"),
        ("Hepatitis C", "liver-disease"),
        ("in recovery from alcohol", "substance-use-history"),
        ("methadone maintenance", "opioid-treatment"),
        ("high blood pressure", "heart-disease-hypertension"),
    ],
)
def test_phrasings(typed: str, condition_id: str) -> None:
    assert match_condition(typed).condition_id == condition_id


@pytest.mark.parametrize(
    ("typed", "condition_id"),
    [
        ("epilepsey", "seizures"),
        ("cirhosis", "liver-disease"),
        ("hypertenshun", "heart-disease-hypertension"),
        ("arrythmia", "heart-rhythm"),
        ("pregnent", "pregnancy-breastfeeding"),
    ],
)
def test_misspellings_are_fuzzy(typed: str, condition_id: str) -> None:
    match = match_condition(typed)
    assert match.how is MatchKind.FUZZY
    assert match.condition_id == condition_id
    assert match.confirmation is not None


@pytest.mark.parametrize("typed", ["no liver disease", "not pregnant", "never had seizures"])
def test_negations_are_not_matched(typed: str) -> None:
    assert match_condition(typed).how is MatchKind.UNKNOWN


@pytest.mark.parametrize("typed", ["diabetes", "depression", "fibromyalgia"])
def test_unknown_conditions(typed: str) -> None:
    match = match_condition(typed)
    assert not match.known
    assert match.condition_id is None


def test_unknown_condition_suggestions() -> None:
    assert "Liver disease" in match_condition("liver").suggestions


def test_match_conditions_skips_blanks() -> None:
    typed = ["", "epilepsy", "fibromyalgia"]
    assert [m.text for m in match_conditions(typed)] == ["epilepsy", "fibromyalgia"]


@pytest.mark.parametrize("record", load_knowledge().conditions, ids=lambda r: r.id)
def test_condition_finding(record: ConditionRecord) -> None:
    finding = condition_finding(record, ["what I typed"], TODAY)
    assert finding.id == f"condition.{record.id}"
    assert finding.sources
    assert "'what I typed'" in finding.summary
    assert not finding.stale


def test_pregnancy_is_avoid() -> None:
    assert load_knowledge().condition("pregnancy-breastfeeding").severity is Severity.AVOID
