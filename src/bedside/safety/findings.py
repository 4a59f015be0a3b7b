"""The :class:`Finding` every safety check returns, and how findings get their provenance.

A finding's ``sources``, ``as_of``, ``checked_on``, ``stale`` and ``uncertain`` always come from
the packaged
records that justify it (see :func:`provenance`). When a record is uncertain its note is added
to the summary; when it is stale the summary ends with the "may be out of date" sentence, so
the warning reaches the user even if a front end ignores the flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bedside.knowledge import (
    STALE_NOTE,
    LegalRecord,
    Severity,
    SourcedRecord,
    format_as_of,
    is_stale,
)

__all__ = [
    "Finding",
    "Provenance",
    "Severity",
    "dates_text",
    "make_finding",
    "provenance",
    "sort_findings",
]


@dataclass(frozen=True)
class Finding:
    """One thing the person should know, with its evidence trail.

    ``sources`` is a tuple of URLs (a list in JSON); ``as_of`` is the newest date
    of the laws or sources the records behind the finding reflect (known to
    ``as_of_precision``), and ``checked_on`` the oldest day any of them was last verified, so
    ``stale`` follows ``checked_on``. ``law`` is true when the records are laws, so the
    dates read "law dated … · checked …" rather than "as of … · checked …".
    """

    id: str
    severity: Severity
    title: str
    summary: str
    action: str
    sources: tuple[str, ...]
    as_of: date
    checked_on: date
    as_of_precision: str = "day"
    stale: bool = False
    uncertain: bool = False
    law: bool = False

    @property
    def dates(self) -> str:
        """Both dates in words, e.g. "law dated 2004 · checked 2026-12-05"."""
        return dates_text(self.as_of, self.as_of_precision, self.checked_on, law=self.law)


def dates_text(as_of: date, precision: str, checked_on: date, *, law: bool) -> str:
    """The two dates as a person reads them: "law dated 2016-05-10 · checked 2026-12-05"
    for legal records, "as of 2024 · checked 2026-11-22" for evidence records."""
    label = "law dated" if law else "as of"
    return f"{label} {format_as_of(as_of, precision)} · checked {checked_on.isoformat()}"


@dataclass(frozen=True)
class Provenance:
    """Sources, dates and caveats merged from the records behind one finding."""

    sources: tuple[str, ...]
    as_of: date
    as_of_precision: str
    checked_on: date
    stale: bool
    uncertain: bool
    notes: tuple[str, ...]

    def caveats(self) -> str:
        """Sentences to append to a summary: uncertainty notes, then the stale warning."""
        parts = [f"Not verified: {note}" for note in self.notes]
        if self.stale:
            parts.append(f"This information {STALE_NOTE}.")
        return " ".join(parts)


def provenance(
    records: Sequence[SourcedRecord],
    today: date,
    caveat_records: Sequence[SourcedRecord] | None = None,
) -> Provenance:
    """Merge provenance from ``records`` (at least one).

    Sources are the union; ``as_of`` is the newest law or source date among the records and
    ``checked_on`` the oldest verification date; stale when any record's check is stale.
    Uncertainty notes come from ``caveat_records`` (default: all ``records``): only records
    whose own text the finding shows, so a note never refers to figures the person can't see.
    """
    if not records:
        raise ValueError("a finding needs at least one sourced record")
    sources = tuple(dict.fromkeys(url for record in records for url in record.sources))
    notes = tuple(
        dict.fromkeys(
            r.uncertainty_note
            for r in (records if caveat_records is None else caveat_records)
            if r.uncertainty_note is not None
        )
    )
    newest = max(records, key=lambda record: record.as_of)
    return Provenance(
        sources=sources,
        as_of=newest.as_of,
        as_of_precision=newest.as_of_precision,
        checked_on=min(record.checked_on for record in records),
        stale=any(is_stale(record.checked_on, today) for record in records),
        uncertain=any(record.uncertain for record in records),
        notes=notes,
    )


def make_finding(
    *,
    id: str,
    severity: Severity,
    title: str,
    summary: str,
    action: str,
    records: Sequence[SourcedRecord],
    today: date,
    caveat_records: Sequence[SourcedRecord] | None = None,
) -> Finding:
    """Build a finding whose provenance and caveats come from ``records``.

    Pass ``caveat_records`` when some ``records`` only back the finding and their text is not
    shown: their "Not verified" notes would then refer to things the person cannot see.
    """
    origin = provenance(records, today, caveat_records)
    caveats = origin.caveats()
    full_summary = f"{summary} {caveats}" if caveats else summary
    return Finding(
        id=id,
        severity=severity,
        title=title,
        summary=full_summary,
        action=action,
        sources=origin.sources,
        as_of=origin.as_of,
        checked_on=origin.checked_on,
        as_of_precision=origin.as_of_precision,
        stale=origin.stale,
        uncertain=origin.uncertain,
        law=all(isinstance(record, LegalRecord) for record in records),
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first; ties keep a stable order by id."""
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.id)))
