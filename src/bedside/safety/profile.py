"""The profile check: the person's medicines, conditions and region in one pass.

Used at profile set-up and by ``bedside check``. Every input is accounted for: recognised
medicines produce interaction findings (or an info finding saying we hold no record for
them), unrecognised medicines and conditions are listed and produce an info finding, and the
region's legal status is included as a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bedside.knowledge import load_knowledge
from bedside.safety.conditions import ConditionMatch, condition_finding, match_conditions
from bedside.safety.findings import Finding, Severity, make_finding, sort_findings
from bedside.safety.interactions import interaction_findings
from bedside.safety.legal import LegalStatus, legal_finding, lookup_legal
from bedside.safety.medications import MedicationMatch, match_medications

__all__ = ["ProfileCheck", "check_profile"]


@dataclass(frozen=True)
class ProfileCheck:
    """Everything the profile check found, most severe finding first."""

    findings: tuple[Finding, ...]
    medications: tuple[MedicationMatch, ...]
    conditions: tuple[ConditionMatch, ...]
    unknown_medications: tuple[str, ...]
    unknown_conditions: tuple[str, ...]
    legal: LegalStatus | None
    legal_finding: Finding | None


def _quoted(texts: Sequence[str]) -> str:
    return ", ".join(f"'{t}'" for t in texts)


def _hint(match: MedicationMatch) -> str:
    if match.note is not None:
        return f"'{match.text}' looks like several medicines ({', '.join(match.suggestions)})"
    return f"'{match.text}' (did you mean {' or '.join(match.suggestions)}?)"


def _unrecognised_medicines(unknown: Sequence[MedicationMatch], today: date) -> Finding:
    hints = [_hint(m) for m in unknown if m.suggestions]
    summary = (
        f"We couldn't recognise {_quoted([m.text for m in unknown])}, so they were not checked."
    )
    if hints:
        summary += f" Hints: {'; '.join(hints)}."
    return make_finding(
        id="medications.unrecognised",
        severity=Severity.INFO,
        title="Some medicines were not recognised",
        summary=summary,
        action="Check the spelling or enter the generic name from the label, one medicine per "
        "entry, and ask a pharmacist about taking it with kratom.",
        records=[load_knowledge().fact("interaction-coverage")],
        today=today,
    )


def _no_record(medicines: Sequence[MedicationMatch], today: date) -> Finding:
    names = ", ".join(dict.fromkeys(m.display_name for m in medicines))
    return make_finding(
        id="medications.no-record",
        severity=Severity.INFO,
        title="No interaction record for some medicines",
        summary=f"We recognised {names} but hold no interaction record for them with kratom. "
        "That does not mean the combination is known to be safe.",
        action="Ask a pharmacist if you are unsure, and mention your kratom use.",
        records=[load_knowledge().fact("interaction-coverage")],
        today=today,
    )


def _unrecognised_conditions(texts: Sequence[str], today: date) -> Finding:
    return make_finding(
        id="conditions.unrecognised",
        severity=Severity.INFO,
        title="Some conditions were not recognised",
        summary=f"Not recognised — not checked: {_quoted(texts)}. Bedside holds no record for "
        "these conditions, so nothing was checked for them; that does not make them safe with "
        "kratom.",
        action="Check the wording, and ask your doctor how kratom might affect the condition.",
        records=[load_knowledge().fact("condition-coverage")],
        today=today,
    )


def _condition_findings(matches: Sequence[ConditionMatch], today: date) -> list[Finding]:
    knowledge = load_knowledge()
    typed: dict[str, list[str]] = {}
    for match in matches:
        if match.condition_id is not None:
            typed.setdefault(match.condition_id, []).append(match.text)
    return [
        condition_finding(knowledge.condition(cid), texts, today) for cid, texts in typed.items()
    ]


def check_profile(
    medications: Sequence[str],
    conditions: Sequence[str],
    region: str | None,
    today: date,
) -> ProfileCheck:
    """Check a person's medicines, conditions and region.

    Raises :class:`bedside.safety.legal.UnknownRegionError` when ``region`` is not a known
    code; pass ``None`` to skip the legal check.
    """
    meds = match_medications(medications)
    conds = match_conditions(conditions)
    knowledge = load_knowledge()
    records = [knowledge.condition(c.condition_id) for c in conds if c.condition_id is not None]
    findings = interaction_findings(meds, today, records)
    findings += _condition_findings(conds, today)
    unknown_meds = [m for m in meds if not m.known]
    if unknown_meds:
        findings.append(_unrecognised_medicines(unknown_meds, today))
    no_record = [m for m in meds if m.known and not m.classes]
    if no_record:
        findings.append(_no_record(no_record, today))
    unknown_conds = tuple(c.text for c in conds if not c.known)
    if unknown_conds:
        findings.append(_unrecognised_conditions(unknown_conds, today))
    legal = lookup_legal(region, today) if region else None
    legal_result = legal_finding(legal, today) if legal else None
    if legal_result is not None:
        findings.append(legal_result)
    return ProfileCheck(
        findings=sort_findings(findings),
        medications=meds,
        conditions=conds,
        unknown_medications=tuple(m.text for m in unknown_meds),
        unknown_conditions=unknown_conds,
        legal=legal,
        legal_finding=legal_result,
    )
