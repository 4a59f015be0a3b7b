"""Region codes a profile accepts: ISO 3166 countries, subdivisions and known localities."""

from __future__ import annotations

import pytest

from bedside.knowledge.regions import UnknownRegionCodeError, canonical_region, iso_name


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("us", "US"),
        ("US-TX", "US-TX"),
        (" gb-eng ", "GB-ENG"),
        ("DE-BY", "DE-BY"),
        ("us-fl-sarasota-county", "US-FL-Sarasota-County"),
    ],
)
def test_real_codes_are_stored_in_their_canonical_form(given: str, stored: str) -> None:
    assert canonical_region(given) == stored


@pytest.mark.parametrize("given", ["ZZ", "XX", "US-XX", "Texas", "GB-ZZZ", "US-FL-Miami"])
def test_codes_that_are_not_iso_3166_are_refused_with_examples(given: str) -> None:
    with pytest.raises(UnknownRegionCodeError, match="is not an ISO 3166 country"):
        canonical_region(given)


def test_iso_names() -> None:
    assert iso_name("US-TX") == "Texas"
    assert iso_name("DE") == "Germany"
    assert iso_name("ZZ") is None
