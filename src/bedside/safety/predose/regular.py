"""Pre-dose rule about the medicines the person takes regularly (listed in their profile).

A regular medicine is in the body whether or not an intake was logged today, so every dose
is checked against it: one finding per interaction class, the same finding the profile check
gives (``interaction.<class>``, with any raise from a listed condition). A class already
reported because the medicine was logged in the last hours (``predose.recent-medication``)
is not repeated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bedside.knowledge import load_knowledge
from bedside.safety.conditions import match_conditions
from bedside.safety.findings import Finding
from bedside.safety.interactions import interaction_findings
from bedside.safety.medications import match_medications
from bedside.safety.predose.context import PreDoseContext

__all__ = ["regular_medication_findings"]

RECENT_PREFIX = "predose.recent-medication."


def regular_medication_findings(
    ctx: PreDoseContext, today: date, recent: Sequence[Finding] = ()
) -> list[Finding]:
    """Interaction findings for the profile's medicines, minus classes in ``recent``."""
    if not ctx.regular_medications:
        return []
    knowledge = load_knowledge()
    conditions = [
        knowledge.condition(c.condition_id)
        for c in match_conditions(ctx.conditions)
        if c.condition_id is not None
    ]
    covered = {f.id.removeprefix(RECENT_PREFIX) for f in recent if f.id.startswith(RECENT_PREFIX)}
    findings = interaction_findings(match_medications(ctx.regular_medications), today, conditions)
    return [f for f in findings if f.id.removeprefix("interaction.") not in covered]
