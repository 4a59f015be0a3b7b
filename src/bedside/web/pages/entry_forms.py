"""The logging forms, one description per kind of entry: fields, services, defaults, wording.

The log pages (new entries) and the edit/delete pages share these descriptions, so every form
parses, saves and re-renders the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from bedside.domain.errors import InputError
from bedside.services import activity, diary, doses, symptoms
from bedside.services.diary_schemas import DiaryOut
from bedside.services.doses_schemas import DoseOut
from bedside.services.scope import Scope
from bedside.services.symptoms_schemas import SorenessOut
from bedside.web.forms import FormValues, pick
from bedside.web.pages.common import local_now
from bedside.web.rendering import clock, label, local_input, night_name, number

Data = dict[str, object]


@dataclass(frozen=True)
class EntryForm:
    """How one kind of entry is entered, stored, edited and described."""

    kind: str
    title: str
    template: str
    to_data: Callable[[FormValues], Data]
    add: Callable[[Scope, Data], Any]
    get: Callable[[Scope, int], Any]
    update: Callable[[Scope, int, Data], Any]
    delete: Callable[[Scope, int], None]
    to_values: Callable[[Any], FormValues]
    describe: Callable[[Any], str]
    defaults: Callable[[Scope], FormValues]
    edit_to_data: Callable[[FormValues], Data] | None = None


def _when(out: Any) -> str:
    return f"at {clock(out.time)} on the night of {night_name(out.night)}"


# --- doses ---------------------------------------------------------------------------------

DOSE_FIELDS = (
    "amount",
    "unit",
    "time",
    "product_id",
    "batch_id",
    "grams_per_capsule",
    "reason",
    "pain_before",
    "note",
)


def dose_defaults(scope: Scope) -> FormValues:
    """A new dose: now, in grams, and no amount: the person types what they take.

    Logging the last dose again is a separate offer (:func:`repeat_dose`), made only when its
    amount is within the person's caps.
    """
    return FormValues.of({"time": local_now(scope), "unit": "g"})


def repeat_dose(last: DoseOut) -> Data:
    """The fields that log the same dose again ("Log the same as last time")."""
    return {
        "amount": number(last.amount, 3),
        "unit": last.unit,
        "product_id": last.product_id,
        "reason": last.reason,
        "grams_per_capsule": _per_capsule(last),
    }


def _per_capsule(dose: DoseOut) -> str | None:
    if dose.unit.value != "capsules" or dose.grams is None:
        return None
    return number(dose.grams / dose.amount, 3)


def dose_values(dose: DoseOut) -> FormValues:
    """A stored dose as form values."""
    return FormValues.of(
        {
            "amount": number(dose.amount, 3),
            "unit": dose.unit,
            "time": local_input(dose.time),
            "product_id": dose.product_id,
            "batch_id": dose.batch_id,
            "grams_per_capsule": _per_capsule(dose),
            "reason": dose.reason,
            "pain_before": dose.pain_before,
            "note": dose.note,
        }
    )


def describe_dose(dose: DoseOut) -> str:
    """``the dose of 3 g (Red Bali) at 22:00 on the night of Sat 8 Mar 2025``."""
    product = f" ({dose.product_name})" if dose.product_name else ""
    return f"the dose of {number(dose.amount, 3)} {dose.unit.value}{product} {_when(dose)}"


# --- pain and soreness ------------------------------------------------------------------------


def soreness_data(values: FormValues) -> Data:
    """Soreness ratings from ``ratings.GROUP`` fields (blank groups are not rated)."""
    ratings = {group: score.strip() for group, score in values.with_prefix("ratings.")}
    ratings = {group: score for group, score in ratings.items() if score}
    if not ratings:
        raise InputError("ratings", "rate at least one muscle group from 0 to 10")
    return {"ratings": ratings, **pick(values, ("time", "note"))}


def soreness_edit_data(values: FormValues) -> Data:
    """One soreness rating from the edit form (muscle group, score, time, note)."""
    group = values.get("muscle_group").strip()
    score = values.get("score").strip()
    if not score.isdigit() or not 0 <= int(score) <= 10:
        raise InputError("score", "give a whole number from 0 (none) to 10 (worst)")
    return {"ratings": {group: score}, **pick(values, ("time", "note"))}


def soreness_values(entry: SorenessOut) -> FormValues:
    """A stored soreness rating as edit-form values."""
    return FormValues.of(
        {
            "muscle_group": entry.muscle_group,
            "score": entry.score,
            "time": local_input(entry.time),
            "note": entry.note,
        }
    )


# --- diary ----------------------------------------------------------------------------------

DIARY_FIELDS = (
    "night",
    "bedtime",
    "tried",
    "sol_min",
    "awakenings",
    "waso_min",
    "final_wake",
    "out_of_bed",
    "quality",
    "rested",
    "nap_count",
    "nap_min",
    "comment",
)


def diary_defaults(scope: Scope, night: date | None = None) -> FormValues:
    """Only the night (last night, the one that just ended): every answer starts empty.

    The person's usual times are shown as hints (:func:`diary_hints`), never filled in, so
    nothing is saved that they did not type.
    """
    now = scope.now.astimezone(scope.tz)
    return FormValues.of({"night": (night or now.date() - timedelta(days=1)).isoformat()})


def diary_hints(scope: Scope) -> dict[str, str]:
    """The person's usual diary times, for placeholders on a new diary form."""
    usual = diary.usual_times(scope).model_dump()
    return {name: value for name, value in usual.items() if value is not None}


def diary_values(entry: DiaryOut) -> FormValues:
    """A stored diary entry as form values (times as HH:MM on the night)."""
    data = entry.model_dump(include=set(DIARY_FIELDS))
    for name in ("bedtime", "tried", "final_wake", "out_of_bed"):
        data[name] = clock(data[name])
    return FormValues.of(data)


# --- the registry ---------------------------------------------------------------------------


def _values(*names: str, lists: tuple[str, ...] = ()) -> Callable[[Any], FormValues]:
    def convert(out: BaseModel) -> FormValues:
        data = out.model_dump(include={*names, *lists})
        if "time" in data:
            data["time"] = local_input(data["time"])
        return FormValues.of(
            {k: number(v, 3) if isinstance(v, float) else v for k, v in data.items()}
        )

    return convert


def _now(scope: Scope) -> FormValues:
    return FormValues.of({"time": local_now(scope)})


FORMS: dict[str, EntryForm] = {
    "dose": EntryForm(
        kind="dose",
        title="Dose",
        template="forms/dose.html",
        to_data=lambda v: pick(v, DOSE_FIELDS),
        add=doses.add_dose,
        get=doses.get_dose,
        update=doses.update_dose,
        delete=doses.delete_dose,
        to_values=dose_values,
        describe=describe_dose,
        defaults=dose_defaults,
    ),
    "pain": EntryForm(
        kind="pain",
        title="Pain",
        template="forms/pain.html",
        to_data=lambda v: pick(v, ("score", "location", "time", "note")),
        add=symptoms.add_pain,
        get=symptoms.get_pain,
        update=symptoms.update_pain,
        delete=symptoms.delete_pain,
        to_values=_values("score", "location", "time", "note"),
        describe=lambda p: f"the pain rating of {p.score}/10 {_when(p)}",
        defaults=_now,
    ),
    "soreness": EntryForm(
        kind="soreness",
        title="Soreness",
        template="forms/soreness.html",
        to_data=soreness_data,
        add=symptoms.add_soreness,
        get=symptoms.get_soreness,
        update=symptoms.replace_soreness,
        delete=symptoms.delete_soreness,
        to_values=soreness_values,
        describe=lambda s: f"{label(s.muscle_group)} soreness {s.score}/10 {_when(s)}",
        defaults=_now,
        edit_to_data=soreness_edit_data,
    ),
    "workout": EntryForm(
        kind="workout",
        title="Workout",
        template="forms/workout.html",
        to_data=lambda v: pick(
            v,
            ("kind", "duration_min", "time", "rpe", "energy_kcal", "note"),
            lists=("muscle_groups",),
            flags=("eccentric", "new_work"),
        ),
        add=activity.add_workout,
        get=activity.get_workout,
        update=activity.update_workout,
        delete=activity.delete_workout,
        to_values=_values(
            "kind",
            "duration_min",
            "time",
            "rpe",
            "energy_kcal",
            "note",
            "eccentric",
            "new_work",
            lists=("muscle_groups",),
        ),
        describe=lambda w: f"the {w.kind} workout ({number(w.duration_min)} min) {_when(w)}",
        defaults=_now,
    ),
    "intake": EntryForm(
        kind="intake",
        title="Alcohol, caffeine or medication",
        template="forms/intake.html",
        to_data=lambda v: pick(v, ("kind", "amount", "unit", "name", "time", "note")),
        add=activity.add_intake,
        get=activity.get_intake,
        update=activity.update_intake,
        delete=activity.delete_intake,
        to_values=_values("kind", "amount", "unit", "name", "time", "note"),
        describe=lambda i: f"the {i.name or i.kind.value} entry {_when(i)}",
        defaults=lambda scope: FormValues.of({"time": local_now(scope), "kind": "alcohol"}),
    ),
    "diary": EntryForm(
        kind="diary",
        title="Morning diary",
        template="forms/diary.html",
        to_data=lambda v: pick(v, DIARY_FIELDS),
        add=diary.add_entry,
        get=diary.get_entry_by_id,
        update=diary.update_entry,
        delete=diary.delete_entry,
        to_values=diary_values,
        describe=lambda d: f"the sleep diary of the night of {night_name(d.night)}",
        defaults=diary_defaults,
    ),
}

LOG_KINDS = ("dose", "pain", "soreness", "workout", "intake")
