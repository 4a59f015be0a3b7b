"""A finding's "Not verified" notes refer only to figures that the finding itself shows.

Regression for issue 10 point 13: the concentrated-7-OH finding used to end with a note about
"the 0.5-1.5% and 2% figures" that it never stated, and a state's legal finding carried the
federal record's note about "the July 2026 DEA notices" without saying anything about them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bedside.knowledge import load_knowledge
from bedside.safety.findings import Finding
from bedside.safety.legal import legal_finding, lookup_legal
from bedside.safety.predose import PlannedDose, PreDoseContext, ProductForm, check_predose
from bedside.safety.profile import check_profile

TODAY = date(2026, 12, 5)
NUMBER = re.compile(r"\d+(?:\.\d+)?(?!\d|-OH)")  # figures, not the 7 of "7-OH"
CAVEAT = "Not verified: "


def dangling_figures(finding: Finding) -> set[str]:
    """Figures named in the finding's caveats that its own text never states."""
    shown, _, caveats = finding.summary.partition(CAVEAT)
    text = f"{finding.title} {shown} {finding.action}"
    return set(NUMBER.findall(caveats)) - set(NUMBER.findall(text))


def _dose(form: ProductForm) -> list[Finding]:
    at = datetime(2026, 12, 5, 21, tzinfo=ZoneInfo("America/Chicago")).astimezone(ZoneInfo("UTC"))
    context = PreDoseContext(
        dose=PlannedDose(at=at, grams=None, form=form), timezone="America/Chicago"
    )
    return list(check_predose(context, TODAY).findings)


def test_the_concentrated_7oh_finding_states_what_its_caveats_refer_to() -> None:
    finding = next(
        f for f in _dose(ProductForm.SEVEN_OH_CONCENTRATE) if f.id == "predose.seven-oh-concentrate"
    )
    assert dangling_figures(finding) == set()


@pytest.mark.parametrize("form", list(ProductForm), ids=lambda f: f.value)
def test_pre_dose_findings_have_no_dangling_caveats(form: ProductForm) -> None:
    for finding in _dose(form):
        assert dangling_figures(finding) == set(), finding.id


def test_interaction_and_condition_findings_have_no_dangling_caveats() -> None:
    knowledge = load_knowledge()
    conditions = [record.title for record in knowledge.conditions]
    medicines = [
        next(d.generic for d in knowledge.medications.drugs if record.id in d.classes)
        for record in knowledge.interactions
    ]
    result = check_profile(medicines, conditions, None, TODAY)
    assert len(result.findings) > len(knowledge.interactions)
    for finding in result.findings:
        assert dangling_figures(finding) == set(), finding.id


@pytest.mark.parametrize("code", [r.code for r in load_knowledge().legal])
def test_legal_findings_have_no_dangling_caveats(code: str) -> None:
    finding = legal_finding(lookup_legal(code, TODAY), TODAY)
    assert dangling_figures(finding) == set(), finding.id


def test_a_state_finding_does_not_carry_the_federal_records_note() -> None:
    federal_note = load_knowledge().legal_record("US")
    assert federal_note is not None and federal_note.uncertainty_note is not None
    finding = legal_finding(lookup_legal("US-AL", TODAY), TODAY)
    assert federal_note.uncertainty_note not in finding.summary
    assert set(federal_note.sources) <= set(finding.sources)  # still backed by its sources
