"""Legal status lookup by ISO 3166-1/3166-2 code or locality id, most restrictive wins.

``lookup_legal("us-al", today)`` walks from the record for the code up through its parents
(city or county -> state -> country) and reports the most restrictive status on that chain.
Restrictiveness: ``legal`` < ``regulated`` < ``restricted`` = ``prescription-only`` <
``unclear`` < ``banned``. ``unclear`` ranks just below ``banned`` because an unclear record
may hide a ban: it outranks every known status except a ban. Concentrated 7-OH products get
their own status where the data distinguishes them; otherwise the leaf status applies to them
too. Ties go to the most specific record, so a locality's own rule is the one reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bedside.domain.errors import BedsideError
from bedside.knowledge import LegalCategory, LegalRecord, Severity, is_stale, load_knowledge
from bedside.knowledge.regions import is_iso_3166, iso_name
from bedside.safety.findings import Finding, dates_text, make_finding
from bedside.safety.matching import clean, ranked_hits

__all__ = [
    "STATUS_RANK",
    "LegalChainEntry",
    "LegalStatus",
    "UnknownRegionError",
    "legal_finding",
    "lookup_legal",
    "most_restrictive",
    "normalise_code",
]

STATUS_RANK: dict[LegalCategory, int] = {
    LegalCategory.LEGAL: 0,
    LegalCategory.REGULATED: 1,
    LegalCategory.RESTRICTED: 2,
    LegalCategory.PRESCRIPTION_ONLY: 2,
    LegalCategory.UNCLEAR: 3,
    LegalCategory.BANNED: 4,
}
_SEPARATORS = re.compile(r"[\s_\-]+")


class UnknownRegionError(BedsideError, LookupError):
    """No legal record exists for the code; the message says what to try instead."""

    def __init__(self, code: str, suggestions: tuple[str, ...] = ()) -> None:
        self.code = code
        self.suggestions = suggestions
        message = (
            f"No legal record for '{code}'. Use a country code such as US or GB, a US state "
            "code such as US-AL, or a locality id such as US-FL-Sarasota-County."
        )
        if suggestions:
            message += f" Did you mean: {', '.join(suggestions)}?"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class LegalChainEntry:
    """One record considered in a lookup, from the locality up to the country."""

    code: str
    name: str
    level: str
    status: LegalCategory
    seven_oh_status: LegalCategory | None
    age_minimum: int | None
    summary: str
    as_of: date
    as_of_precision: str
    checked_on: date
    stale: bool
    uncertain: bool
    uncertainty_note: str | None
    sources: tuple[str, ...]

    @property
    def dates(self) -> str:
        """Both dates in words: "law dated 2016-05-10 · checked 2026-12-05"."""
        return dates_text(self.as_of, self.as_of_precision, self.checked_on, law=True)


@dataclass(frozen=True)
class LegalStatus:
    """The answer to a legal lookup.

    ``status`` and ``seven_oh_status`` are the most restrictive on the chain; ``decided_by``
    is the code of the record that set ``status``; ``as_of`` is the date of the law that record
    reflects (to ``as_of_precision``) and ``checked_on`` the day it was last verified.
    ``sources`` merges the chain's sources, deciding record first. ``stale`` (judged on
    ``checked_on``) and ``uncertain`` are true when any record on the chain is.
    """

    code: str
    name: str
    status: LegalCategory
    seven_oh_status: LegalCategory
    age_minimum: int | None
    as_of: date
    as_of_precision: str
    checked_on: date
    sources: tuple[str, ...]
    chain: tuple[LegalChainEntry, ...]
    decided_by: str
    stale: bool
    uncertain: bool
    notes: str

    @property
    def dates(self) -> str:
        """The deciding record's dates in words: "law dated 2004 · checked 2026-12-05"."""
        return dates_text(self.as_of, self.as_of_precision, self.checked_on, law=True)


def normalise_code(code: str) -> str:
    """Canonical lookup key: trimmed, lower-case, spaces/underscores/hyphens folded to '-'."""
    return _SEPARATORS.sub("-", code.strip()).strip("-").lower()


def most_restrictive(statuses: list[LegalCategory]) -> LegalCategory:
    """The most restrictive status; on ties the first one (the most specific record) wins."""
    if not statuses:
        raise ValueError("no statuses to compare")
    return max(statuses, key=lambda s: STATUS_RANK[s])


def _seven_oh(record: LegalRecord) -> LegalCategory:
    if record.seven_oh_status is None:
        return record.status
    return most_restrictive([record.seven_oh_status, record.status])


def _chain(record: LegalRecord) -> list[LegalRecord]:
    knowledge = load_knowledge()
    chain = [record]
    while chain[-1].parent is not None:
        parent = knowledge.legal_record(chain[-1].parent)
        if parent is None:  # prevented by Knowledge validation
            break
        chain.append(parent)
    return chain


def _entry(record: LegalRecord, today: date) -> LegalChainEntry:
    return LegalChainEntry(
        code=record.code,
        name=record.name,
        level=record.level,
        status=record.status,
        seven_oh_status=record.seven_oh_status,
        age_minimum=record.age_minimum,
        summary=record.summary,
        as_of=record.as_of,
        as_of_precision=record.as_of_precision,
        checked_on=record.checked_on,
        stale=is_stale(record.checked_on, today),
        uncertain=record.uncertain,
        uncertainty_note=record.uncertainty_note,
        sources=record.sources,
    )


def _suggest(key: str) -> tuple[str, ...]:
    knowledge = load_knowledge()
    labels = {r.code: f"{r.code} ({r.name})" for r in knowledge.legal}
    prefix = [r for r in knowledge.legal if key.startswith(r.code.lower() + "-")]
    specific = [r.code for r in sorted(prefix, key=lambda r: -len(r.code)) if r.parent]
    countries = [r.code for r in prefix if r.parent is None]
    names = {r.code.lower(): r.code for r in knowledge.legal}
    names.update({clean(r.name): r.code for r in knowledge.legal})
    close = [hit.target for hit in ranked_hits(key.replace("-", " "), names, 0.75)]
    close += [hit.target for hit in ranked_hits(key, names, 0.75)]
    ordered = dict.fromkeys([*specific, *close, *countries])
    return tuple(labels[code] for code in ordered)[:5]


def lookup_legal(code: str, today: date) -> LegalStatus:
    """Legal status for an ISO 3166-1/3166-2 code or locality id (case-insensitive).

    Raises :class:`UnknownRegionError` (with close matches) when there is no such record.
    """
    key = normalise_code(code)
    record = load_knowledge().legal_record(key)
    if record is None:
        return _lookup_via_parent(code, key, today)
    return _status(record, today)


def _lookup_via_parent(code: str, key: str, today: date) -> LegalStatus:
    """A real ISO 3166-2 subdivision with no record of its own: the nearest parent's rules.

    ``DE-BY`` (Bavaria) has no record, but Germany's law applies there, so the answer is
    Germany's, said as such. Codes that are not ISO 3166 stay an error with suggestions.
    """
    asked = code.strip().upper()
    parent = None
    if is_iso_3166(asked):
        parts = key.split("-")
        while parent is None and len(parts) > 1:
            parts.pop()
            parent = load_knowledge().legal_record("-".join(parts))
    if parent is None:
        raise UnknownRegionError(code.strip(), _suggest(key))
    status = _status(parent, today)
    name = iso_name(asked) or asked
    return replace(
        status,
        code=asked,
        name=name,
        notes=f"Bedside has no record for {name} itself; the rules of {parent.name} apply. "
        f"{status.notes}",
    )


def _status(record: LegalRecord, today: date) -> LegalStatus:
    chain = _chain(record)
    status = most_restrictive([r.status for r in chain])
    deciding = next(r for r in chain if r.status == status)
    ages = [r.age_minimum for r in chain if r.age_minimum is not None]
    sources = [deciding, *(r for r in chain if r is not deciding)]
    notes = deciding.summary
    if deciding is not record:
        notes = f"The strictest rule on record comes from {deciding.name}: {notes}"
    return LegalStatus(
        code=record.code,
        name=record.name,
        status=status,
        seven_oh_status=most_restrictive([_seven_oh(r) for r in chain]),
        age_minimum=max(ages) if ages else None,
        as_of=deciding.as_of,
        as_of_precision=deciding.as_of_precision,
        checked_on=deciding.checked_on,
        sources=tuple(dict.fromkeys(url for r in sources for url in r.sources)),
        chain=tuple(_entry(r, today) for r in chain),
        decided_by=deciding.code,
        stale=any(is_stale(r.checked_on, today) for r in chain),
        uncertain=any(r.uncertain for r in chain),
        notes=notes,
    )


_SEVERITY = {
    LegalCategory.BANNED: Severity.AVOID,
    LegalCategory.UNCLEAR: Severity.CAUTION,
    LegalCategory.RESTRICTED: Severity.CAUTION,
    LegalCategory.PRESCRIPTION_ONLY: Severity.CAUTION,
    LegalCategory.REGULATED: Severity.INFO,
    LegalCategory.LEGAL: Severity.INFO,
}
_HEADLINE = {
    LegalCategory.BANNED: "Kratom is banned here.",
    LegalCategory.UNCLEAR: "Kratom's legal status here is unclear.",
    LegalCategory.RESTRICTED: "Kratom is partly restricted here.",
    LegalCategory.PRESCRIPTION_ONLY: "Kratom is available only on prescription here.",
    LegalCategory.REGULATED: "Kratom is legal here, with rules on sale.",
    LegalCategory.LEGAL: "No law specific to kratom was found here.",
}
_ACTION = {
    LegalCategory.BANNED: "Buying, carrying or possessing kratom here can be an offence. Check "
    "the current law before you buy, carry or travel with it.",
    LegalCategory.UNCLEAR: "The rules here are disputed or changing. Check the current law "
    "before you buy or carry kratom.",
    LegalCategory.RESTRICTED: "Some sales or products are not allowed here. Check which before "
    "you buy or carry kratom.",
    LegalCategory.PRESCRIPTION_ONLY: "Kratom can only be obtained lawfully with a prescription "
    "here. Check the current law before you buy or carry it.",
    LegalCategory.REGULATED: "Buy only from sellers who follow the local rules (age limits, "
    "labelling, 7-OH limits). Laws are changing quickly; re-check from time to time.",
    LegalCategory.LEGAL: "Laws about kratom are changing quickly; re-check from time to time, "
    "and note that local rules can be stricter.",
}


def legal_finding(status: LegalStatus, today: date) -> Finding:
    """A finding summarising a legal lookup, with every chain record as provenance."""
    knowledge = load_knowledge()
    records = [knowledge.legal_record(entry.code) for entry in status.chain]
    parts = [_HEADLINE[status.status], status.notes]
    if status.seven_oh_status != status.status:
        parts.append(f"Concentrated 7-OH products: {status.seven_oh_status.value}.")
    if status.age_minimum is not None:
        parts.append(f"Minimum age to buy: {status.age_minimum}.")
    if len(status.chain) > 1:
        checked = "; ".join(f"{e.name}: {e.status.value}" for e in status.chain)
        parts.append(f"Records checked: {checked}.")
    deciding = knowledge.legal_record(status.decided_by)
    finding = make_finding(
        id=f"legal.{status.code}",
        severity=_SEVERITY[status.status],
        title=f"Kratom in {status.name}: {status.status.value}",
        summary=" ".join(parts),
        action=_ACTION[status.status],
        records=[r for r in records if r is not None],
        today=today,
        caveat_records=[] if deciding is None else [deciding],
    )
    return replace(
        finding,
        as_of=status.as_of,
        as_of_precision=status.as_of_precision,
        checked_on=status.checked_on,
    )
