"""Findings for kratom combined with the person's medicines, aware of their conditions.

One finding per interaction class, naming every listed medicine in that class. A condition
can raise a class's severity (for example long QT makes QT-prolonging medicines ``avoid``);
the reason is added to the summary and the condition's sources join the finding's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bedside.knowledge import ConditionRecord, Escalation, InteractionRecord, load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.medications import MedicationMatch

__all__ = ["interaction_findings", "medications_by_class"]


def medications_by_class(matches: Iterable[MedicationMatch]) -> dict[str, list[MedicationMatch]]:
    """Group recognised medicines by interaction class id, keeping input order."""
    groups: dict[str, list[MedicationMatch]] = {}
    for match in matches:
        for class_id in match.classes:
            groups.setdefault(class_id, []).append(match)
    return groups


def _as_listed(match: MedicationMatch) -> str:
    """The display name, noting what was typed when the match needs confirming."""
    if match.needs_confirmation:
        return f"{match.display_name} (read from '{match.text}')"
    return match.display_name


def _escalations(
    record: InteractionRecord, conditions: Sequence[ConditionRecord]
) -> list[tuple[ConditionRecord, Escalation]]:
    return [
        (condition, escalation)
        for condition in conditions
        for escalation in condition.escalations
        if escalation.interaction_id == record.id and escalation.severity > record.severity
    ]


def _class_finding(
    record: InteractionRecord,
    matches: Sequence[MedicationMatch],
    conditions: Sequence[ConditionRecord],
    today: date,
) -> Finding:
    names = ", ".join(dict.fromkeys(m.display_name for m in matches))
    listed = ", ".join(dict.fromkeys(_as_listed(m) for m in matches))
    raised = _escalations(record, conditions)
    severity = max([record.severity, *(e.severity for _, e in raised)], key=lambda s: s.rank)
    summary = f"You listed {listed}. {record.summary}"
    for condition, escalation in raised:
        summary += f" With your listed condition ({condition.title}): {escalation.reason}"
    return make_finding(
        id=f"interaction.{record.id}",
        severity=Severity(severity),
        title=f"{record.title}: {names}",
        summary=summary,
        action=record.action,
        records=[record, *(condition for condition, _ in raised)],
        today=today,
    )


def interaction_findings(
    matches: Iterable[MedicationMatch],
    today: date,
    conditions: Sequence[ConditionRecord] = (),
) -> list[Finding]:
    """One finding per interaction class present among ``matches`` (unknowns are ignored)."""
    knowledge = load_knowledge()
    return [
        _class_finding(knowledge.interaction(class_id), group, conditions, today)
        for class_id, group in medications_by_class(matches).items()
    ]
