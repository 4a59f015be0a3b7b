"""Edits change only what is given (``…Update`` models), and the CLI's other rules live here.

These rules used to be written out in the CLI commands; the web and scripts now get the same
behaviour from one service call.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from bedside.domain.dosing import DoseUnit
from bedside.domain.errors import InputError
from bedside.services import diary, doses, products, profiles
from bedside.services.diary_schemas import DiaryIn, DiaryUpdate
from bedside.services.doses_schemas import DoseIn, DoseUpdate
from bedside.services.file_analysis import FileAnalysisRequest, analyze_csv
from bedside.services.products_schemas import ProductIn, ProductUpdate
from bedside.services.profiles_schemas import ProfileIn
from bedside.services.runtime import Bedside
from bedside.services.schema_base import Partial, Schema
from bedside.services.sleep_priority import get_priority, set_priority_as_written
from bedside.settings import load_settings

NOW = datetime(2025, 5, 3, 12, 0, tzinfo=UTC)
REFERENCE = Path(__file__).resolve().parents[2] / "data" / "nof1" / "hpi_classroom_sleep_nof1.csv"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Bedside]:
    """A started Bedside on a real SQLite file, with a profile in New York."""
    started = Bedside(
        load_settings(db=str(tmp_path / "edits.db"), environ={}), clock=lambda: NOW
    ).start()
    with started.scope() as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York", "bedtime": "23:00"})
    yield started
    started.close()


def test_a_dose_edit_keeps_what_was_not_given(app: Bedside) -> None:
    with app.scope() as s:
        dose = doses.add_dose(
            s, {"time": "2025-05-01T21:00", "amount": 2, "reason": "pain", "note": "after run"}
        )
        edited = doses.edit_dose(s, dose.id, {"amount": 2.5})
    assert edited.amount == 2.5 and edited.grams == 2.5
    assert (edited.time, edited.reason, edited.note) == (dose.time, dose.reason, dose.note)


def test_a_field_given_as_none_is_cleared(app: Bedside) -> None:
    with app.scope() as s:
        dose = doses.add_dose(s, {"time": "2025-05-01T21:00", "amount": 2, "note": "x"})
        assert doses.edit_dose(s, dose.id, DoseUpdate()).note == "x"
        assert doses.edit_dose(s, dose.id, DoseUpdate(note=None)).note is None


def test_a_capsule_dose_keeps_its_capsule_weight(app: Bedside) -> None:
    with app.scope() as s:
        dose = doses.add_dose(
            s,
            {"time": "2025-05-01T21:00", "amount": 2, "unit": "capsules", "grams_per_capsule": 0.5},
        )
        edited = doses.edit_dose(s, dose.id, {"amount": 4})
    assert edited.unit is DoseUnit.CAPSULES and edited.grams == pytest.approx(2.0)


def test_another_product_brings_its_own_capsule_weight_and_batch(app: Bedside) -> None:
    with app.scope() as s:
        first = products.add_product(
            s, {"name": "Red", "form": "capsules", "grams_per_capsule": 0.5}
        )
        products.add_batch(s, first.id, {"lot": "R1"})
        second = products.add_product(
            s, {"name": "Green", "form": "capsules", "grams_per_capsule": 0.8}
        )
        newest = products.add_batch(s, second.id, {"lot": "G2"})
        dose = doses.add_dose(
            s, {"time": "2025-05-01T21:00", "amount": 2, "unit": "capsules", "product_id": first.id}
        )
        edited = doses.edit_dose(s, dose.id, {"product_id": second.id})
    assert edited.grams == pytest.approx(1.6)
    assert (edited.product_id, edited.batch_id, edited.lot) == (second.id, newest.id, "G2")


def test_an_edit_is_validated_as_a_whole(app: Bedside) -> None:
    with app.scope() as s:
        dose = doses.add_dose(s, {"time": "2025-05-01T21:00", "amount": 2})
        with pytest.raises(InputError) as refused:
            doses.edit_dose(s, dose.id, {"amount": -1})
        with pytest.raises(InputError) as unknown:
            doses.edit_dose(s, dose.id, {"grams": 3})
    assert refused.value.field == "amount"
    assert unknown.value.field == "grams"


def test_a_product_edit_keeps_what_was_not_given(app: Bedside) -> None:
    with app.scope() as s:
        product = products.add_product(s, {"name": "Red", "vendor": "Shop", "strain": "Bali"})
        edited = products.edit_product(s, product.id, {"name": "Red Bali"})
    assert (edited.name, edited.vendor, edited.strain) == ("Red Bali", "Shop", "Bali")


def test_a_diary_edit_keeps_the_other_answers(app: Bedside) -> None:
    answers = {
        "night": "2025-05-01",
        "bedtime": "23:00",
        "tried": "23:00",
        "sol_min": 10,
        "awakenings": 0,
        "waso_min": 0,
        "final_wake": "07:00",
        "out_of_bed": "07:00",
        "quality": 3,
        "comment": "noisy street",
    }
    with app.scope() as s:
        diary.add_entry(s, answers)
        entry = diary.edit_night(s, date(2025, 5, 1), {"quality": 5, "sol_min": 30})
    assert (entry.quality, entry.total_sleep_time_min) == (5, 450)
    assert (entry.comment, entry.bedtime) == ("noisy street", "2025-05-01T23:00:00-04:00")


def test_sleep_priority_is_read_as_written(app: Bedside) -> None:
    with app.scope() as s:
        changed = set_priority_as_written(s, ["oura > apple_watch", "garmin"])
        assert changed.order[:3] == ["oura", "apple_watch", "garmin"]
        with pytest.raises(InputError) as empty:
            set_priority_as_written(s, [", >"])
    assert empty.value.field == "order"
    with app.scope() as s:
        assert get_priority(s).order[:3] == ["oura", "apple_watch", "garmin"]


def test_file_analysis_is_typed_and_mistakes_name_the_file(tmp_path: Path) -> None:
    request = FileAnalysisRequest(
        path=str(REFERENCE),
        outcome="sleep_quality_0_10",
        condition="condition",
        treatment="Warm milk",
        day="study_day",
        where=(("participant", "milk_P1"),),
    )
    result = analyze_csv(request)
    assert result.pairs == pytest.approx([-1.083, -1.857], abs=5e-4)
    assert result.model_dump()["status"] == "too_few_pairs"  # every key is kept
    with pytest.raises(InputError) as missing:
        analyze_csv(request.model_copy(update={"path": str(tmp_path / "none.csv")}))
    assert missing.value.field == "file" and "cannot find the file" in missing.value.message


@pytest.mark.parametrize(
    ("update", "source", "left_out"),
    [
        (DoseUpdate, DoseIn, set()),
        (ProductUpdate, ProductIn, set()),
        (DiaryUpdate, DiaryIn, {"night"}),
    ],
)
def test_an_update_model_offers_every_field_of_its_input_model_and_requires_none(
    update: type[Schema], source: type[Schema], left_out: set[str]
) -> None:
    assert list(update.model_fields) == [n for n in source.model_fields if n not in left_out]
    assert not any(field.is_required() for field in update.model_fields.values())
    assert update.model_validate({}).model_dump(exclude_unset=True) == {}


@pytest.mark.parametrize(
    ("update", "changes"),
    [
        (DoseUpdate, {"amount": 0}),  # the input model's gt=0
        (DoseUpdate, {"pain_before": 11}),  # Score's 0-10
        (DoseUpdate, {"amount": True}),  # the base's "no booleans for numbers"
        (DoseUpdate, {"note": "x" * 2001}),  # Text's length
        (DoseUpdate, {"amuont": 2}),  # a typo is refused, never dropped
        (ProductUpdate, {"grams_per_capsule": 6}),
        (ProductUpdate, {"name": ""}),
        (DiaryUpdate, {"night": "2025-05-01"}),  # the night of a diary stays
        (DiaryUpdate, {"comment": "\x1b[2J"}),  # control characters
    ],
)
def test_an_update_model_keeps_the_rules_of_its_input_model(
    update: type[Schema], changes: dict[str, object]
) -> None:
    with pytest.raises(ValidationError):
        update.model_validate(changes)


def test_an_update_model_keeps_the_field_validators_of_its_input_model() -> None:
    class ProfileUpdate(Partial, of=ProfileIn):
        """Profile fields to change."""

    with pytest.raises(ValidationError, match="HH:MM"):
        ProfileUpdate.model_validate({"bedtime": "2230"})
    assert ProfileUpdate.model_validate({"region": "us-ny"}).region == "US-NY"
