"""Schema tests for the packaged knowledge data: every record has sources and as_of."""

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
REFERENCE = Path("/work/shared/reference")


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
def test_every_record_has_as_of(label: str, record: dict[str, Any]) -> None:
    assert "as_of" in record, f"{label} has no as_of"
    date.fromisoformat(record["as_of"])


def test_medication_table_has_as_of() -> None:
    date.fromisoformat(_raw()["medications"]["as_of"])


def test_everything_validates() -> None:
    knowledge = load_knowledge()
    assert len(knowledge.interactions) == 20
    assert len(knowledge.legal) == 93
    assert len(knowledge.conditions) >= 5
    assert knowledge.medications.drugs


@pytest.mark.parametrize("field", ["sources", "as_of"])
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
    ):
        assert knowledge.interaction(record_id).severity is Severity.AVOID, record_id
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
    alabama = load_knowledge().legal_record("US-AL")
    assert alabama is not None
    assert alabama.as_of == date(2025, 1, 1)
    assert alabama.as_of_precision == "year"


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
