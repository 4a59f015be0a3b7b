"""Turning what people type into lookup keys, and matching keys to known names.

Shared by medication and condition matching. Normalisation lower-cases, folds punctuation to
spaces and can strip strengths ("300mg", "0.5 mg", "5/325") and dose-form words ("XR",
"tablet"). Fuzzy matching uses :mod:`difflib` with a length-dependent cutoff: nothing under
five characters is ever fuzzy-matched, because short strings produce confident wrong matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

MIN_FUZZY_LENGTH = 5
SHORT_CUTOFF = 0.83  # 5-6 characters: one wrong letter ("ambian" -> "ambien")
LONG_CUTOFF = 0.8  # 7+ characters: one or two slips ("alprazolm" -> "alprazolam")
AMBIGUITY_MARGIN = 0.05
SUGGESTION_CUTOFF = 0.6

_PUNCTUATION = re.compile(r"[^\w%.]+")
_LOOSE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_STRENGTH = re.compile(
    r"(?<![a-z])\d+(?:[.,]\d+)?\s*"
    r"(?:mg|mcg|µg|ug|gm|g|ml|iu|units?|unit|%|mg ml|tabs?)?(?![a-z])"
)
_FORM_LINES = (
    "tablet tablets tab tabs capsule capsules cap caps caplet caplets pill pills softgel",
    "softgels gelcap gelcaps er xr xl sr cr ir dr la odt cd ds hcl hydrochloride extended",
    "immediate delayed release oral solution liquid syrup suspension patch injection spray",
    "chewable drops dose doses daily nightly prn qhs bid tid qd once twice per day at night",
    "bedtime as needed mg mcg ml generic brand take takes taking my",
)
FORM_WORDS = frozenset(word for line in _FORM_LINES for word in line.split())


class MatchKind(StrEnum):
    """How an input was recognised."""

    EXACT = "exact"  # the generic or condition name itself
    BRAND = "brand"  # a brand name
    SYNONYM = "synonym"  # another accepted name (e.g. "paracetamol", "epilepsy")
    FUZZY = "fuzzy"  # close to a known name; ask the person to confirm
    CLASS = "class"  # a drug class named instead of a medicine ("benzos")
    UNKNOWN = "unknown"  # not recognised


def clean(text: str) -> str:
    """Lower-case, Unicode-normalise and fold punctuation/whitespace to single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("’", "'").replace("'", "")
    folded = _LOOSE_DOT.sub(" ", _PUNCTUATION.sub(" ", folded))
    return " ".join(folded.replace("_", " ").split())


def strip_strengths(text: str) -> str:
    """Remove numbers with optional units ("300mg", "0.5 mg", "10 325") from cleaned text."""
    return " ".join(_STRENGTH.sub(" ", text).split())


def strip_forms(text: str) -> str:
    """Remove dose-form and schedule words ("xr", "tablet", "at night") from cleaned text."""
    return " ".join(word for word in text.split() if word not in FORM_WORDS)


def lookup_keys(text: str) -> tuple[str, ...]:
    """Candidate keys from most to least literal: cleaned, without strengths, without forms."""
    cleaned = clean(text)
    no_strength = strip_strengths(cleaned)
    bare = strip_forms(no_strength)
    return tuple(key for key in dict.fromkeys((cleaned, no_strength, bare)) if key)


def fuzzy_cutoff(key: str) -> float | None:
    """The similarity a fuzzy match needs for a key of this length (None: no fuzzy match)."""
    length = len(key.replace(" ", ""))
    if length < MIN_FUZZY_LENGTH:
        return None
    return SHORT_CUTOFF if length < 7 else LONG_CUTOFF


@dataclass(frozen=True)
class FuzzyHit:
    """A fuzzy match: the known name, what it stands for, and the similarity score."""

    name: str
    target: str
    score: float


def similarity(a: str, b: str) -> float:
    """difflib ratio between two cleaned strings (0-1)."""
    return difflib.SequenceMatcher(None, a, b).ratio()


def ranked_hits(key: str, names: Mapping[str, str], cutoff: float) -> list[FuzzyHit]:
    """Known names (mapped to targets) at least ``cutoff`` similar to ``key``, best first."""
    close = difflib.get_close_matches(key, list(names), n=8, cutoff=cutoff)
    hits = [FuzzyHit(name, names[name], similarity(key, name)) for name in close]
    return sorted(hits, key=lambda hit: (-hit.score, hit.name))


def best_fuzzy(key: str, names: Mapping[str, str]) -> FuzzyHit | None:
    """The single best fuzzy hit, or None when too short, too far, or ambiguous.

    Ambiguous means a different target scores within :data:`AMBIGUITY_MARGIN` of the best,
    e.g. a typo halfway between two drugs: then nothing is guessed.
    """
    cutoff = fuzzy_cutoff(key)
    if cutoff is None:
        return None
    hits = ranked_hits(key, names, cutoff)
    if not hits:
        return None
    best = hits[0]
    rivals = [h for h in hits[1:] if h.target != best.target]
    if rivals and best.score - rivals[0].score < AMBIGUITY_MARGIN:
        return None
    return best


def suggestions(key: str, names: Mapping[str, str], limit: int = 3) -> tuple[str, ...]:
    """Distinct targets loosely similar to ``key``, for "did you mean ...?" messages."""
    if len(key) < 3:
        return ()
    hits = ranked_hits(key, names, SUGGESTION_CUTOFF)
    return tuple(dict.fromkeys(hit.target for hit in hits))[:limit]


def word_ngrams(text: str) -> Iterable[str]:
    """All contiguous word sequences of ``text``, longest first."""
    words = text.split()
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            yield " ".join(words[start : start + size])
