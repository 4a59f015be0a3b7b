"""``bedside check``, ``legal``, ``signals``, ``checkin`` and the findings after ``dose add``."""

from __future__ import annotations

from tests.conftest import Cli
from tests.factories import add_dose


def test_dose_after_three_drinks_shows_the_alcohol_finding(profiled_cli: Cli) -> None:
    profiled_cli("intake", "add", "--kind", "alcohol", "--amount", "3")
    shown = profiled_cli("dose", "add", "--amount", "3")
    assert "alcohol" in shown.stdout.lower() and "avoid" in shown.stdout.lower()
    body = profiled_cli("dose", "add", "--amount", "1", "--acknowledge", "--json").json()
    alcohol = next(f for f in body["findings"] if f["id"] == "predose.recent-alcohol")
    assert alcohol["severity"] == "avoid" and alcohol["sources"] and alcohol["as_of"]
    assert body["acknowledged"] is True


def test_check_xanax_is_a_benzodiazepine_to_avoid(profiled_cli: Cli) -> None:
    body = profiled_cli("check", "--med", "Xanax", "--json").json()
    benzo = [f for f in body["findings"] if "benzodiazepine" in f["id"]]
    assert benzo and benzo[0]["severity"] == "avoid"
    assert all(url.startswith("https://") for url in benzo[0]["sources"])
    assert benzo[0]["as_of"]


def test_check_shows_how_each_name_was_read(profiled_cli: Cli) -> None:
    shown = profiled_cli("check", "--med", "Xanax", "--med", "alprazolm", "--med", "Glorbex")
    assert "note: None" not in shown.stdout
    assert "'Xanax' read as alprazolam (Xanax): benzodiazepine" in shown.stdout
    assert "We read 'alprazolm' as alprazolam (Xanax) — is that right?" in shown.stdout
    assert "'Glorbex' is not a medication Bedside knows" in shown.stdout


def test_a_morning_dose_is_not_late_for_bed(profiled_cli: Cli) -> None:
    def bedtime_findings(time: str) -> list[dict[str, object]]:
        body = add_dose(profiled_cli, time, 1, json=True).json()
        ids = ("predose.bedtime-lead", "predose.after-bedtime")
        return [f for f in body["findings"] if f["id"] in ids]

    assert bedtime_findings("2026-11-30T09:00") == []
    assert bedtime_findings("2026-11-28T15:00") == []
    assert "30 minutes before" in str(bedtime_findings("2026-11-26T22:30")[0]["summary"])
    assert "90 minutes after" in str(bedtime_findings("2026-11-24T00:30")[0]["summary"])


def test_plan_tonight_has_no_notes_about_a_missing_amount(profiled_cli: Cli) -> None:
    profiled_cli("profile", "set", "--cap-dose", "4", "--cap-day", "8")
    findings = profiled_cli("plan", "tonight", "--json").json()["findings"]
    assert not [f for f in findings if str(f["id"]).endswith("-unknown")]


def test_legal_codes(profiled_cli: Cli) -> None:
    alabama = profiled_cli("legal", "US-AL", "--json").json()
    assert alabama["status"] == "banned" and alabama["sources"] and alabama["as_of"]
    county = profiled_cli("legal", "US-FL-Sarasota-County", "--json").json()
    florida = profiled_cli("legal", "US-FL", "--json").json()
    assert florida["status"] == "regulated" and county["status"] == "banned"
    assert [entry["code"] for entry in county["chain"]][:2] == ["US-FL-Sarasota-County", "US-FL"]
    assert "banned" in profiled_cli("legal", "US-AL").stdout.lower()
    federal = profiled_cli("legal", "US").stdout
    assert "7-OH products: restricted" in federal
    assert "Not verified (United States (federal)):" in federal


def test_unknown_legal_code_is_a_clear_error(profiled_cli: Cli) -> None:
    result = profiled_cli("legal", "XX-NOWHERE", ok=False)
    assert result.code == 2
    assert "No legal record for 'XX-NOWHERE'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_signals_and_checkin(profiled_cli: Cli) -> None:
    saved = profiled_cli("checkin", "urge=3")
    assert "Check-in saved" in saved.stdout and "urge 3" in saved.stdout
    signals = profiled_cli("signals", "--json").json()
    assert {"windows", "longest_streak", "current_streak", "findings"} <= set(signals)
    urge = next(r for r in signals["ratings"] if r["item"] == "urge")
    assert urge["latest_score"] == 3
    bad = profiled_cli("checkin", "urge=eleven", ok=False)
    assert bad.code == 2 and "ITEM=SCORE" in bad.stderr


def test_signals_text_gives_the_range_when_days_are_not_logged(profiled_cli: Cli) -> None:
    profiled_cli("dose", "add", "--amount", "1")
    shown = profiled_cli("signals").stdout
    assert "7.0 days a week on the days logged; 0.2 to 7.0 if the days not logged" in shown
    assert "27 not logged" in shown


def test_profile_set_shows_what_the_new_medications_mean(profiled_cli: Cli) -> None:
    shown = profiled_cli("profile", "set", "--med", "Xanax").stdout
    assert shown.startswith("Profile saved.")
    assert "AVOID  Kratom with benzodiazepines" in shown
    quiet = profiled_cli("profile", "set", "--bedtime", "23:30").stdout
    assert quiet.strip() == "Profile saved."


def test_check_sleep_apnea_with_suboxone(cli: Cli) -> None:
    """The README's own example condition is recognised; Suboxone is checked as buprenorphine."""
    body = cli("check", "--condition", "sleep apnea", "--med", "Suboxone", "--json").json()
    found = {f["id"]: f for f in body["findings"]}
    apnea, bupe = found["condition.sleep-apnea"], found["interaction.buprenorphine"]
    assert (apnea["severity"], bupe["severity"]) == ("caution", "avoid")
    for finding in (apnea, bupe):
        assert finding["sources"] and all(u.startswith("http") for u in finding["sources"])
        assert finding["as_of"] and finding["checked_on"] == "2026-12-05"
    assert bupe["as_of"] == "2023-11-23"
    assert bupe["dates"] == "as of 2023-11-23 · checked 2026-12-05"
    assert "interaction.opioid-antagonists" not in found
    assert body["unknown_conditions"] == []


def test_breathing_conditions_as_people_type_them(cli: Cli) -> None:
    args = ["--condition", "OSA", "--condition", "emphysema", "--condition", "asthma"]
    body = cli("check", *args, "--med", "zolpidem", "--json").json()
    found = {f["id"]: f["severity"] for f in body["findings"]}
    assert found["condition.sleep-apnea"] == "caution"
    assert found["condition.copd"] == "avoid"
    assert found["condition.asthma-chronic-lung-disease"] == "caution"
    assert found["interaction.z-drugs"] == "avoid"  # raised from caution by sleep apnea and COPD
    shown = cli("check", "--condition", "I use a CPAP", "--details").stdout
    assert "read as Sleep apnea (obstructive or central)" in shown
    assert "CAUTION  Kratom with sleep apnea" in shown
    assert "as of 2022-11-04 · checked 2026-12-05" in shown


def test_conditions_without_a_record_are_not_recognised_and_not_checked(cli: Cli) -> None:
    args = ["--condition", "depression", "--condition", "fibromyalgia"]
    body = cli("check", *args, "--json").json()
    assert body["unknown_conditions"] == ["depression", "fibromyalgia"]
    note = next(f for f in body["findings"] if f["id"] == "conditions.unrecognised")
    assert "Not recognised — not checked: 'depression', 'fibromyalgia'." in note["summary"]
    shown = cli("check", *args).stdout
    assert "note: 'depression': not recognised — not checked." in shown
    assert "note: 'fibromyalgia': not recognised — not checked." in shown


def test_legal_shows_the_law_date_and_the_check_date(cli: Cli) -> None:
    from datetime import date

    shown = cli("legal", "AU").stdout
    assert "law dated 2004 · checked 2026-12-05" in shown
    # Staleness follows the check date, not the age of the 2004 law.
    still_current = date.today() <= date(2027, 6, 5)
    assert ("may be out of date" not in shown) is still_current
    body = cli("legal", "AU", "--json").json()
    assert (body["as_of"], body["as_of_precision"], body["checked_on"]) == (
        "2004-01-01",
        "year",
        "2026-12-05",
    )
    assert body["chain"][0]["dates"] == "law dated 2004 · checked 2026-12-05"
