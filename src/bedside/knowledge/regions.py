"""Which region codes a person may give: ISO 3166 countries and subdivisions, and localities.

A profile's region decides which legal record applies, so a mistyped code must not be stored
silently. A code is accepted when it is an ISO 3166-1 alpha-2 country or an ISO 3166-2
subdivision (from pycountry's copy of the ISO tables), or the id of a packaged legal record
(which includes localities such as ``US-FL-Sarasota-County``).
"""

from __future__ import annotations

from typing import Any

from bedside.domain.errors import BedsideError


class UnknownRegionCodeError(BedsideError, ValueError):
    """The code is neither an ISO 3166 country or subdivision nor a known locality."""


def canonical_region(code: str) -> str:
    """The stored form of ``code``, or :class:`UnknownRegionCodeError` saying what is wrong."""
    from bedside.knowledge.loader import load_knowledge  # only when a region is being set

    text = code.strip()
    record = load_knowledge().legal_record(text)
    if record is not None:
        return record.code
    upper = text.upper()
    if is_iso_3166(upper):
        return upper
    raise UnknownRegionCodeError(
        f"'{text}' is not an ISO 3166 country or subdivision code; write one such as "
        "US, US-TX, GB or DE-BY (see `bedside legal CODE` for the places Bedside knows)"
    )


def is_iso_3166(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision code (upper case)."""
    return _iso_entry(code) is not None


def iso_name(code: str) -> str | None:
    """The ISO name of a country or subdivision code (upper case), or None."""
    entry = _iso_entry(code)
    return None if entry is None else str(entry.name)


def _iso_entry(code: str) -> Any:
    import pycountry  # loaded only when a region is checked

    if "-" in code:
        return pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return pycountry.countries.get(alpha_2=code)
