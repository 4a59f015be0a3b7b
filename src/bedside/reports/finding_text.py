"""A safety finding's summary in the compact form the printed report uses.

A clinician reads the report in two minutes, so each finding shows its severity, its title,
the first sentences of its summary and its action; the caveats the summary ends with
("Not verified: …", "This information may be out of date …") move to the small print next
to the sources and dates, where nothing of them is lost. Sentences are never cut in half.
"""

from __future__ import annotations

import re
from typing import Final

from bedside.knowledge import STALE_NOTE

#: Where a summary's caveats begin (see :meth:`bedside.safety.findings.Provenance.caveats`).
CAVEAT_STARTS: Final = ("Not verified: ", f"This information {STALE_NOTE}")
#: About three printed lines of the report's body text.
BRIEF_CHARS: Final = 240
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9'\"(‘“])")


def split_caveats(summary: str) -> tuple[str, str]:
    """The summary's statements and its trailing caveats (``""`` when it has none)."""
    cut = min((i for i in (summary.find(s) for s in CAVEAT_STARTS) if i >= 0), default=-1)
    if cut < 0:
        return summary.strip(), ""
    return summary[:cut].strip(), summary[cut:].strip()


def sentences(text: str) -> list[str]:
    """``text`` split into sentences at a full stop, question or exclamation mark."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def brief_summary(summary: str, limit: int = BRIEF_CHARS) -> str:
    """The first whole sentences of a summary, within about ``limit`` characters.

    A leading "You listed …" sentence is left out (the report lists the medicines and
    conditions checked, and the title names them); at least one sentence is always kept.
    """
    statements, _ = split_caveats(summary)
    parts = sentences(statements)
    if len(parts) > 1 and parts[0].startswith("You listed "):
        parts = parts[1:]
    kept: list[str] = []
    for part in parts:
        if kept and len(" ".join([*kept, part])) > limit:
            break
        kept.append(part)
    return " ".join(kept)


def caveats(summary: str) -> str:
    """The caveats a summary ends with, for the small print (``""`` when there are none)."""
    return split_caveats(summary)[1]
