"""Export use cases for other systems: a FHIR R4 bundle and calendar reminders (.ics)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from bedside.domain.timekeeping import local_iso, parse_clock
from bedside.exporters import fhir
from bedside.exporters.ics import Reminder, clock_minus, reminders_calendar
from bedside.exporters.private_files import write_private
from bedside.services.backup import ExportOut
from bedside.services.diary import list_entries
from bedside.services.diary_schemas import DiaryOut
from bedside.services.doses import list_doses
from bedside.services.experiments.calendar import experiment_events
from bedside.services.experiments.plan import ACTIVE, NoExperimentError, get_experiment
from bedside.services.scope import Scope
from bedside.services.sleep import SleepNightOut, wearable_nights
from bedside.services.symptoms import list_pain, list_soreness

DEFAULT_MORNING = "08:00"


class FhirBundleOut(BaseModel):
    """The shape of the FHIR R4 ``Bundle`` download (documented in the OpenAPI schema)."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["Bundle"]  # noqa: N815 - FHIR's own field name
    id: str
    type: Literal["collection"]
    timestamp: str
    entry: list[dict[str, Any]]


def fhir_bundle(scope: Scope) -> dict[str, object]:
    """Pain, soreness and diary nights as Observations, doses as MedicationStatements."""
    scope.require_profile()
    measures: list[fhir.Measure] = []
    for pain in list_pain(scope):
        measures.append(
            fhir.Measure(
                f"pain-{pain.id}",
                "72514-3",
                fhir.LOINC,
                "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                pain.time,
                float(pain.score),
                "{score}",
                "{score}",
                "survey",
                f"location: {pain.location}" if pain.location else None,
            )
        )
    for sore in list_soreness(scope):
        measures.append(
            fhir.Measure(
                f"soreness-{sore.id}",
                "muscle-soreness",
                fhir.LOCAL_SYSTEM,
                f"Muscle soreness 0-10 ({sore.muscle_group.value})",
                sore.time,
                float(sore.score),
                "{score}",
                "{score}",
                "survey",
            )
        )
    for night in list_entries(scope):
        measures.extend(_diary_measures(night))
    measures.extend(_wearable_measures(wearable_nights(scope)))
    doses = [
        fhir.DoseRecord(
            f"dose-{d.id}",
            d.time,
            d.amount,
            d.unit.value,
            d.grams,
            d.product_name,
            d.reason.value if d.reason is not None else None,
        )
        for d in list_doses(scope)
    ]
    data = fhir.bundle(measures, doses, local_iso(scope.now, scope.tz))
    _check_r4(data)
    return data


def _check_r4(data: dict[str, object]) -> None:
    """Validate the bundle against FHIR R4 (R4B models); an invalid bundle is a bug here."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(data)


def _diary_measures(night: DiaryOut) -> list[fhir.Measure]:
    """Sleep duration (LOINC) and the other diary figures (Bedside codes) of one morning."""
    key, when = night.id, night.final_wake
    return [
        fhir.Measure(
            f"diary-{key}-tst",
            "93832-4",
            fhir.LOINC,
            "Sleep duration",
            when,
            round(night.total_sleep_time_min / 60, 4),
            "h",
            "h",
            "survey",
            "Consensus Sleep Diary, total sleep time",
        ),
        fhir.Measure(
            f"diary-{key}-sol",
            "sleep-onset-latency",
            fhir.LOCAL_SYSTEM,
            "Sleep onset latency (sleep diary)",
            when,
            float(night.sleep_onset_latency_min),
            "min",
            "min",
            "survey",
        ),
        fhir.Measure(
            f"diary-{key}-waso",
            "wake-after-sleep-onset",
            fhir.LOCAL_SYSTEM,
            "Wake after sleep onset (sleep diary)",
            when,
            float(night.wake_after_sleep_onset_min),
            "min",
            "min",
            "survey",
        ),
        fhir.Measure(
            f"diary-{key}-quality",
            "sleep-quality",
            fhir.LOCAL_SYSTEM,
            "Sleep quality 1-5 (sleep diary)",
            when,
            float(night.quality),
            "{score}",
            "{score}",
            "survey",
        ),
    ]


def _wearable_measures(nights: list[SleepNightOut]) -> list[fhir.Measure]:
    """Sleep duration (LOINC 93832-4) of each wearable night, saying which devices measured it."""
    return [
        fhir.Measure(
            f"wearable-{night.night.isoformat()}-tst",
            "93832-4",
            fhir.LOINC,
            "Sleep duration",
            night.sleep_end,
            round(night.asleep_min / 60, 4),
            "h",
            "h",
            "activity",
            "measured by " + (", ".join(night.devices) or "a wearable"),
        )
        for night in nights
        if night.asleep_min is not None and night.sleep_end is not None
    ]


def export_fhir(scope: Scope, path: Path) -> ExportOut:
    """Write the FHIR R4 bundle as JSON to ``path`` (a private 0600 file)."""
    data = fhir_bundle(scope)
    write_private(path, fhir_bytes(data))
    entries = data["entry"]
    assert isinstance(entries, list)
    counts: dict[str, int] = {}
    for entry in entries:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    return ExportOut(path=str(path), files=[path.name], counts=counts)


def fhir_file(scope: Scope) -> bytes:
    """The person's FHIR R4 bundle as the bytes of a file (what the download serves)."""
    return fhir_bytes(fhir_bundle(scope))


def fhir_bytes(data: dict[str, object]) -> bytes:
    """A bundle as UTF-8 JSON."""
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()


def reminders_ics(scope: Scope, morning: str | None = None) -> bytes:
    """The nightly intake reminder, the morning diary reminder and any running experiment."""
    profile = scope.require_profile()
    bedtime = parse_clock(profile.bedtime, "bedtime")
    wake = parse_clock(morning or DEFAULT_MORNING, "morning")
    tonight = scope.tonight()
    intake = clock_minus(bedtime, profile.lead_min)
    reminders = [
        Reminder(
            "bedside-intake-reminder@bedside.local",
            "Bedside: intake time",
            f"Your planned intake time, {profile.lead_min} minutes before your {profile.bedtime} "
            "bedtime. Open Bedside for tonight's plan and the pre-dose check.",
            intake,
            tonight,
        ),
        Reminder(
            "bedside-diary-reminder@bedside.local",
            "Bedside: morning sleep diary",
            "Fill in last night's sleep diary while you remember it (about a minute).",
            wake,
            tonight + timedelta(days=1),
        ),
    ]
    extra = []
    try:
        exp = get_experiment(scope)
    except NoExperimentError:
        exp = None
    if exp is not None and exp.status in ACTIVE:
        extra = experiment_events(scope, exp)
    return reminders_calendar(reminders, scope.tz, scope.now, extra)


def export_ics(scope: Scope, path: Path, morning: str | None = None) -> ExportOut:
    """Write the reminders calendar to ``path`` (a private 0600 file)."""
    data = reminders_ics(scope, morning)
    write_private(path, data)
    return ExportOut(
        path=str(path), files=[path.name], counts={"events": data.count(b"BEGIN:VEVENT")}
    )
