"""Recognise health conditions as people type them, and turn them into findings.

Conditions are matched by their title, their synonyms ("epilepsy", "afib", "pregnant"), a
synonym appearing as a phrase inside longer text ("history of seizures as a child"), or a
close misspelling. Inputs containing a negation ("no liver disease") are only matched exactly,
so "no liver disease" is not read as liver disease.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bedside.knowledge import ConditionRecord, load_knowledge
from bedside.safety.findings import Finding, make_finding
from bedside.safety.matching import MatchKind, best_fuzzy, clean, suggestions, word_ngrams

__all__ = ["ConditionMatch", "condition_finding", "match_condition", "match_conditions"]

NEGATIONS = frozenset({"no", "not", "never", "without", "denies", "none"})
MIN_PHRASE_LENGTH = 3


@dataclass(frozen=True)
class ConditionMatch:
    """How one typed condition was read; ``condition_id`` is None when unknown."""

    text: str
    how: MatchKind
    condition_id: str | None = None
    title: str | None = None
    matched_name: str | None = None
    score: float | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """True when the input was recognised."""
        return self.how is not MatchKind.UNKNOWN

    @property
    def confirmation(self) -> str | None:
        """A question to show for fuzzy matches."""
        if self.how is not MatchKind.FUZZY:
            return None
        return f"We read '{self.text}' as {self.title} — is that right?"


@dataclass(frozen=True)
class _Name:
    record: ConditionRecord
    kind: MatchKind
    display: str


@functools.cache
def _index() -> dict[str, _Name]:
    index: dict[str, _Name] = {}
    for record in load_knowledge().conditions:
        names = [(record.title, MatchKind.EXACT), (record.id, MatchKind.EXACT)]
        names += [(s, MatchKind.SYNONYM) for s in record.synonyms]
        for name, kind in names:
            key = clean(name)
            existing = index.get(key)
            if existing is not None and existing.record.id != record.id:
                raise ValueError(f"{name!r} names both {existing.record.id} and {record.id}")
            index.setdefault(key, _Name(record, kind, name))
    return index


@functools.cache
def _targets() -> dict[str, str]:
    return {key: name.record.title for key, name in _index().items()}


def _matched(text: str, name: _Name, how: MatchKind, score: float) -> ConditionMatch:
    return ConditionMatch(
        text=text,
        how=how,
        condition_id=name.record.id,
        title=name.record.title,
        matched_name=name.display,
        score=score,
    )


def _phrase_match(key: str) -> _Name | None:
    index = _index()
    for phrase in word_ngrams(key):
        if len(phrase) >= MIN_PHRASE_LENGTH and phrase in index:
            return index[phrase]
    return None


def match_condition(text: str) -> ConditionMatch:
    """Read one typed condition (title, synonym, phrase inside text, or close misspelling)."""
    key = clean(text)
    index = _index()
    if key in index:
        return _matched(text, index[key], index[key].kind, 1.0)
    negated = bool(NEGATIONS & set(key.split()))
    phrase = None if negated else _phrase_match(key)
    if phrase is not None:
        return _matched(text, phrase, MatchKind.SYNONYM, 1.0)
    hit = None if negated else best_fuzzy(key, _targets())
    if hit is not None:
        return _matched(text, index[hit.name], MatchKind.FUZZY, hit.score)
    return ConditionMatch(
        text=text, how=MatchKind.UNKNOWN, suggestions=suggestions(key, _targets())
    )


def match_conditions(texts: Iterable[str]) -> tuple[ConditionMatch, ...]:
    """Match each entry; blank entries are skipped, unknown ones are kept as unknown."""
    return tuple(match_condition(t) for t in texts if t.strip())


def _in_sentence(title: str) -> str:
    """A title inside a sentence: "Sleep apnea" → "sleep apnea", but "COPD" stays "COPD"."""
    if title[:2].isupper():
        return title
    return title[:1].lower() + title[1:]


def condition_finding(record: ConditionRecord, typed: Iterable[str], today: date) -> Finding:
    """The finding for one recognised condition, naming what the person typed."""
    as_typed = ", ".join(f"'{t}'" for t in dict.fromkeys(typed))
    return make_finding(
        id=f"condition.{record.id}",
        severity=record.severity,
        title=f"Kratom with {_in_sentence(record.title)}",
        summary=f"You listed {as_typed}. {record.summary}",
        action=record.action,
        records=[record],
        today=today,
    )
