"""Medication matching: brands, generics, synonyms, typos, strengths and forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bedside.knowledge import load_knowledge
from bedside.safety.matching import (
    MatchKind,
    best_fuzzy,
    fuzzy_cutoff,
    lookup_keys,
    strip_forms,
    strip_strengths,
)
from bedside.safety.medications import MedicationMatch, match_medication, match_medications
from bedside.services.safety_schemas import MedicationMatchOut

# class id -> (brand or synonym, generic, misspelling); one row per interaction record.
CLASS_CASES = {
    "opioids": ("OxyContin", "oxycodone", "oxycodon"),
    "benzodiazepines": ("Xanax", "alprazolam", "alprazolm"),
    "alcohol": ("beer", "alcohol", "alcohl"),
    "gabapentinoids": ("Neurontin", "gabapentin", "gabapentine"),
    "z-drugs": ("Ambien", "zolpidem", "zolpidam"),
    "sedating-antihistamines": ("Benadryl", "diphenhydramine", "diphenhydramin"),
    "sedating-antipsychotics": ("Seroquel", "quetiapine", "quetiapin"),
    "cyp3a4-substrates": ("Prograf", "tacrolimus", "tacrolimis"),
    "cyp2d6-substrates": ("Nolvadex", "tamoxifen", "tamoxiphen"),
    "p-gp-substrates": ("Lanoxin", "digoxin", "digoxen"),
    "cyp2c9-2c19-substrates": ("Coumadin", "warfarin", "warfarine"),
    "opioid-antagonists": ("Vivitrol", "naltrexone", "naltrexon"),
    "buprenorphine": ("Sublocade", "buprenorphine", "buprenorphin"),
    "stimulants": ("Adderall", "amphetamine", "amphetamin"),
    "maois": ("Nardil", "phenelzine", "phenelzin"),
    "serotonergic": ("Zoloft", "sertraline", "sertaline"),
    "qt-prolonging": ("Zofran", "ondansetron", "ondansetrone"),
    "muscle-relaxants": ("Flexeril", "cyclobenzaprine", "cyclobenzaprin"),
    "seizure-threshold-lowering": ("Wellbutrin", "bupropion", "buproprion"),
    "hepatotoxic": ("Tylenol", "acetaminophen", "acetaminophin"),
    "concentrated-7-oh": ("7-OH", "7-hydroxymitragynine", "7-hydroxymitragynin"),
}


def test_every_interaction_class_has_a_case() -> None:
    assert set(CLASS_CASES) == {r.id for r in load_knowledge().interactions}


@pytest.mark.parametrize(("class_id", "case"), CLASS_CASES.items())
def test_generic_is_exact(class_id: str, case: tuple[str, str, str]) -> None:
    _, generic, _ = case
    match = match_medication(generic)
    assert match.how is MatchKind.EXACT
    assert match.generic == generic
    assert class_id in match.classes
    assert match.brand is None
    assert match.confirmation is None


@pytest.mark.parametrize(("class_id", "case"), CLASS_CASES.items())
def test_brand_or_synonym(class_id: str, case: tuple[str, str, str]) -> None:
    name, generic, _ = case
    match = match_medication(name)
    assert match.generic == generic
    assert class_id in match.classes
    assert match.how in (MatchKind.BRAND, MatchKind.SYNONYM)
    if match.how is MatchKind.BRAND:
        assert match.brand == name


@pytest.mark.parametrize(("class_id", "case"), CLASS_CASES.items())
def test_misspelling_is_fuzzy_and_asks(class_id: str, case: tuple[str, str, str]) -> None:
    _, generic, typo = case
    match = match_medication(typo)
    assert match.how is MatchKind.FUZZY
    assert match.generic == generic
    assert class_id in match.classes
    assert match.confirmation is not None
    assert f"'{typo}'" in match.confirmation
    assert generic in match.confirmation


@pytest.mark.parametrize(
    ("typed", "generic", "brand"),
    [
        ("Xanaxx", "alprazolam", "Xanax"),
        ("clonopin", "clonazepam", "Klonopin"),
        ("seroquil", "quetiapine", "Seroquel"),
        ("lyrika", "pregabalin", "Lyrica"),
        ("ambian", "zolpidem", "Ambien"),
        ("Neurotin", "gabapentin", "Neurontin"),
    ],
)
def test_misspelt_brand(typed: str, generic: str, brand: str) -> None:
    match = match_medication(typed)
    assert (match.how, match.generic, match.brand) == (MatchKind.FUZZY, generic, brand)


def test_confirmation_wording() -> None:
    assert match_medication("alprazolm").confirmation == (
        "We read 'alprazolm' as alprazolam (Xanax) — is that right?"
    )


@pytest.mark.parametrize(
    ("typed", "generic"),
    [
        ("Neurontin 300mg", "gabapentin"),
        ("Neurontin 300 mg capsules", "gabapentin"),
        ("Xanax XR 0.5 mg tablet", "alprazolam"),
        ("alprazolam ER 1mg", "alprazolam"),
        ("Seroquel 25mg at night", "quetiapine"),
        ("Percocet 5/325", "oxycodone and acetaminophen"),
        ("gabapentin 1.5g", "gabapentin"),
        ("  ZOLOFT  ", "sertraline"),
        ("xanax.", "alprazolam"),
        ("my klonopin", "clonazepam"),
        ("Tylenol PM", "acetaminophen and diphenhydramine"),
        ("Tylenol #3", "acetaminophen and codeine"),
        ("Tylenol", "acetaminophen"),
        ("paracetamol 500mg", "acetaminophen"),
        ("7oh", "7-hydroxymitragynine"),
        ("Soma", "carisoprodol"),
    ],
)
def test_strengths_and_forms_are_stripped(typed: str, generic: str) -> None:
    match = match_medication(typed)
    assert match.generic == generic
    assert match.how is not MatchKind.FUZZY


def test_strip_helpers() -> None:
    assert strip_strengths("neurontin 300mg") == "neurontin"
    assert strip_strengths("percocet 5 325") == "percocet"
    assert strip_strengths("7oh") == "7oh"
    assert strip_forms("xanax xr tablet") == "xanax"
    assert lookup_keys("") == ()


@pytest.mark.parametrize("typed", ["xan", "oxy", "abc", "zz", "meds", "pill"])
def test_short_strings_are_never_fuzzy(typed: str) -> None:
    match = match_medication(typed)
    assert match.how is MatchKind.UNKNOWN
    assert match.classes == ()


def test_fuzzy_cutoff_by_length() -> None:
    assert fuzzy_cutoff("abcd") is None
    assert fuzzy_cutoff("abcde") == pytest.approx(0.83)
    assert fuzzy_cutoff("abcdefg") == pytest.approx(0.8)


def test_ambiguous_typo_is_not_guessed() -> None:
    names = {"abcdefg": "first", "abcdefh": "second"}
    assert best_fuzzy("abcdefx", names) is None
    assert best_fuzzy("abcdefg", names) is not None


@pytest.mark.parametrize("typed", ["hydroxychloroquine", "lamotrigine", "qwertyuiop", "vitamin d"])
def test_unknown_is_reported_not_dropped(typed: str) -> None:
    match = match_medication(typed)
    assert match.how is MatchKind.UNKNOWN
    assert not match.known
    assert match.generic is None
    assert _json(match)["how"] == "unknown"


def test_unknown_offers_suggestions() -> None:
    match = match_medication("hydroxychloroquine")
    assert "hydroxyzine" in match.suggestions


def test_several_medicines_in_one_entry() -> None:
    match = match_medication("gabapentin and alcohol")
    assert match.how is MatchKind.UNKNOWN
    assert set(match.suggestions) == {"gabapentin", "alcohol"}
    assert match.note is not None


def test_partial_match_asks_for_confirmation() -> None:
    match = match_medication("Allegra D")
    assert match.generic == "fexofenadine"
    assert match.partial
    assert match.confirmation is not None


def test_recognised_without_interaction_record() -> None:
    match = match_medication("ibuprofen")
    assert match.known
    assert match.classes == ()


def test_match_medications_skips_blanks_keeps_unknowns() -> None:
    matches = match_medications(["Xanax", " ", "zzzzzz"])
    assert [m.text for m in matches] == ["Xanax", "zzzzzz"]
    assert [m.known for m in matches] == [True, False]


def test_a_match_is_json_ready() -> None:
    data = _json(match_medication("Xanax"))
    assert data["generic"] == "alprazolam"
    assert data["how"] == "brand"
    assert data["class_labels"] == ["benzodiazepine", "medicine cleared by CYP3A4"]
    assert data["sources"]


def _all_names() -> list[tuple[str, str, MatchKind]]:
    rows = []
    for drug in load_knowledge().medications.drugs:
        rows.append((drug.generic, drug.generic, MatchKind.EXACT))
        rows += [(b, drug.generic, MatchKind.BRAND) for b in drug.brands]
        rows += [(s, drug.generic, MatchKind.SYNONYM) for s in drug.synonyms]
    return rows


@pytest.mark.parametrize(("name", "generic", "kind"), _all_names())
def test_every_packaged_name_resolves_to_its_entry(
    name: str, generic: str, kind: MatchKind
) -> None:
    match = match_medication(name)
    assert (match.generic, match.how) == (generic, kind)


@given(st.text(max_size=40))
@example("OPIATE")
def test_any_text_gives_a_consistent_match(text: str) -> None:
    match = match_medication(text)
    if match.how is MatchKind.CLASS:
        # A drug class typed instead of a medicine: checked as the class, no generic name.
        assert match.known and match.generic is None and match.classes
    elif match.known:
        assert match.generic is not None
    else:
        assert match.generic is None
        assert match.classes == ()


@pytest.mark.parametrize(
    ("typed", "class_id"),
    [
        ("benzos", "benzodiazepines"),
        ("Benzodiazepines", "benzodiazepines"),
        ("opioid painkillers", "opioids"),
        ("Opiates", "opioids"),
        ("SSRIs", "serotonergic"),
        ("Z-drugs", "z-drugs"),
        ("muscle relaxants", "muscle-relaxants"),
        ("MAOI", "maois"),
    ],
)
def test_a_class_named_instead_of_a_medicine_is_checked_as_the_class(
    typed: str, class_id: str
) -> None:
    match = match_medication(typed)
    assert match.how is MatchKind.CLASS and match.known
    assert match.classes == (class_id,) and match.generic is None
    assert match.note and "kind of medicine" in match.note and match.sources
    assert match.display_name.startswith(f"{typed} (any ")


@pytest.mark.parametrize("typed", ["opioid blocker", "antipsychotic", "opioid antagonist pills"])
def test_a_class_word_inside_other_words_is_not_a_class(typed: str) -> None:
    assert match_medication(typed).how is not MatchKind.CLASS


def test_benzos_are_an_interaction_to_avoid() -> None:
    from bedside.safety.profile import check_profile

    findings = check_profile(["benzos"], [], None, date(2026, 12, 1)).findings
    benzo = next(f for f in findings if "benzodiazepine" in f.id)
    assert benzo.severity.value == "avoid"


def _json(match: MedicationMatch) -> dict[str, Any]:
    """A match as the CLI and the API print it."""
    return MedicationMatchOut.model_validate(match, from_attributes=True).model_dump(mode="json")
