"""Schema tests for the packaged knowledge data: every record has sources, as_of and checked_on."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bedside.knowledge import (
    LegalCategory,
    Severity,
    UnknownRecordError,
    build_knowledge,
    load_knowledge,
)
from bedside.knowledge.loader import DATA_FILES, MEDICATIONS_FILE, read_data_file

URL = re.compile(r"^https?://\S+$")
# The shared reference material sits beside the checkout (``../shared/reference``).
REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "reference"


def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = {
        name.removesuffix(".json"): read_data_file(name)["records"] for name in DATA_FILES
    }
    raw["medications"] = read_data_file(MEDICATIONS_FILE)
    return raw


def _user_records() -> list[tuple[str, dict[str, Any]]]:
    raw = _raw()
    records = [
        (f"{kind}:{r.get('id', r.get('code'))}", r)
        for kind in ("interactions", "conditions", "facts", "legal")
        for r in raw[kind]
    ]
    records += [(f"class:{c['id']}", c) for c in raw["medications"]["classes"]]
    records += [(f"drug:{d['generic']}", d) for d in raw["medications"]["drugs"]]
    return records


def test_data_files_are_packaged() -> None:
    data = resources.files("bedside.knowledge").joinpath("data")
    for name in (*DATA_FILES, MEDICATIONS_FILE):
        assert data.joinpath(name).is_file(), name


@pytest.mark.parametrize(
    ("label", "record"), _user_records(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_record_has_sources(label: str, record: dict[str, Any]) -> None:
    sources = record.get("sources")
    assert sources, f"{label} has no sources"
    assert all(URL.match(url) for url in sources), label


@pytest.mark.parametrize(
    ("label", "record"),
    [(label, r) for label, r in _user_records() if not label.startswith(("class:", "drug:"))],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_record_has_as_of_and_checked_on(label: str, record: dict[str, Any]) -> None:
    assert "as_of" in record, f"{label} has no as_of"
    assert "checked_on" in record, f"{label} has no checked_on"
    assert date.fromisoformat(record["as_of"]) <= date.fromisoformat(record["checked_on"]), label


def test_medication_table_has_as_of() -> None:
    date.fromisoformat(_raw()["medications"]["as_of"])


def test_everything_validates() -> None:
    knowledge = load_knowledge()
    assert len(knowledge.interactions) == 21
    assert len(knowledge.legal) == 93
    assert len(knowledge.conditions) == 10
    assert knowledge.medications.drugs


@pytest.mark.parametrize("field", ["sources", "as_of", "checked_on"])
@pytest.mark.parametrize("kind", ["interactions", "conditions", "facts", "legal"])
def test_missing_provenance_is_rejected(kind: str, field: str) -> None:
    raw = copy.deepcopy(_raw())
    del raw[kind][0][field]
    with pytest.raises(ValidationError):
        build_knowledge(raw)


def test_empty_sources_are_rejected() -> None:
    raw = copy.deepcopy(_raw())
    raw["interactions"][0]["sources"] = []
    with pytest.raises(ValidationError):
        build_knowledge(raw)


def test_uncertain_record_needs_a_note() -> None:
    raw = copy.deepcopy(_raw())
    raw["facts"][0]["uncertain"] = True
    raw["facts"][0].pop("uncertainty_note", None)
    with pytest.raises(ValidationError):
        build_knowledge(raw)


def test_drug_class_must_exist() -> None:
    raw = copy.deepcopy(_raw())
    raw["medications"]["drugs"][0]["classes"] = ["not-a-class"]
    with pytest.raises(ValidationError, match="unknown ids"):
        build_knowledge(raw)


def test_legal_parent_must_exist() -> None:
    raw = copy.deepcopy(_raw())
    state = next(r for r in raw["legal"] if r["level"] == "state")
    state["parent"] = "ZZ"
    with pytest.raises(ValidationError, match="parent"):
        build_knowledge(raw)


def test_loading_is_cached() -> None:
    assert load_knowledge() is load_knowledge()


def test_unknown_ids_raise() -> None:
    with pytest.raises(UnknownRecordError):
        load_knowledge().interaction("nope")
    assert load_knowledge().legal_record("zz") is None


def test_design_severities() -> None:
    knowledge = load_knowledge()
    for record_id in (
        "opioids",
        "benzodiazepines",
        "alcohol",
        "gabapentinoids",
        "sedating-antipsychotics",
        "concentrated-7-oh",
        "buprenorphine",
    ):
        assert knowledge.interaction(record_id).severity is Severity.AVOID, record_id
    assert knowledge.interaction("opioid-antagonists").severity is Severity.CAUTION
    assert knowledge.condition("copd").severity is Severity.AVOID
    assert knowledge.condition("sleep-apnea").severity is Severity.CAUTION
    assert knowledge.condition("asthma-chronic-lung-disease").severity is Severity.CAUTION
    for record_id in ("z-drugs", "sedating-antihistamines", "muscle-relaxants"):
        assert knowledge.interaction(record_id).severity >= Severity.CAUTION, record_id


def test_sedating_classes() -> None:
    sedating = {r.id for r in load_knowledge().interactions if r.sedating}
    assert sedating == {
        "opioids",
        "benzodiazepines",
        "alcohol",
        "gabapentinoids",
        "z-drugs",
        "sedating-antihistamines",
        "sedating-antipsychotics",
        "muscle-relaxants",
        "concentrated-7-oh",
        "buprenorphine",
    }


@pytest.mark.parametrize(
    ("record_id", "kind"),
    [
        ("US-KS", "legal"),
        ("US", "legal"),
        ("US-FL", "legal"),
        ("US-OH", "legal"),
        ("US-DC", "legal"),
        ("VN", "legal"),
        ("withdrawal-time-course", "fact"),
        ("seven-oh-regulation", "fact"),
        ("bedtime-timing", "fact"),
        ("leaf-alkaloid-content", "fact"),
        ("gabapentinoids", "interaction"),
        ("maois", "interaction"),
    ],
)
def test_uncertain_or_pending_facts_are_marked(record_id: str, kind: str) -> None:
    knowledge = load_knowledge()
    record = {
        "legal": knowledge.legal_record,
        "fact": knowledge.fact,
        "interaction": knowledge.interaction,
    }[kind](record_id)
    assert record is not None
    assert record.uncertain
    assert record.uncertainty_note


def test_every_unclear_legal_record_is_uncertain() -> None:
    for record in load_knowledge().legal:
        if LegalCategory.UNCLEAR in (record.status, record.seven_oh_status):
            assert record.uncertain, record.code


def test_partial_dates_keep_their_precision() -> None:
    australia = load_knowledge().legal_record("AU")
    assert australia is not None
    assert (australia.as_of, australia.as_of_precision) == (date(2004, 1, 1), "year")
    assert australia.as_of_text == "2004"
    assert australia.checked_on == date(2026, 12, 5)
    alabama = load_knowledge().legal_record("US-AL")
    assert alabama is not None
    assert (alabama.as_of_text, alabama.checked_on) == ("2016-05-10", date(2026, 12, 5))


def test_checked_on_before_as_of_is_rejected() -> None:
    raw = copy.deepcopy(_raw())
    raw["legal"][0]["checked_on"] = "2000-01-01"
    with pytest.raises(ValidationError, match="checked_on"):
        build_knowledge(raw)


_NUMBER = re.compile(r"\d+(?:\.\d+)?(?!\d|-OH)")  # figures, not the 7 of "7-OH"


@pytest.mark.parametrize(
    ("label", "record"),
    [(label, r) for label, r in _user_records() if r.get("uncertainty_note")],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_uncertainty_notes_only_name_figures_the_record_states(
    label: str, record: dict[str, Any]
) -> None:
    """A "Not verified" note is shown after the record's summary, so its figures must be there."""
    missing = set(_NUMBER.findall(record["uncertainty_note"])) - set(
        _NUMBER.findall(record["summary"])
    )
    assert not missing, f"{label}: the note mentions {sorted(missing)}, the summary does not"


# Packaged ids that differ from the reference ids (the reference spells some classes out).
_REFERENCE_IDS = {
    "sedating-antipsychotics": "quetiapine-and-sedating-antipsychotics",
    "p-gp-substrates": "p-glycoprotein-substrates",
    "opioid-antagonists": "opioid-antagonists-and-partial-agonists",
    "serotonergic": "ssri-snri-serotonergic",
    "qt-prolonging": "qt-prolonging-drugs",
    "seizure-threshold-lowering": "seizure-threshold-lowering-drugs",
    "hepatotoxic": "hepatotoxic-drugs",
    "concentrated-7-oh": "concentrated-7-oh-products",
}


def _reference_date(text: str) -> tuple[date, str]:
    parts = text.split("-")
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    padded = [*parts, "01", "01"][:3]
    return date(int(padded[0]), int(padded[1]), int(padded[2])), precision


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not available")
def test_dates_sources_and_severities_follow_the_reference() -> None:
    knowledge = load_knowledge()
    legal = json.loads((REFERENCE / "legal-status.json").read_text(encoding="utf-8"))
    for ref in legal:
        record = knowledge.legal_record(ref["code"])
        assert record is not None, ref["code"]
        assert (record.as_of, record.as_of_precision) == _reference_date(ref["as_of"]), ref["code"]
        assert record.checked_on == date.fromisoformat(ref["checked_on"]), ref["code"]
        assert list(record.sources) == ref["sources"], ref["code"]
        assert record.status.value == ref["status"], ref["code"]
    interactions = json.loads((REFERENCE / "interactions.json").read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in interactions}
    assert len(by_id) == len(knowledge.interactions)
    for record in knowledge.interactions:
        ref = by_id[_REFERENCE_IDS.get(record.id, record.id)]
        assert (record.as_of, record.as_of_precision) == _reference_date(ref["as_of"]), record.id
        assert record.checked_on == date.fromisoformat(ref["checked_on"]), record.id
        assert list(record.sources) == ref["sources"], record.id
        assert record.severity.value == ref["severity"], record.id


def _shingles(text: str, size: int = 8) -> set[str]:
    words = re.findall(r"[a-z0-9%]+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not available")
def test_summaries_are_in_our_own_words() -> None:
    reference = _shingles((REFERENCE / "kratom-facts.md").read_text(encoding="utf-8"))
    for record in json.loads((REFERENCE / "interactions.json").read_text(encoding="utf-8")):
        reference |= _shingles(record["summary"] + " " + record["mechanism"])
    for record in json.loads((REFERENCE / "legal-status.json").read_text(encoding="utf-8")):
        reference |= _shingles(record["notes"])
    knowledge = load_knowledge()
    records = [*knowledge.interactions, *knowledge.conditions, *knowledge.facts, *knowledge.legal]
    for record in records:
        shared = _shingles(record.summary) & reference
        assert not shared, (record.summary[:40], shared)


def test_nothing_is_loaded_at_import_time() -> None:
    code = (
        "import bedside.knowledge as k, bedside.safety.profile, bedside.safety.predose, "
        "bedside.safety.signals, bedside.safety.legal; "
        "print(k.load_knowledge.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
