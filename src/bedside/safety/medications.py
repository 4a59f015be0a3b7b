"""Recognise medicines as people type them: brands, generics, typos, strengths and forms.

``match_medication("Neurontin 300mg")`` reads the brand Neurontin as gabapentin
(gabapentinoids); ``match_medication("alprazolm")`` is a fuzzy match to alprazolam that a
front end should confirm with :attr:`MedicationMatch.confirmation`. Anything not recognised
comes back with ``how == "unknown"`` (never dropped), with suggestions where some exist.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from bedside.knowledge import DrugEntry, load_knowledge
from bedside.safety.matching import (
    MatchKind,
    best_fuzzy,
    clean,
    lookup_keys,
    suggestions,
    word_ngrams,
)

__all__ = ["MatchKind", "MedicationMatch", "match_medication", "match_medications"]

MIN_PARTIAL_LENGTH = 3
#: What people write for a drug class instead of a medicine. Only the whole entry counts
#: ("benzos", "opioid painkillers"), never a word inside it, so "opioid blocker" is not read
#: as an opioid. Classes whose members differ in what matters (any antipsychotic is not a
#: sedating one; enzyme classes are a property of each drug) are not listed.
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "opioids": ("opioid", "opioids", "opiate", "opiates", "opioid painkiller",
                "opioid painkillers", "opioid pain medication", "narcotic painkillers"),
    "benzodiazepines": ("benzo", "benzos", "benzodiazepine", "benzodiazepines"),
    "gabapentinoids": ("gabapentinoid", "gabapentinoids"),
    "z-drugs": ("z drug", "z drugs", "z-drug", "z-drugs"),
    "sedating-antihistamines": ("sedating antihistamine", "sedating antihistamines"),
    "sedating-antipsychotics": ("sedating antipsychotic", "sedating antipsychotics"),
    "serotonergic": ("ssri", "ssris", "snri", "snris", "ssri antidepressant",
                     "ssri antidepressants"),
    "maois": ("maoi", "maois", "mao inhibitor", "mao inhibitors"),
    "stimulants": ("stimulant", "stimulants", "stimulant medication"),
    "muscle-relaxants": ("muscle relaxant", "muscle relaxants"),
}  # fmt: skip
CLASS_NOTE = (
    "This names a kind of medicine, not one medicine: it was checked as any {label}. "
    "Enter the medicine's own name if you can, since some interactions depend on the drug."
)
SEVERAL_NOTE = "This looks like more than one medicine; enter each one separately."


@dataclass(frozen=True)
class MedicationMatch:
    """How one typed medicine was read.

    ``generic`` and ``classes`` are empty when ``how`` is ``unknown``. ``brand`` is set when
    the input named a brand. ``partial`` means only part of the input was recognised (e.g.
    "Allegra D" read as Allegra), so it should be confirmed like a fuzzy match.
    """

    text: str
    how: MatchKind
    generic: str | None = None
    brand: str | None = None
    classes: tuple[str, ...] = ()
    matched_name: str | None = None
    score: float | None = None
    partial: bool = False
    suggestions: tuple[str, ...] = ()
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        """True when the input was recognised as a medicine or substance."""
        return self.how is not MatchKind.UNKNOWN

    @property
    def display_name(self) -> str:
        """``generic (Brand)`` for recognised inputs, else the text as typed."""
        if self.how is MatchKind.CLASS:
            return f"{self.text} (any {self.matched_name})"
        if self.generic is None:
            return self.text
        brand = self.brand or _first_brand(self.generic)
        return f"{self.generic} ({brand})" if brand else self.generic

    @property
    def needs_confirmation(self) -> bool:
        """True for fuzzy or partial matches, which the person should confirm."""
        return self.how is MatchKind.FUZZY or self.partial

    @property
    def confirmation(self) -> str | None:
        """A question a front end can show for fuzzy or partial matches."""
        if not self.needs_confirmation:
            return None
        return f"We read '{self.text}' as {self.display_name} — is that right?"

    @property
    def class_labels(self) -> list[str]:
        """The readable names of the drug classes it was checked as."""
        return [load_knowledge().drug_class(c).label for c in self.classes]


@dataclass(frozen=True)
class _Name:
    entry: DrugEntry
    kind: MatchKind
    display: str


@functools.cache
def _index() -> dict[str, _Name]:
    """Every cleaned name (generic, synonym, brand) mapped to its drug entry."""
    index: dict[str, _Name] = {}
    for entry in load_knowledge().medications.drugs:
        names = [(entry.generic, MatchKind.EXACT)]
        names += [(s, MatchKind.SYNONYM) for s in entry.synonyms]
        names += [(b, MatchKind.BRAND) for b in entry.brands]
        for name, kind in names:
            key = clean(name)
            existing = index.get(key)
            if existing is not None and existing.entry.generic != entry.generic:
                raise ValueError(
                    f"{name!r} names both {existing.entry.generic} and {entry.generic}"
                )
            index.setdefault(key, _Name(entry, kind, name))
    return index


@functools.cache
def _targets() -> dict[str, str]:
    return {key: name.entry.generic for key, name in _index().items()}


@functools.cache
def _class_index() -> dict[str, str]:
    """Every cleaned class name people write (see :data:`CLASS_NAMES`) to its class id."""
    return {clean(name): class_id for class_id, names in CLASS_NAMES.items() for name in names}


def _class_match(text: str, class_id: str) -> MedicationMatch:
    drug_class = load_knowledge().drug_class(class_id)
    return MedicationMatch(
        text=text,
        how=MatchKind.CLASS,
        classes=(class_id,),
        matched_name=drug_class.label,
        score=1.0,
        note=CLASS_NOTE.format(label=drug_class.label),
        sources=drug_class.sources,
    )


def _first_brand(generic: str) -> str | None:
    for name in _index().values():
        if name.entry.generic == generic:
            return name.entry.brands[0] if name.entry.brands else None
    return None


def _matched(
    text: str, name: _Name, how: MatchKind, score: float, partial: bool
) -> MedicationMatch:
    return MedicationMatch(
        text=text,
        how=how,
        generic=name.entry.generic,
        brand=name.display if name.kind is MatchKind.BRAND else None,
        classes=name.entry.classes,
        matched_name=name.display,
        score=score,
        partial=partial,
        sources=name.entry.sources,
    )


def _unknown(text: str, key: str, found: Iterable[str] = ()) -> MedicationMatch:
    several = tuple(dict.fromkeys(found))
    hints = several or suggestions(key, _targets())
    return MedicationMatch(
        text=text,
        how=MatchKind.UNKNOWN,
        suggestions=hints,
        note=SEVERAL_NOTE if len(several) > 1 else None,
    )


def _partial_names(key: str) -> list[_Name]:
    index = _index()
    return [index[g] for g in word_ngrams(key) if len(g) >= MIN_PARTIAL_LENGTH and g in index]


def match_medication(text: str) -> MedicationMatch:
    """Read one typed medicine name (brand, generic, synonym, or a close misspelling)."""
    keys = lookup_keys(text)
    if not keys:
        return MedicationMatch(text=text, how=MatchKind.UNKNOWN, note="Nothing was entered.")
    index = _index()
    for key in keys:
        if key in index:
            return _matched(text, index[key], index[key].kind, 1.0, partial=False)
    for key in keys:
        if key in _class_index():
            return _class_match(text, _class_index()[key])
    bare = keys[-1]
    partial = _partial_names(bare)
    generics = {name.entry.generic for name in partial}
    if len(generics) == 1:
        return _matched(text, partial[0], partial[0].kind, 1.0, partial=True)
    if len(generics) > 1:
        return _unknown(text, bare, (name.entry.generic for name in partial))
    return _fuzzy(text, bare)


def _fuzzy(text: str, key: str) -> MedicationMatch:
    index = _index()
    hit = best_fuzzy(key, _targets())
    if hit is not None:
        return _matched(text, index[hit.name], MatchKind.FUZZY, hit.score, partial=False)
    words = [w for w in key.split() if len(w) >= MIN_PARTIAL_LENGTH]
    if len(words) > 1:
        hits = [h for h in (best_fuzzy(w, _targets()) for w in words) if h is not None]
        if len({h.target for h in hits}) == 1:
            return _matched(text, index[hits[0].name], MatchKind.FUZZY, hits[0].score, True)
        if hits:
            return _unknown(text, key, (h.target for h in hits))
    return _unknown(text, key)


def match_medications(texts: Iterable[str]) -> tuple[MedicationMatch, ...]:
    """Match each entry; blank entries are skipped, unknown ones are kept as unknown."""
    return tuple(match_medication(t) for t in texts if t.strip())
