"""The :class:`Finding` every safety check returns, and how findings get their provenance.

A finding's ``sources``, ``as_of``, ``stale`` and ``uncertain`` always come from the packaged
records that justify it (see :func:`provenance`). When a record is uncertain its note is added
to the summary; when it is stale the summary ends with the "may be out of date" sentence, so
the warning reaches the user even if a front end ignores the flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bedside.knowledge import STALE_NOTE, Severity, SourcedRecord, is_stale

__all__ = [
    "Finding",
    "Provenance",
    "Severity",
    "make_finding",
    "provenance",
    "sort_findings",
]


@dataclass(frozen=True)
class Finding:
    """One thing the person should know, with its evidence trail.

    ``sources`` is a tuple of URLs (a list in :meth:`to_dict`); ``as_of`` is the oldest
    verification date among the records behind the finding.
    """

    id: str
    severity: Severity
    title: str
    summary: str
    action: str
    sources: tuple[str, ...]
    as_of: date
    stale: bool = False
    uncertain: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict with exactly the keys of the CLI/API contract."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "title": self.title,
            "summary": self.summary,
            "action": self.action,
            "sources": list(self.sources),
            "as_of": self.as_of.isoformat(),
            "stale": self.stale,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class Provenance:
    """Sources, dates and caveats merged from the records behind one finding."""

    sources: tuple[str, ...]
    as_of: date
    stale: bool
    uncertain: bool
    notes: tuple[str, ...]

    def caveats(self) -> str:
        """Sentences to append to a summary: uncertainty notes, then the stale warning."""
        parts = [f"Not verified: {note}" for note in self.notes]
        if self.stale:
            parts.append(f"This information {STALE_NOTE}.")
        return " ".join(parts)


def provenance(records: Sequence[SourcedRecord], today: date) -> Provenance:
    """Merge provenance from ``records`` (at least one): union of sources, oldest as_of."""
    if not records:
        raise ValueError("a finding needs at least one sourced record")
    sources = tuple(dict.fromkeys(url for record in records for url in record.sources))
    notes = tuple(
        dict.fromkeys(r.uncertainty_note for r in records if r.uncertainty_note is not None)
    )
    oldest = min(record.as_of for record in records)
    return Provenance(
        sources=sources,
        as_of=oldest,
        stale=any(is_stale(record.as_of, today) for record in records),
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
) -> Finding:
    """Build a finding whose provenance and caveats come from ``records``."""
    origin = provenance(records, today)
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
        stale=origin.stale,
        uncertain=origin.uncertain,
    )


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first; ties keep a stable order by id."""
    return tuple(sorted(findings, key=lambda f: (-f.severity.rank, f.id)))
