"""Safety, Signals and Import pages, and the dose form's acknowledgement of `avoid` findings."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.integration.web.conftest import Web

ALCOHOL = {"kind": "alcohol", "amount": 3, "time": "20:00"}
ACK = "I have read this and choose to log the dose"
SAMPLE = Path("tests/data/samples/synthetic/apple-watch-iphone-dst.xml")


def acknowledgements(web: Web) -> list[tuple[int | None, str, str]]:
    path = web.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        return list(
            conn.execute("select dose_id, finding_ids, context from finding_acknowledgements")
        )


def dose_count(web: Web) -> int:
    return len(web.api("GET", "/api/v1/doses").json())


def test_new_pages_need_a_profile(web: Web) -> None:
    for page in ("/safety", "/signals", "/import"):
        response = web.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"] == "/welcome"


def test_safety_page_shows_matches_findings_and_sources(profiled: Web) -> None:
    profile = {"medications": ["alprazolm", "Zorblex"], "conditions": ["sleep apnoea"]}
    assert profiled.api("PUT", "/api/v1/profile", json=profile).status_code == 200
    page = profiled.get("/safety")
    assert page.status_code == 200
    assert "We read &#39;alprazolm&#39; as alprazolam (Xanax) — is that right?" in page.text
    assert "<strong>Zorblex</strong>: not recognised — not checked." in page.text
    assert "severity-avoid" in page.text
    assert 'href="https://' in page.text and "· checked 20" in page.text
    assert "Kratom with sleep apnea (obstructive or central)" in page.text
    assert "As of 2022-11-04 · checked 2026-12-05." in page.text
    assert "Texas" in page.text  # the legal finding for the profile's region
    assert 'aria-current="page">Safety<' in page.text


def test_safety_page_checks_other_names_without_saving(profiled: Web) -> None:
    page = profiled.get("/safety", params={"med": "Xanax\noxycodone", "region": "US-AL"})
    assert page.status_code == 200
    assert 'id="adhoc-result"' in page.text
    assert "Alabama" in page.text and "severity-avoid" in page.text
    assert profiled.api("GET", "/api/v1/profile").json()["medications"] == []


def test_safety_page_legal_lookup(profiled: Web) -> None:
    page = profiled.get("/safety", params={"code": "US-FL-Sarasota-County"})
    assert page.status_code == 200
    assert "Kratom: <strong>Banned</strong>" in page.text
    assert "Florida" in page.text and "Law dated 2019-03 · checked 2026-11-22." in page.text
    florida = profiled.get("/safety", params={"code": "US-FL"})
    assert "Minimum age: 21 years" in florida.text
    assert "7-OH products: <strong>Banned</strong>" in florida.text


def test_safety_page_shows_an_old_law_checked_recently_as_current(profiled: Web) -> None:
    page = profiled.get("/safety", params={"code": "AU"})
    assert page.status_code == 200
    assert "Decided by AU: law dated 2004 · checked 2026-12-05." in page.text
    assert "Law dated 2004 · checked 2026-12-05." in page.text
    assert "may be out of date" not in page.text.lower()


def test_safety_page_unknown_codes_are_shown_beside_their_fields(profiled: Web) -> None:
    page = profiled.get("/safety", params={"code": "XX-NOWHERE", "region": "ZZ"})
    assert page.status_code == 422
    assert 'id="f-code-error"' in page.text and 'id="f-region-error"' in page.text
    assert "No legal record for" in page.text


def test_signals_page_and_checkin(profiled: Web) -> None:
    for night in ("2025-06-12", "2025-06-13", "2025-06-14"):
        body = {"amount": 3, "time": "20:00", "night": night}
        assert profiled.api("POST", "/api/v1/doses", json=body).status_code == 201
    page = profiled.get("/signals")
    assert page.status_code == 200
    assert "Days used per week" in page.text and "Unknown" in page.text
    assert "Current run of use days: <strong>3 days</strong>" in page.text
    assert "may be longer" in page.text
    assert page.text.count('type="number"') == 6
    saved = profiled.post("/signals/checkin", {"urge": "3", "restless": "", "sleep": "5"})
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/signals?saved=checkin")
    after = profiled.get(saved.headers["location"])
    assert "Check-in saved." in after.text and "Urge to take kratom: last 7 days 3" in after.text


def test_checkin_mistakes_are_shown_beside_the_question(profiled: Web) -> None:
    bad = profiled.post("/signals/checkin", {"urge": "11", "aches": "2"})
    assert bad.status_code == 422
    assert 'id="f-urge-error"' in bad.text and 'value="11"' in bad.text
    empty = profiled.post("/signals/checkin", {"urge": ""})
    assert empty.status_code == 422 and "answer at least one question" in empty.text
    assert profiled.api("GET", "/api/v1/signals").json()["ratings"][0]["latest_score"] is None


def test_a_dose_after_alcohol_needs_the_acknowledgement(profiled: Web) -> None:
    assert profiled.api("POST", "/api/v1/intakes", json=ALCOHOL).status_code == 201
    tonight = profiled.get("/")
    assert "severity-avoid" in tonight.text
    form = {"amount": "3", "unit": "g", "time": "2025-06-14T20:30"}
    refused = profiled.post("/log/dose", form)
    assert refused.status_code == 409
    assert "Nothing has been saved yet" in refused.text and ACK in refused.text
    assert "alcohol" in refused.text.lower() and 'value="3"' in refused.text
    assert dose_count(profiled) == 0 and acknowledgements(profiled) == []
    saved = profiled.post("/log/dose", {**form, "acknowledge": "on"})
    assert saved.status_code == 303 and saved.headers["location"] == "/?saved=dose"
    [dose] = profiled.api("GET", "/api/v1/doses").json()
    [(dose_id, finding_ids, context)] = acknowledgements(profiled)
    assert dose_id == dose["id"] and context == "web"
    assert "predose.recent-alcohol" in finding_ids


def test_one_tap_dose_after_alcohol_asks_first_with_a_time_filled_in(profiled: Web) -> None:
    assert profiled.api("POST", "/api/v1/doses", json={"amount": 2, "night": "2025-06-13"})
    assert profiled.api("POST", "/api/v1/intakes", json=ALCOHOL).status_code == 201
    refused = profiled.post("/log/dose", {"amount": "2", "unit": "g"})
    assert refused.status_code == 409
    assert 'name="time" type="datetime-local" value="2025-06-14T20:30"' in refused.text
    assert dose_count(profiled) == 1


def test_milder_findings_never_hold_a_dose_up(profiled: Web) -> None:
    saved = profiled.post("/log/dose", {"amount": "3", "unit": "g", "time": "2025-06-14T20:30"})
    assert saved.status_code == 303
    assert acknowledgements(profiled) == []
    bad = profiled.post("/log/dose", {"amount": "-1", "unit": "g", "time": "2025-06-14T20:30"})
    assert bad.status_code == 422 and 'id="f-amount-error"' in bad.text


def test_import_page_imports_and_summarises(profiled: Web) -> None:
    assert profiled.api("PUT", "/api/v1/profile", json={"timezone": "America/Los_Angeles"})
    page = profiled.get("/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    files = {"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/xml")}
    data = {"source": "auto", "csrf_token": profiled.token()}
    done = profiled.client.post("/import", data=data, files=files)
    assert done.status_code == 200, done.text[:2000]
    assert f"Imported {SAMPLE.name}" in done.text and "Read as apple-health" in done.text
    assert "skipped as duplicate 0" in done.text
    again = profiled.client.post("/import", data=data, files=files)
    assert "Added 0," in again.text
    sleep = profiled.api("GET", "/api/v1/sleep", params={"source": "wearable"}).json()
    assert sleep and all(row["source"] == "wearable" for row in sleep)


def test_import_page_errors_are_beside_the_file_field(profiled: Web, tmp_path: Path) -> None:
    uploads_before = set(Path(tempfile.gettempdir()).glob("bedside-import-*"))
    data = {"source": "auto", "csrf_token": profiled.token()}
    junk = profiled.client.post(
        "/import", data=data, files={"file": ("notes.txt", b"hello", "text/plain")}
    )
    assert junk.status_code == 422 and 'id="f-file-error"' in junk.text
    assert "bedside-import-" not in junk.text  # no temporary path in the message
    assert "notes.txt" in junk.text  # named as the person knows it
    missing = profiled.client.post("/import", data=data)
    assert missing.status_code == 422 and "choose a file" in missing.text
    wrong = profiled.client.post(
        "/import",
        data={**data, "source": "oura"},
        files={"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/xml")},
    )
    assert wrong.status_code == 422 and 'id="f-file-error"' in wrong.text
    odd = profiled.client.post(
        "/import", data={**data, "source": "nope"}, files={"file": ("a.csv", b"x", "text/csv")}
    )
    assert odd.status_code == 422 and 'id="f-source-error"' in odd.text
    forged = profiled.client.post(
        "/import", data={"source": "auto"}, files={"file": ("a.csv", b"x", "text/csv")}
    )
    assert forged.status_code == 403
    assert set(Path(tempfile.gettempdir()).glob("bedside-import-*")) <= uploads_before


def test_history_shows_diary_and_wearable_side_by_side(profiled: Web) -> None:
    assert profiled.api("PUT", "/api/v1/profile", json={"timezone": "America/Los_Angeles"})
    files = {"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/xml")}
    data = {"source": "apple-health", "csrf_token": profiled.token()}
    assert profiled.client.post("/import", data=data, files=files).status_code == 200
    diary = {
        "night": "2024-03-09",
        "bedtime": "23:00",
        "tried": "23:10",
        "sol_min": 20,
        "awakenings": 1,
        "waso_min": 15,
        "final_wake": "06:30",
        "out_of_bed": "06:45",
        "quality": 3,
    }
    assert profiled.api("POST", "/api/v1/diary", json=diary).status_code == 201
    page = profiled.get("/history", params={"from": "2024-03-08", "to": "2024-03-10"})
    assert page.status_code == 200
    night = page.text.split('id="night-2024-03-09"')[1].split("</article>")[0]
    assert "<strong>Diary:</strong>" in night and "asleep, SE" in night
    assert "<strong>Wearable (" in night and " · deep " in night


def test_a_stale_record_says_so_once(profiled: Web) -> None:
    assert profiled.api("PUT", "/api/v1/profile", json={"region": "GB"})
    profiled.clock.now = datetime(2027, 7, 1, 0, 30, tzinfo=UTC)  # months after the last check
    page = profiled.get("/safety").text
    legal = page[page.index("Kratom in United Kingdom") :]
    legal = legal[: legal.index("</article>")]
    assert legal.count("may be out of date") == 1
