"""CSV files for spreadsheets and statistics packages, and the data dictionary that explains them.

Each entity is one CSV with a header row; instants are ISO 8601 in UTC (the ``tz``/``zone``
column says where the person was), nights are the evening's date, lists are JSON. The data
dictionary lists every column of every file with its type, unit and meaning.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

DATA_DICTIONARY = "data-dictionary.csv"

#: (unit, meaning) of a column, by its name in any file.
COMMON: dict[str, tuple[str, str]] = {
    "id": ("", "row number inside this export (other files refer to it); not a database id"),
    "tz": ("IANA zone", "the time zone the person was in"),
    "zone": ("IANA zone", "the time zone of the recording, when known"),
    "night": ("date", "the night the entry belongs to: the date of its evening (12:00 split)"),
    "at": ("UTC instant", "when it happened"),
    "note": ("", "the person's own note"),
    "created_at": ("UTC instant", "when the entry was saved"),
    "updated_at": ("UTC instant", "when the entry was last changed"),
    "start_at": ("UTC instant", "start"),
    "end_at": ("UTC instant", "end"),
    "score": ("0-10", "rating on a 0-10 numeric scale (10 worst for pain and soreness)"),
    "source_id": ("", "id of the wearable source in wearable_sources.csv"),
    "product_id": ("", "id of the product in products.csv"),
    "batch_id": ("", "id of the batch in batches.csv"),
    "experiment_id": ("", "id of the experiment in experiments.csv"),
    "dose_id": ("", "id of the dose in doses.csv"),
    "key_hash": ("", "fingerprint used to recognise a re-imported record"),
    "offset_min": ("minutes", "UTC offset the device recorded"),
    "awakenings": ("count", "number of awakenings"),
    "asleep_min": ("minutes", "time asleep"),
    "deep_min": ("minutes", "deep sleep"),
    "core_min": ("minutes", "core (light) sleep"),
    "rem_min": ("minutes", "REM sleep"),
    "awake_min": ("minutes", "time awake in the session"),
    "is_main": ("true/false", "the main sleep of the night (not a nap)"),
    "source_name": ("", "the device or app that recorded it"),
    "grams_per_capsule": ("g", "grams of leaf per capsule"),
}

#: (unit, meaning) of columns whose meaning depends on the file.
SPECIFIC: dict[tuple[str, str], tuple[str, str]] = {
    ("profiles", "timezone"): ("IANA zone", "home time zone"),
    ("profiles", "region"): ("ISO 3166", "where the person lives (for the legal status)"),
    ("profiles", "bedtime"): ("HH:MM local", "target bedtime"),
    ("profiles", "lead_min"): ("minutes", "intake this long before bedtime"),
    ("profiles", "wind_down"): ("JSON list", "wind-down steps (text, minutes before bedtime)"),
    ("profiles", "cap_dose_g"): ("g", "the person's own cap per dose"),
    ("profiles", "cap_day_g"): ("g", "the person's own cap per day"),
    ("profiles", "cap_days_week"): ("days", "the person's own cap of use days per week"),
    ("profiles", "medications"): ("JSON list", "regular medications"),
    ("profiles", "conditions"): ("JSON list", "health conditions"),
    ("profiles", "sleep_priority"): ("JSON list", "wearable device classes, believed first"),
    ("products", "name"): ("", "product name"),
    ("products", "strain"): ("", "strain as labelled (a vendor's claim)"),
    ("products", "colour"): ("", "vein colour as labelled (a vendor's claim)"),
    ("products", "region_label"): ("", "origin as labelled (a vendor's claim)"),
    ("products", "form"): ("", "powder, capsule, extract, ..."),
    ("products", "vendor"): ("", "who sold it"),
    ("batches", "lot"): ("", "lot or batch number"),
    ("batches", "mitragynine_pct"): ("% w/w", "mitragynine content from the lab report"),
    ("batches", "seven_oh_pct"): ("% w/w", "7-hydroxymitragynine content from the lab report"),
    ("batches", "tested_on"): ("date", "date of the lab report"),
    ("batches", "lab"): ("", "laboratory"),
    ("batches", "contaminants_passed"): ("true/false", "the contaminant panel passed"),
    ("doses", "taken_at"): ("UTC instant", "when the dose was taken"),
    ("doses", "amount"): ("see unit", "amount as logged"),
    ("doses", "unit"): ("", "unit of the amount (g, capsule, ml ...)"),
    ("doses", "grams"): ("g", "amount in grams, when it can be known"),
    ("doses", "reason"): ("", "why: pain, sleep, soreness, other"),
    ("doses", "pain_before"): ("0-10", "pain before the dose"),
    ("diary_entries", "bedtime"): ("UTC instant", "got into bed (Consensus Sleep Diary Q1)"),
    ("diary_entries", "tried"): ("UTC instant", "tried to sleep (Q2)"),
    ("diary_entries", "sol_min"): ("minutes", "time to fall asleep (Q3)"),
    ("diary_entries", "awakenings"): ("count", "awakenings, not counting the last (Q4)"),
    ("diary_entries", "waso_min"): ("minutes", "time awake after sleep onset (Q5)"),
    ("diary_entries", "final_wake"): ("UTC instant", "final awakening (Q6)"),
    ("diary_entries", "out_of_bed"): ("UTC instant", "got out of bed (Q7)"),
    ("diary_entries", "quality"): ("1-5", "sleep quality, 1 very poor to 5 very good (Q8)"),
    ("diary_entries", "rested"): ("1-5", "how rested, 1 not at all to 5 very (Q9)"),
    ("diary_entries", "nap_count"): ("count", "naps the day before"),
    ("diary_entries", "nap_min"): ("minutes", "total nap time"),
    ("diary_entries", "comment"): ("", "the person's comment"),
    ("diary_entries", "definition_version"): ("", "version of the diary definition used"),
    ("pain_entries", "location"): ("", "where it hurts"),
    ("soreness_entries", "muscle_group"): ("", "muscle group rated"),
    ("workouts", "kind"): ("", "type of workout"),
    ("workouts", "duration_min"): ("minutes", "duration"),
    ("workouts", "rpe"): ("1-10", "rating of perceived exertion"),
    ("workouts", "muscle_groups"): ("JSON list", "muscle groups worked"),
    ("workouts", "eccentric"): ("true/false", "mostly eccentric work"),
    ("workouts", "new_work"): ("true/false", "unaccustomed exercise"),
    ("workouts", "energy_kcal"): ("kcal", "energy the device estimated"),
    ("workouts", "source"): ("", "manual, or the importer it came from"),
    ("workouts", "source_key"): ("", "the imported record's fingerprint"),
    ("intakes", "kind"): ("", "alcohol, caffeine or medication"),
    ("intakes", "amount"): ("see unit", "standard drinks, mg of caffeine, or the medicine's dose"),
    ("intakes", "unit"): ("", "unit of the amount"),
    ("intakes", "name"): ("", "the medicine or drink"),
    ("wearable_sources", "importer"): ("", "the importer that read it (apple, fitbit ...)"),
    ("sleep_segments", "stage"): ("", "in bed, asleep, deep, core, REM or awake"),
    ("sleep_segments", "device"): ("", "the recording device"),
    ("sleep_summaries", "external_id"): ("", "the vendor's id of the summary"),
    ("health_samples", "kind"): ("", "heart rate, resting heart rate, HRV or respiratory rate"),
    ("health_samples", "at_epoch"): ("seconds since 1970 UTC", "when it was measured"),
    ("health_samples", "value"): ("bpm, ms or breaths/min", "the reading (unit by kind)"),
    ("sleep_nights", "source"): ("", "device class of the night's figures"),
    ("sleep_nights", "session_start"): ("UTC instant", "first minute in bed or asleep"),
    ("sleep_nights", "session_end"): ("UTC instant", "last minute in bed or asleep"),
    ("sleep_nights", "sleep_start"): ("UTC instant", "first minute asleep"),
    ("sleep_nights", "sleep_end"): ("UTC instant", "last minute asleep"),
    ("sleep_nights", "in_bed_min"): ("minutes", "time in bed"),
    ("sleep_nights", "hr_mean"): ("bpm", "mean heart rate asleep"),
    ("sleep_nights", "hrv_mean"): ("ms", "mean heart-rate variability asleep"),
    ("sleep_nights", "sources"): ("JSON list", "every source that contributed"),
    ("import_runs", "importer"): ("", "the importer used"),
    ("import_runs", "file_name"): ("", "the file imported"),
    ("import_runs", "file_size"): ("bytes", "its size"),
    ("import_runs", "started_at"): ("UTC instant", "when the import started"),
    ("import_runs", "finished_at"): ("UTC instant", "when it finished"),
    ("import_runs", "added"): ("JSON object", "records added per kind"),
    ("import_runs", "duplicates"): ("JSON object", "records already there per kind"),
    ("import_runs", "ignored"): ("JSON object", "records ignored per kind"),
    ("experiments", "question"): ("", "the question the experiment asks"),
    ("experiments", "outcome"): ("", "the outcome measured"),
    ("experiments", "lower_is_better"): ("true/false", "a lower outcome is better"),
    ("experiments", "mid"): ("outcome units", "smallest difference that matters to the person"),
    ("experiments", "levels"): ("JSON list", "the conditions compared"),
    ("experiments", "reference"): ("", "the reference condition"),
    ("experiments", "blocks"): ("count", "randomised blocks"),
    ("experiments", "nights_per_period"): ("nights", "nights per period"),
    ("experiments", "washout_nights"): ("nights", "washout nights between periods"),
    ("experiments", "planning"): (
        "JSON object",
        "the planning figures fixed when the plan was saved (night-to-night spread, "
        "correlation and how many nights they came from)",
    ),
    ("experiments", "run_in_nights"): ("nights", "run-in nights before the first block"),
    ("experiments", "start_night"): ("date", "first night"),
    ("experiments", "seed"): ("", "random seed of the draws"),
    ("experiments", "early_stopping"): ("true/false", "early stopping was planned"),
    ("experiments", "status"): ("", "planned, running, stopped or finished"),
    ("experiments", "stopped_at"): ("UTC instant", "when it was stopped"),
    ("experiments", "stopped_night"): ("date", "the last night it ran"),
    ("experiment_blocks", "block_index"): ("", "block number from 0"),
    ("experiment_blocks", "conditions"): ("JSON list", "the drawn order of conditions"),
    ("experiment_blocks", "randomised_at"): ("UTC instant", "when the order was drawn"),
    ("finding_acknowledgements", "finding_ids"): ("JSON list", "safety findings acknowledged"),
    ("finding_acknowledgements", "severity"): ("", "the most severe finding's severity"),
    ("finding_acknowledgements", "context"): ("", "where it was shown (dose, plan ...)"),
    ("finding_acknowledgements", "acknowledged_at"): ("UTC instant", "when"),
    ("self_ratings", "day"): ("date", "the day rated"),
    ("self_ratings", "item"): ("", "the item rated"),
}

UNDOCUMENTED = ("", "not described yet")


def describe(file_stem: str, column: str) -> tuple[str, str]:
    """(unit, meaning) of a column of one file."""
    return SPECIFIC.get((file_stem, column)) or COMMON.get(column) or UNDOCUMENTED


def dictionary_rows(
    columns: Iterable[tuple[str, str, str]],
) -> list[dict[str, Any]]:
    """Data-dictionary rows for ``(file stem, column, type)`` triples."""
    rows = []
    for stem, column, kind in columns:
        unit, meaning = describe(stem, column)
        rows.append(
            {
                "file": f"{stem}.csv",
                "column": column,
                "type": kind,
                "unit": unit,
                "meaning": meaning,
            }
        )
    return rows


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """A UTF-8 CSV with a header; lists and objects are written as JSON, None as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
