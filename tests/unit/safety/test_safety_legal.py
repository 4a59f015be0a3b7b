"""Legal status lookup: codes, levels, most-restrictive rule, 7-OH, unknown codes."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest

from bedside.knowledge import LegalCategory, LegalRecord, Severity, load_knowledge
from bedside.safety.legal import (
    STATUS_RANK,
    UnknownRegionError,
    legal_finding,
    lookup_legal,
    most_restrictive,
    normalise_code,
)
from bedside.services.safety_schemas import FindingOut, LegalStatusOut

TODAY = date(2026, 11, 22)
CONTRACT_KEYS = {"code", "name", "status", "age_minimum", "as_of", "sources", "chain"}


def test_alabama_is_banned() -> None:
    result = lookup_legal("US-AL", TODAY)
    assert result.status is LegalCategory.BANNED
    assert result.name == "Alabama"
    assert [entry.code for entry in result.chain] == ["US-AL", "US"]


@pytest.mark.parametrize("code", ["US-AL", "us-al", " Us-Al ", "us_al", "US AL"])
def test_codes_are_case_and_separator_insensitive(code: str) -> None:
    assert lookup_legal(code, TODAY).code == "US-AL"


@pytest.mark.parametrize(
    ("code", "status", "chain"),
    [
        ("US", LegalCategory.LEGAL, ["US"]),
        ("GB", LegalCategory.RESTRICTED, ["GB"]),
        ("TH", LegalCategory.REGULATED, ["TH"]),
        ("AU", LegalCategory.BANNED, ["AU"]),
        ("US-TX", LegalCategory.REGULATED, ["US-TX", "US"]),
        ("US-WY", LegalCategory.LEGAL, ["US-WY", "US"]),
        ("US-FL-Sarasota-County", LegalCategory.BANNED, ["US-FL-Sarasota-County", "US-FL", "US"]),
        ("us-ca-san-diego", LegalCategory.BANNED, ["US-CA-San-Diego", "US-CA", "US"]),
        ("US-NY-Suffolk-County", LegalCategory.REGULATED, ["US-NY-Suffolk-County", "US-NY", "US"]),
    ],
)
def test_each_level(code: str, status: LegalCategory, chain: list[str]) -> None:
    result = lookup_legal(code, TODAY)
    assert result.status is status
    assert [entry.code for entry in result.chain] == chain


@pytest.mark.parametrize(
    ("locality", "state_status"),
    [
        ("US-IL-Jerseyville", LegalCategory.REGULATED),
        ("US-IL-Alton", LegalCategory.REGULATED),
        ("US-MS-Alcorn-County", LegalCategory.REGULATED),
        ("US-FL-Sarasota-County", LegalCategory.REGULATED),
        ("US-NH-Franklin", LegalCategory.LEGAL),
        ("US-MO-Kansas-City", LegalCategory.LEGAL),
    ],
)
def test_locality_stricter_than_state(locality: str, state_status: LegalCategory) -> None:
    result = lookup_legal(locality, TODAY)
    assert result.chain[1].status is state_status
    assert STATUS_RANK[result.status] > STATUS_RANK[state_status]
    assert result.decided_by == result.code
    assert result.as_of == result.chain[0].as_of


def test_regulated_locality_in_regulated_state_reports_locality() -> None:
    result = lookup_legal("US-NY-Suffolk-County", TODAY)
    assert result.decided_by == "US-NY-Suffolk-County"
    assert result.age_minimum == 21


def test_state_ban_wins_over_federal_legal() -> None:
    result = lookup_legal("US-WI", TODAY)
    assert result.status is LegalCategory.BANNED
    assert result.decided_by == "US-WI"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("US-KS", LegalCategory.UNCLEAR),
        ("US-DC", LegalCategory.UNCLEAR),
        ("US-CO-Denver", LegalCategory.UNCLEAR),
        ("NZ", LegalCategory.UNCLEAR),
    ],
)
def test_unclear_outranks_known_non_bans(code: str, expected: LegalCategory) -> None:
    result = lookup_legal(code, TODAY)
    assert result.status is expected
    assert result.uncertain


def test_most_restrictive_order() -> None:
    order = [
        LegalCategory.LEGAL,
        LegalCategory.REGULATED,
        LegalCategory.RESTRICTED,
        LegalCategory.UNCLEAR,
        LegalCategory.BANNED,
    ]
    for weaker, stronger in itertools.pairwise(order):
        assert most_restrictive([weaker, stronger]) is stronger
        assert most_restrictive([stronger, weaker]) is stronger
    assert most_restrictive([LegalCategory.PRESCRIPTION_ONLY, LegalCategory.RESTRICTED]) is (
        LegalCategory.PRESCRIPTION_ONLY
    )
    assert most_restrictive([LegalCategory.BANNED, LegalCategory.UNCLEAR]) is LegalCategory.BANNED
    with pytest.raises(ValueError):
        most_restrictive([])


@pytest.mark.parametrize(
    ("code", "leaf", "seven_oh"),
    [
        ("US-FL", LegalCategory.REGULATED, LegalCategory.BANNED),
        ("US-MO-Kansas-City", LegalCategory.RESTRICTED, LegalCategory.BANNED),
        ("US-TX", LegalCategory.REGULATED, LegalCategory.RESTRICTED),
        ("US-KY", LegalCategory.REGULATED, LegalCategory.UNCLEAR),
        ("US", LegalCategory.LEGAL, LegalCategory.RESTRICTED),
        ("US-AL", LegalCategory.BANNED, LegalCategory.BANNED),
        ("GB", LegalCategory.RESTRICTED, LegalCategory.RESTRICTED),
    ],
)
def test_seven_oh_status_separate(code: str, leaf: LegalCategory, seven_oh: LegalCategory) -> None:
    result = lookup_legal(code, TODAY)
    assert (result.status, result.seven_oh_status) == (leaf, seven_oh)


def test_age_minimum_is_strictest_on_chain() -> None:
    assert lookup_legal("US-FL-Sarasota-County", TODAY).age_minimum == 21
    assert lookup_legal("US-AZ", TODAY).age_minimum == 18
    assert lookup_legal("US-AK", TODAY).age_minimum is None


def test_json_contract() -> None:
    typed = LegalStatusOut.model_validate(lookup_legal("us-al", TODAY), from_attributes=True)
    data = typed.model_dump(mode="json")
    assert set(data) >= CONTRACT_KEYS
    assert data["code"] == "US-AL"
    assert data["status"] == "banned"
    assert data["as_of"] == "2016-05-10"
    assert data["checked_on"] == "2026-12-05"
    assert data["dates"] == "law dated 2016-05-10 · checked 2026-12-05"
    assert isinstance(data["sources"], list) and data["sources"]
    chain = data["chain"]
    assert isinstance(chain, list)
    assert [entry["code"] for entry in chain] == ["US-AL", "US"]
    json.dumps(data)


def test_staleness_depends_on_today_and_the_check_date() -> None:
    # Connecticut's law is dated 2026-02-24 and was checked on 2026-12-05.
    assert lookup_legal("US-CT", date(2027, 6, 5)).chain[0].stale is False
    assert lookup_legal("US-CT", date(2027, 6, 6)).chain[0].stale is True
    assert lookup_legal("US-CT", date(2027, 6, 6)).stale


def test_an_old_law_checked_recently_is_not_stale() -> None:
    result = lookup_legal("AU", date(2026, 12, 5))
    assert (result.as_of, result.as_of_precision) == (date(2004, 1, 1), "year")
    assert result.checked_on == date(2026, 12, 5)
    assert result.stale is False
    assert result.dates == "law dated 2004 · checked 2026-12-05"
    finding = legal_finding(result, date(2026, 12, 5))
    assert finding.stale is False
    assert "may be out of date" not in finding.summary
    typed = FindingOut.model_validate(finding, from_attributes=True)
    assert typed.model_dump(mode="json")["dates"] == "law dated 2004 · checked 2026-12-05"


@pytest.mark.parametrize(
    ("code", "suggestion"),
    [
        ("US-FL-Miami", "US-FL (Florida)"),
        ("Alabama", "US-AL (Alabama)"),
        ("DE-XX", "DE (Germany)"),
        ("US-ALL", "US-AL (Alabama)"),
        ("Floride", "US-FL (Florida)"),
    ],
)
def test_unknown_code_suggests(code: str, suggestion: str) -> None:
    with pytest.raises(UnknownRegionError) as caught:
        lookup_legal(code, TODAY)
    assert suggestion in caught.value.suggestions
    assert suggestion in str(caught.value)
    assert "US-AL" in str(caught.value)  # the message shows the accepted formats


def test_unknown_code_without_suggestions() -> None:
    with pytest.raises(UnknownRegionError, match="No legal record for 'QQ'") as caught:
        lookup_legal("QQ", TODAY)
    assert caught.value.code == "QQ"
    assert isinstance(caught.value, LookupError)


def test_normalise_code() -> None:
    assert normalise_code("  us_fl  sarasota-county ") == "us-fl-sarasota-county"


@pytest.mark.parametrize("record", load_knowledge().legal, ids=lambda r: r.code)
def test_every_record_resolves(record: LegalRecord) -> None:
    code = record.code
    result = lookup_legal(code.lower(), TODAY)
    assert result.code == code
    assert result.chain[-1].level == "country"
    assert STATUS_RANK[result.status] == max(STATUS_RANK[e.status] for e in result.chain)
    assert result.sources
    finding = legal_finding(result, TODAY)
    assert finding.id == f"legal.{code}"
    assert set(result.sources) == set(finding.sources)


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("US-AL", Severity.AVOID),
        ("US-KS", Severity.CAUTION),
        ("GB", Severity.CAUTION),
        ("US-TX", Severity.INFO),
        ("US-WY", Severity.INFO),
    ],
)
def test_legal_finding_severity(code: str, severity: Severity) -> None:
    finding = legal_finding(lookup_legal(code, TODAY), TODAY)
    assert finding.severity is severity


def test_legal_finding_text() -> None:
    later = date(2027, 6, 1)  # more than six months after the records were checked
    finding = legal_finding(lookup_legal("US-FL-Sarasota-County", later), later)
    assert finding.summary.startswith("Kratom is banned here.")
    assert "Minimum age to buy: 21." in finding.summary
    assert "Sarasota County, Florida: banned; Florida: regulated" in finding.summary
    assert "may be out of date" in finding.summary


def test_a_subdivision_without_its_own_record_gets_its_country_rules() -> None:
    result = lookup_legal("de-by", TODAY)
    germany = lookup_legal("DE", TODAY)
    assert (result.code, result.name) == ("DE-BY", "Bayern")
    assert result.status is germany.status and result.sources == germany.sources
    assert result.notes.startswith("Bedside has no record for Bayern itself; the rules of")
    assert [entry.code for entry in result.chain] == ["DE"]


def test_a_made_up_subdivision_is_still_unknown() -> None:
    with pytest.raises(UnknownRegionError):
        lookup_legal("US-XX", TODAY)
