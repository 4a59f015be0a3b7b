"""Pre-dose rules, each at and around its threshold."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bedside.knowledge import Severity, load_knowledge
from bedside.safety.predose import (
    AlcoholIntake,
    BatchLab,
    Caps,
    MedicationIntake,
    PastDose,
    PlannedDose,
    PreDoseCheck,
    PreDoseContext,
    ProductForm,
    check_predose,
    within_caps,
)
from bedside.services.safety_schemas import FindingOut

TZ_NAME = "America/Chicago"
TZ = ZoneInfo(TZ_NAME)
TODAY = date(2026, 11, 22)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC datetime for a local Chicago wall-clock time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(
        ZoneInfo("UTC")
    )


DOSE_AT = local(TODAY, 21)


def check(**overrides: Any) -> PreDoseCheck:
    dose = overrides.pop("dose", PlannedDose(at=DOSE_AT, grams=3.0, form=ProductForm.LEAF_POWDER))
    context = PreDoseContext(dose=dose, timezone=TZ_NAME, **overrides)
    return check_predose(context, TODAY)


def ids(result: PreDoseCheck) -> list[str]:
    return [f.id for f in result.findings]


def by_id(result: PreDoseCheck, finding_id: str) -> Any:
    return next(f for f in result.findings if f.id == finding_id)


def test_plain_dose_has_no_findings() -> None:
    result = check()
    assert result.findings == ()
    assert result.usage.grams_last_24h == 3.0
    assert result.usage.consecutive_days == 1


# --- alcohol -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (timedelta(0), True),
        (timedelta(hours=2), True),
        (timedelta(hours=6), True),
        (timedelta(hours=6, minutes=1), False),
        (timedelta(minutes=-5), False),
    ],
)
def test_alcohol_window(before: timedelta, expected: bool) -> None:
    result = check(alcohol=[AlcoholIntake(DOSE_AT - before, 1)])
    assert ("predose.recent-alcohol" in ids(result)) is expected


def test_alcohol_finding_content() -> None:
    result = check(
        alcohol=[AlcoholIntake(local(TODAY, 18), 1), AlcoholIntake(local(TODAY, 19, 30), 1.5)]
    )
    finding = by_id(result, "predose.recent-alcohol")
    assert finding.severity is Severity.AVOID
    assert "2.5 standard drinks" in finding.summary
    assert "19:30" in finding.summary and "1 h 30 min before" in finding.summary
    assert set(load_knowledge().interaction("alcohol").sources) <= set(finding.sources)


def test_zero_drinks_ignored() -> None:
    assert check(alcohol=[AlcoholIntake(local(TODAY, 20), 0)]).findings == ()


# --- sedating medicines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        (timedelta(hours=1), True),
        (timedelta(hours=12), True),
        (timedelta(hours=12, minutes=1), False),
    ],
)
def test_medication_window(before: timedelta, expected: bool) -> None:
    result = check(medications=[MedicationIntake(DOSE_AT - before, "Ambien 10mg")])
    assert ("predose.recent-medication.z-drugs" in ids(result)) is expected


@pytest.mark.parametrize(
    ("name", "finding_id", "severity"),
    [
        ("Xanax", "predose.recent-medication.benzodiazepines", Severity.AVOID),
        ("oxycodone", "predose.recent-medication.opioids", Severity.AVOID),
        ("Neurontin 300mg", "predose.recent-medication.gabapentinoids", Severity.AVOID),
        ("Seroquel", "predose.recent-medication.sedating-antipsychotics", Severity.AVOID),
        ("Benadryl", "predose.recent-medication.sedating-antihistamines", Severity.CAUTION),
        ("Flexeril", "predose.recent-medication.muscle-relaxants", Severity.CAUTION),
        ("Ambien", "predose.recent-medication.z-drugs", Severity.CAUTION),
        ("beer", "predose.recent-medication.alcohol", Severity.AVOID),
        ("7-OH", "predose.recent-medication.concentrated-7-oh", Severity.AVOID),
    ],
)
def test_sedating_medicines(name: str, finding_id: str, severity: Severity) -> None:
    result = check(medications=[MedicationIntake(local(TODAY, 19), name)])
    assert by_id(result, finding_id).severity is severity


def test_non_sedating_medicine_is_left_to_profile_check() -> None:
    assert check(medications=[MedicationIntake(local(TODAY, 19), "sertraline")]).findings == ()


def test_same_class_twice_gives_one_finding_with_latest_time() -> None:
    result = check(
        medications=[
            MedicationIntake(local(TODAY, 12), "Xanax"),
            MedicationIntake(local(TODAY, 20), "alprazolam"),
        ]
    )
    benzo = [f for f in result.findings if f.id.endswith("benzodiazepines")]
    assert len(benzo) == 1
    assert "20:00" in benzo[0].summary


def test_unrecognised_recent_medicine_is_reported() -> None:
    result = check(medications=[MedicationIntake(local(TODAY, 20), "qwertyuiop")])
    finding = by_id(result, "predose.recent-medication.unrecognised")
    assert finding.severity is Severity.INFO
    assert "'qwertyuiop'" in finding.summary


# --- caps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grams", "expected"),
    [(3.9, None), (4.0, None), (4.1, Severity.CAUTION), (None, Severity.INFO)],
)
def test_per_dose_cap(grams: float | None, expected: Severity | None) -> None:
    result = check(dose=PlannedDose(at=DOSE_AT, grams=grams), caps=Caps(per_dose_g=4))
    found = [f for f in result.findings if f.id.startswith("predose.cap.per-dose")]
    assert (found[0].severity if found else None) is expected


def test_per_dose_cap_wording_is_the_persons_own() -> None:
    result = check(dose=PlannedDose(at=DOSE_AT, grams=5), caps=Caps(per_dose_g=4))
    finding = by_id(result, "predose.cap.per-dose")
    assert "above the per-dose cap you set (4 g)" in finding.summary
    assert finding.sources and finding.as_of


@pytest.mark.parametrize(("earlier_grams", "expected"), [(5.0, False), (5.1, True)])
def test_per_day_cap_at_threshold(earlier_grams: float, expected: bool) -> None:
    result = check(
        recent_doses=[PastDose(DOSE_AT - timedelta(hours=10), earlier_grams)],
        caps=Caps(per_day_g=8),
    )
    assert ("predose.cap.per-day" in ids(result)) is expected


@pytest.mark.parametrize(("hours_before", "counted"), [(24, False), (23.9, True)])
def test_rolling_24_hours_boundary(hours_before: float, counted: bool) -> None:
    result = check(recent_doses=[PastDose(DOSE_AT - timedelta(hours=hours_before), 4)])
    assert result.usage.grams_last_24h == (7.0 if counted else 3.0)


def test_unknown_amounts_make_total_uncertain() -> None:
    earlier = [PastDose(DOSE_AT - timedelta(hours=3), None)]
    within = check(recent_doses=earlier, caps=Caps(per_day_g=8))
    finding = by_id(within, "predose.cap.per-day-unknown")
    assert finding.severity is Severity.INFO
    assert "may be higher" in finding.summary
    above = check(
        recent_doses=[*earlier, PastDose(DOSE_AT - timedelta(hours=5), 6)], caps=Caps(per_day_g=8)
    )
    assert "may be higher" in by_id(above, "predose.cap.per-day").summary


def test_future_doses_are_ignored() -> None:
    result = check(
        recent_doses=[PastDose(DOSE_AT + timedelta(hours=1), 10)], caps=Caps(per_day_g=8)
    )
    assert result.findings == ()


def _nightly(days: list[int]) -> list[PastDose]:
    return [PastDose(local(TODAY - timedelta(days=d), 21), 3) for d in days]


@pytest.mark.parametrize(
    ("past_days", "expected"), [([1, 2, 3, 4], False), ([1, 2, 3, 4, 5], True)]
)
def test_days_per_week_cap(past_days: list[int], expected: bool) -> None:
    result = check(recent_doses=_nightly(past_days), caps=Caps(days_per_week=5))
    assert ("predose.cap.days-per-week" in ids(result)) is expected


def test_days_outside_the_week_do_not_count() -> None:
    result = check(recent_doses=_nightly([7, 8, 9, 10, 11, 12]), caps=Caps(days_per_week=1))
    assert result.usage.days_used_last_7 == 1
    assert result.findings == ()


# --- consecutive days --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("past_days", "expected"),
    [([1, 2, 3, 4, 5], None), ([1, 2, 3, 4, 5, 6], 7), ([1, 2, 3, 5, 6, 7, 8], None)],
)
def test_consecutive_days(past_days: list[int], expected: int | None) -> None:
    result = check(recent_doses=_nightly(past_days))
    found = [f for f in result.findings if f.id == "predose.consecutive-days"]
    if expected is None:
        assert not found
    else:
        assert found[0].severity is Severity.MONITOR
        assert f"day {expected} in a row" in found[0].summary


def test_after_midnight_dose_counts_for_the_evening_before() -> None:
    doses = _nightly([1, 2, 4, 5, 6])
    doses.append(PastDose(local(TODAY - timedelta(days=2), 0, 30), 3))  # the night of day 3
    result = check(recent_doses=doses)
    assert result.usage.consecutive_days == 7


def test_consecutive_days_across_dst_change() -> None:
    dose_day = date(2026, 11, 4)  # DST ended in Chicago on 2026-11-01
    doses = [PastDose(local(dose_day - timedelta(days=d), 21), 3) for d in range(1, 7)]
    context = PreDoseContext(
        dose=PlannedDose(at=local(dose_day, 21), grams=3), timezone=TZ_NAME, recent_doses=doses
    )
    assert check_predose(context, TODAY).usage.consecutive_days == 7


def test_rolling_24_hours_across_dst_change() -> None:
    before = local(date(2026, 10, 31), 21)
    after = local(date(2026, 11, 1), 21)
    assert after - before == timedelta(hours=25)
    context = PreDoseContext(
        dose=PlannedDose(at=after, grams=3), timezone=TZ_NAME, recent_doses=[PastDose(before, 3)]
    )
    assert check_predose(context, TODAY).usage.grams_last_24h == 3


# --- bedtime -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes_to_bed", "expected"),
    [
        (120, None),
        (60, None),
        (59, "59 minutes before"),
        (0, "0 minutes before"),
        (-20, "20 minutes after"),
        (-360, "360 minutes after"),
        (-361, None),  # a daytime dose long after last night's bedtime is not a late one
        (-600, None),
    ],
)
def test_bedtime_lead(minutes_to_bed: int, expected: str | None) -> None:
    result = check(bedtime=DOSE_AT + timedelta(minutes=minutes_to_bed), lead_minutes=60)
    found = [
        f for f in result.findings if f.id in ("predose.bedtime-lead", "predose.after-bedtime")
    ]
    if expected is None:
        assert not found
    else:
        [finding] = found
        assert finding.severity is Severity.INFO
        assert expected in finding.summary
        assert finding.uncertain  # timing advice is an interpretation
        after = minutes_to_bed < 0
        assert finding.id == ("predose.after-bedtime" if after else "predose.bedtime-lead")
        assert (finding.title == "Closer to bedtime than your lead time") is not after


def test_a_dose_after_bedtime_is_not_called_closer_than_the_lead_time() -> None:
    result = check(bedtime=DOSE_AT - timedelta(minutes=125), lead_minutes=60)
    [finding] = result.findings
    assert finding.id == "predose.after-bedtime"
    assert finding.title == "After the bedtime you planned"
    assert "125 minutes after the bedtime you planned" in finding.summary
    assert "lead time" not in finding.title + finding.summary


def test_no_bedtime_no_finding() -> None:
    assert check(bedtime=None).usage.minutes_before_bedtime is None


# --- product and batch -------------------------------------------------------------------------


def test_seven_oh_concentrate_is_avoid() -> None:
    result = check(dose=PlannedDose(at=DOSE_AT, grams=None, form=ProductForm.SEVEN_OH_CONCENTRATE))
    finding = by_id(result, "predose.seven-oh-concentrate")
    assert finding.severity is Severity.AVOID
    assert set(load_knowledge().interaction("concentrated-7-oh").sources) <= set(finding.sources)


def test_extract_is_caution() -> None:
    result = check(dose=PlannedDose(at=DOSE_AT, grams=1, form=ProductForm.EXTRACT))
    assert by_id(result, "predose.extract").severity is Severity.CAUTION


@pytest.mark.parametrize(("seven_oh", "expected"), [(0.039, False), (0.04, True), (0.2, True)])
def test_batch_seven_oh_threshold(seven_oh: float, expected: bool) -> None:
    batch = BatchLab(seven_oh_pct=seven_oh, contaminants_passed=True)
    result = check(dose=PlannedDose(at=DOSE_AT, grams=3, batch=batch))
    assert ("predose.seven-oh-concentrate" in ids(result)) is expected


def test_concentrate_form_with_lab_result_reports_once() -> None:
    batch = BatchLab(seven_oh_pct=5, contaminants_passed=True)
    dose = PlannedDose(at=DOSE_AT, form=ProductForm.SEVEN_OH_CONCENTRATE, batch=batch)
    assert ids(check(dose=dose)).count("predose.seven-oh-concentrate") == 1


@pytest.mark.parametrize(
    ("passed", "finding_id", "severity"),
    [
        (False, "predose.contaminants-failed", Severity.AVOID),
        (None, "predose.contaminants-unknown", Severity.INFO),
    ],
)
def test_contaminants(passed: bool | None, finding_id: str, severity: Severity) -> None:
    dose = PlannedDose(at=DOSE_AT, grams=3, batch=BatchLab(contaminants_passed=passed))
    assert by_id(check(dose=dose), finding_id).severity is severity


def test_contaminants_passed_is_quiet() -> None:
    dose = PlannedDose(at=DOSE_AT, grams=3, batch=BatchLab(contaminants_passed=True))
    assert check(dose=dose).findings == ()


@pytest.mark.parametrize(
    ("new", "previous", "expected"),
    [
        (1.24, 1.0, None),
        (1.25, 1.0, Severity.CAUTION),
        (2.0, 1.0, Severity.CAUTION),
        (0.76, 1.0, None),
        (0.75, 1.0, Severity.INFO),
        (1.0, 1.0, None),
    ],
)
def test_mitragynine_batch_shift(new: float, previous: float, expected: Severity | None) -> None:
    batch = BatchLab(
        mitragynine_pct=new, previous_mitragynine_pct=previous, contaminants_passed=True
    )
    result = check(dose=PlannedDose(at=DOSE_AT, grams=3, batch=batch))
    found = [f for f in result.findings if f.id == "predose.batch-shift.mitragynine"]
    assert (found[0].severity if found else None) is expected


@pytest.mark.parametrize(
    ("new", "previous", "expected"),
    [(0.01, 0.0, Severity.CAUTION), (0.0, 0.0, None), (0.02, 0.01, Severity.CAUTION)],
)
def test_seven_oh_batch_shift(new: float, previous: float, expected: Severity | None) -> None:
    batch = BatchLab(seven_oh_pct=new, previous_seven_oh_pct=previous, contaminants_passed=True)
    result = check(dose=PlannedDose(at=DOSE_AT, grams=3, batch=batch))
    found = [f for f in result.findings if f.id == "predose.batch-shift.seven-oh"]
    assert (found[0].severity if found else None) is expected


def test_batch_shift_wording() -> None:
    batch = BatchLab(mitragynine_pct=2.0, previous_mitragynine_pct=1.5, contaminants_passed=True)
    finding = by_id(
        check(dose=PlannedDose(at=DOSE_AT, batch=batch)), "predose.batch-shift.mitragynine"
    )
    assert "about 33% more per gram" in finding.summary


# --- validation and output ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: PlannedDose(at=datetime(2026, 11, 22, 21)),
        lambda: PlannedDose(at=DOSE_AT, grams=-1),
        lambda: PastDose(at=datetime(2026, 11, 22, 21)),
        lambda: AlcoholIntake(DOSE_AT, -1),
        lambda: MedicationIntake(datetime(2026, 11, 22, 21), "x"),
        lambda: Caps(days_per_week=8),
        lambda: Caps(per_day_g=-2),
        lambda: BatchLab(mitragynine_pct=101),
        lambda: PreDoseContext(dose=PlannedDose(at=DOSE_AT), timezone="Mars/Olympus"),
        lambda: PreDoseContext(dose=PlannedDose(at=DOSE_AT), timezone="UTC", lead_minutes=-1),
        lambda: PreDoseContext(
            dose=PlannedDose(at=DOSE_AT), timezone="UTC", bedtime=datetime(2026, 11, 22, 22)
        ),
    ],
)
def test_invalid_inputs_are_refused(build: Any) -> None:
    with pytest.raises(ValueError):
        build()


def test_many_rules_sorted_and_serialisable() -> None:
    result = check(
        dose=PlannedDose(at=DOSE_AT, grams=6, form=ProductForm.EXTRACT, batch=BatchLab()),
        recent_doses=_nightly([1, 2, 3, 4, 5, 6]),
        alcohol=[AlcoholIntake(local(TODAY, 20), 2)],
        caps=Caps(per_dose_g=4, per_day_g=5, days_per_week=3),
        bedtime=DOSE_AT + timedelta(minutes=30),
    )
    ranks = [f.severity.rank for f in result.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert result.findings[0].severity is Severity.AVOID
    typed = [FindingOut.model_validate(f, from_attributes=True) for f in result.findings]
    json.dumps([f.model_dump(mode="json") for f in typed])
    assert dataclasses.asdict(result.usage) == {
        "grams_last_24h": 6.0,
        "doses_without_amount_24h": 0,
        "days_used_last_7": 7,
        "consecutive_days": 7,
        "minutes_before_bedtime": 30.0,
    }
    for finding in result.findings:
        assert finding.sources and finding.as_of
        text = f"{finding.summary} {finding.action}".lower()
        assert "take more" not in text and "increase your dose" not in text


# --- regular medicines (profile) ---------------------------------------------------------------


def test_a_regular_medicine_counts_before_every_dose() -> None:
    result = check(regular_medications=["gabapentin"])
    finding = by_id(result, "interaction.gabapentinoids")
    assert finding.severity is Severity.AVOID
    assert "gabapentin" in finding.title.lower() and finding.sources and finding.as_of


def test_a_regular_medicine_also_logged_today_is_reported_once() -> None:
    taken = MedicationIntake(DOSE_AT - timedelta(hours=2), "gabapentin")
    result = check(regular_medications=["Neurontin"], medications=[taken])
    assert "predose.recent-medication.gabapentinoids" in ids(result)
    assert "interaction.gabapentinoids" not in ids(result)


def test_a_listed_condition_raises_a_regular_medicine_like_the_profile_check() -> None:
    from bedside.safety.profile import check_profile

    profile = check_profile(["citalopram"], ["long QT"], None, TODAY)
    predose = check(regular_medications=["citalopram"], conditions=["long QT"])
    assert by_id(predose, "interaction.qt-prolonging").severity is Severity.AVOID
    for finding in profile.findings:
        if finding.id.startswith("interaction."):
            assert by_id(predose, finding.id).severity is finding.severity


# --- a second dose -----------------------------------------------------------------------------


def test_a_second_dose_the_same_evening_names_the_first() -> None:
    first = PastDose(local(TODAY, 19, 40), 3.0)
    result = check(recent_doses=[first], lead_minutes=60)
    finding = by_id(result, "predose.second-dose")
    assert finding.severity is Severity.CAUTION
    assert "You logged 3 g at 19:40" in finding.summary
    assert "this would be a second dose" in finding.summary
    assert finding.title == "This would be a second dose" and finding.sources


@pytest.mark.parametrize(
    ("earlier", "expected"),
    [
        (local(TODAY, 21), True),  # the same minute: a double tap
        (local(TODAY, 12, 30), True),  # the same evening, hours before
        (local(TODAY, 11, 30), False),  # the morning belongs to last night, 9.5 h before
        (local(TODAY - timedelta(days=1), 21), False),  # last night
    ],
)
def test_what_counts_as_a_second_dose(earlier: datetime, expected: bool) -> None:
    result = check(recent_doses=[PastDose(earlier, 2.0)])
    assert ("predose.second-dose" in ids(result)) is expected


def test_a_dose_within_the_lead_time_is_a_second_dose_across_noon() -> None:
    noon = local(TODAY, 12, 20)
    before = PastDose(local(TODAY, 11, 50), None)
    dose = PlannedDose(at=noon, grams=1.0)
    result = check(dose=dose, recent_doses=[before], lead_minutes=60)
    assert "You logged a dose at 11:50" in by_id(result, "predose.second-dose").summary
    assert "predose.second-dose" not in ids(
        check(dose=dose, recent_doses=[before], lead_minutes=20)
    )


def test_a_third_dose_is_counted() -> None:
    earlier = [PastDose(local(TODAY, 19), 2.0), PastDose(local(TODAY, 20), 1.0)]
    finding = by_id(check(recent_doses=earlier), "predose.second-dose")
    assert "You logged 1 g at 20:00" in finding.summary and "a third dose" in finding.summary


# --- caps for "the same as last time" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("grams", "caps", "expected"),
    [
        (3.0, Caps(), True),
        (3.0, Caps(per_dose_g=3.0), True),
        (3.0, Caps(per_dose_g=2.0), False),
        (3.0, Caps(per_day_g=2.5), False),
        (None, Caps(per_dose_g=2.0), False),
        (None, Caps(days_per_week=3), True),
    ],
)
def test_within_caps(grams: float | None, caps: Caps, expected: bool) -> None:
    assert within_caps(grams, caps) is expected
