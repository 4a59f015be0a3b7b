"""CSV with its data dictionary, the FHIR R4 bundle and the calendar reminders."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from bedside.services import backup, exports, profiles
from bedside.services.backup_tables import entity_tables
from tests.conftest import Cli
from tests.integration.exports.conftest import Clock, Lived, at_local, open_app

NEW_YORK = ZoneInfo("America/New_York")


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_export_has_a_file_per_entity_and_a_complete_dictionary(
    lived: Lived, tmp_path: Path
) -> None:
    folder = tmp_path / "new" / "csv"
    with lived.app.scope() as scope:
        result = backup.export_csv(scope, folder)
        document = backup.backup_document(scope)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with lived.app.scope() as scope:
        backup.export_csv(scope, shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # an existing folder keeps its mode
    assert stat.S_IMODE((shared / "doses.csv").stat().st_mode) == 0o600
    dictionary = read_csv(folder / "data-dictionary.csv")
    described = {(row["file"], row["column"]): row for row in dictionary}
    for spec in entity_tables():
        path = folder / f"{spec.name}.csv"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        rows = read_csv(path)
        assert len(rows) == len(document.entities[spec.name]) == result.counts[spec.name]
        header = next(csv.reader(io.StringIO(path.read_text())))
        for column in header:
            entry = described[(path.name, column)]
            assert entry["type"] and entry["meaning"] not in ("", "not described yet"), column
    doses = read_csv(folder / "doses.csv")
    assert doses[0]["taken_at"].endswith("Z") and doses[0]["tz"] == "America/New_York"
    assert described[("doses.csv", "grams")]["unit"] == "g"
    assert described[("diary_entries.csv", "sol_min")]["unit"] == "minutes"


def test_fhir_bundle_validates_as_r4_with_loinc_codes(lived: Lived, tmp_path: Path) -> None:
    path = tmp_path / "fhir.json"
    with lived.app.scope() as scope:
        result = exports.export_fhir(scope, path)
        pains = len(backup.backup_document(scope).entities["pain_entries"])
        doses = backup.backup_document(scope).entities["doses"]
    data = json.loads(path.read_text())
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    resources = [entry["resource"] for entry in data["entry"]]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    codes = [r["code"]["coding"][0] for r in observations]
    pain = [c for c in codes if c["code"] == "72514-3"]
    assert len(pain) == pains and all(c["system"] == "http://loinc.org" for c in pain)
    sleep = [r for r in observations if r["code"]["coding"][0]["code"] == "93832-4"]
    assert sleep and sleep[0]["valueQuantity"]["unit"] == "h"
    worn = [r for r in sleep if r["note"][0]["text"].startswith("measured by")]
    assert worn and worn[0]["category"][0]["coding"][0]["code"] == "activity"  # Oura nights
    assert any(c["system"] == "urn:bedside:code" for c in codes)
    statements = [r for r in resources if r["resourceType"] == "MedicationStatement"]
    assert len(statements) == len(doses) == result.counts["MedicationStatement"]
    first = statements[0]
    assert first["medicationCodeableConcept"]["text"].endswith("Red Bali")
    assert first["dosage"][0]["doseAndRate"][0]["doseQuantity"]["unit"] == "g"
    assert first["effectiveDateTime"].endswith("-05:00")  # local time with its offset
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _events(raw: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(raw)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_intake_reminder_rings_at_the_local_intake_time_across_dst(tmp_path: Path) -> None:
    clock = Clock(at_local(date(2025, 3, 3), 12))
    app = open_app(str(tmp_path / "r.db"), clock)
    with app.scope() as scope:
        profiles.set_profile(
            scope, {"timezone": "America/New_York", "bedtime": "23:30", "lead_min": 45}
        )
        raw = exports.reminders_ics(scope, "07:15")
    app.close()
    calendar = Calendar.from_ical(raw)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    events = _events(raw)
    intake = events["bedside-intake-reminder@bedside.local"]
    diary = events["bedside-diary-reminder@bedside.local"]
    for event in (intake, diary):
        assert event.walk("VALARM"), "each reminder rings"
        assert "FREQ=DAILY" in event["RRULE"].to_ical().decode()
    start = intake.decoded("DTSTART")
    assert isinstance(start, datetime) and str(start.tzinfo) == "America/New_York"
    rule = rrulestr(intake["RRULE"].to_ical().decode(), dtstart=start)
    before = rule.after(datetime(2025, 3, 8, 12, tzinfo=NEW_YORK))
    after = rule.after(datetime(2025, 3, 10, 12, tzinfo=NEW_YORK))
    assert before.time() == after.time() == time(22, 45)
    assert before.utcoffset() != after.utcoffset()  # EST before, EDT after: same wall clock
    assert diary.decoded("DTSTART").time() == time(7, 15)


def test_reminders_include_the_running_experiment_with_alarms(
    lived: Lived, cli: Cli, tmp_path: Path
) -> None:
    with lived.app.scope() as scope:
        raw = exports.reminders_ics(scope)
    events = _events(raw)
    schedule = [e for uid, e in events.items() if uid.startswith("bedside-experiment-")]
    assert len(schedule) >= 30
    assert all(event.walk("VALARM") for event in schedule)
    first = min(schedule, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART").astimezone(NEW_YORK).time() == time(22, 0)


def test_every_export_from_the_cli(profiled_cli: Cli, tmp_path: Path) -> None:
    cli = profiled_cli
    cli("dose", "add", "--amount", "3", "--time", "2025-03-08T22:00")
    for kind, target in (("csv", "csv"), ("json", "b.json"), ("fhir", "f.json"), ("ics", "r.ics")):
        out = cli("export", kind, str(tmp_path / target), "--json").json()
        assert Path(out["path"]).exists(), kind
    assert read_csv(tmp_path / "csv" / "doses.csv")[0]["amount"] == "3.0"
    missing = cli("export", "json", str(tmp_path / "no" / "such" / "dir" / "b.json"), ok=False)
    assert missing.code != 0 and "could not be written" in missing.stderr
