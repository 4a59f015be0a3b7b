"""Studies: a researcher creates one, participants consent or decline and withdraw; export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.integration.accounts.conftest import Browser, ServerApp
from tests.integration.web.conftest import PROFILE

ANN = "ann@example.org"
BOB = "bob@example.org"
RITA = "rita@example.org"
NIGHT = "2025-06-12"


def _typed(who: str) -> list[str]:
    """Every piece of free text a participant types (each unique to them)."""
    tag = who.split("@")[0].upper()
    return [f"{tag}-{part}" for part in ("BLEND", "VENDOR", "LOT", "NOTE", "KNEE", "LEGS", "DIARY")]


def _participant(server: ServerApp, email: str) -> Browser:
    """A participant with a profile and one entry of each kind, all text made by them."""
    who = server.open()
    assert who.sign_in(email).status_code == 200
    blend, vendor, lot, note, knee, legs, diary = _typed(email)
    c = who.client
    assert c.put("/api/v1/profile", json=PROFILE).is_success
    product = c.post(
        "/api/v1/products", json={"name": blend, "form": "leaf_powder", "vendor": vendor}
    ).json()
    batch = c.post(f"/api/v1/products/{product['id']}/batches", json={"lot": lot}).json()
    when = f"{NIGHT}T21:00"
    made = [
        c.post(
            "/api/v1/doses",
            json={"amount": 3.7, "batch_id": batch["id"], "note": note, "time": when},
        ),
        c.post("/api/v1/pain", json={"score": 6, "location": knee, "time": when}),
        c.post("/api/v1/soreness", json={"ratings": {"quads": 4}, "note": legs, "time": when}),
        c.post(
            "/api/v1/diary",
            json={
                "night": NIGHT,
                "bedtime": "23:00",
                "tried": "23:10",
                "sol_min": 20,
                "awakenings": 1,
                "waso_min": 10,
                "final_wake": "06:40",
                "out_of_bed": "07:00",
                "quality": 4,
                "comment": diary,
            },
        ),
    ]
    assert all(response.status_code == 201 for response in made), [r.text for r in made]
    return who


def _study(cli: Cli) -> dict[str, Any]:
    made: dict[str, Any] = cli(
        "study", "create", "--title", "Evening kratom and sleep", "--owner", RITA,
        "--start", "2025-06-01", "--end", "2025-06-30", "--collects", "diary,doses,pain,soreness",
        "--json",
    ).json()  # fmt: skip
    assert made["id"] >= 1 and len(made["enrolment_code"]) == 10
    return made


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((directory / name).read_text("utf-8"))))


def test_participants_consent_and_the_researcher_sees_only_study_ids(
    server: ServerApp, cli: Cli, researcher: str
) -> None:
    study = _study(cli)
    ann, bob = _participant(server, ANN), _participant(server, BOB)
    screen = ann.client.get("/api/v1/studies/consent", params={"code": study["enrolment_code"]})
    assert screen.json()["title"] == "Evening kratom and sleep"
    assert "withdraw" in screen.json()["consent_text"] and RITA not in screen.text
    joined = ann.client.post(
        "/api/v1/studies/join", json={"code": study["enrolment_code"], "consent": True}
    )
    assert joined.status_code == 200 and joined.json()["status"] == "consented"
    declined = bob.client.post(
        "/api/v1/studies/join", json={"code": study["enrolment_code"], "consent": False}
    )
    assert declined.json()["status"] == "declined"
    rita = server.open()
    rita.sign_in(RITA)
    listed = rita.client.get(f"/api/v1/studies/{study['id']}/participants")
    assert listed.status_code == 200
    assert [p["study_id"][0] for p in listed.json()] == ["P"]  # Ann only: Bob declined
    assert listed.json()[0]["nights_logged"] == 1
    for secret in (ANN, BOB, "ann", "bob"):
        assert secret not in listed.text
    refused = rita.client.post(
        "/api/v1/studies/join", json={"code": study["enrolment_code"], "consent": True}
    )
    assert refused.status_code == 403
    wrong = ann.client.post("/api/v1/studies/join", json={"code": "NOPE", "consent": True})
    assert wrong.status_code == 404


def test_the_export_holds_nothing_anyone_typed_and_keeps_weekdays_and_times(
    server: ServerApp, cli: Cli, researcher: str, tmp_path: Path
) -> None:
    study = _study(cli)
    for email in (ANN, BOB):
        who = _participant(server, email)
        body = {"code": study["enrolment_code"], "consent": True}
        assert who.client.post("/api/v1/studies/join", json=body).status_code == 200
    out = tmp_path / "study"
    written = cli("study", "export", str(study["id"]), str(out), "--json").json()
    assert written["participants"] == 2
    assert set(written["files"]) == {
        "data-dictionary.csv",
        "diary_entries.csv",
        "doses.csv",
        "pain_entries.csv",
        "soreness_entries.csv",
        "experiment_periods.csv",
        "pooled_summary.csv",
        "pooled_summary.md",
    }
    everything = "\n".join(path.read_text("utf-8") for path in out.iterdir())
    for typed in [*_typed(ANN), *_typed(BOB), ANN, BOB, "example.org"]:
        assert typed.lower() not in everything.lower(), typed
    assert not re.search(r"\b(ann|bob|rita)\b", everything, re.IGNORECASE)
    doses = _read(out, "doses.csv")
    assert len(doses) == 2 and len({d["study_id"] for d in doses}) == 2
    assert {"note", "product_id", "batch_id", "tz"}.isdisjoint(doses[0])
    original = datetime(2025, 6, 12, 21, 0)  # the local time Ann and Bob typed
    for dose in doses:
        shifted = datetime.fromisoformat(dose["taken_at"])
        assert shifted.time() == original.time() and shifted.weekday() == original.weekday()
        gap = (original - shifted).days
        assert gap > 0 and gap % 7 == 0
        assert date.fromisoformat(dose["night"]) == shifted.date()
        assert dose["amount"] == "3.5"  # rounded to half grams
        assert dose["unit"] == "other"  # used by fewer than three people
    diary = _read(out, "diary_entries.csv")
    assert {row["study_id"] for row in diary} == {d["study_id"] for d in doses}
    dictionary = _read(out, "data-dictionary.csv")
    assert {"doses.csv", "study_id"} <= {v for row in dictionary for v in row.values()}
    shifted_meaning = next(r for r in dictionary if r["column"] == "taken_at")["meaning"]
    assert "whole-week offset" in shifted_meaning
    audit = cli("share", "audit", "--owner", ANN, "--json").json()
    assert audit[0]["who"] == RITA and audit[0]["what"].startswith("study export")


def test_after_withdrawing_nothing_new_reaches_the_study(
    server: ServerApp, cli: Cli, researcher: str
) -> None:
    study = _study(cli)
    ann, bob = _participant(server, ANN), _participant(server, BOB)
    for who in (ann, bob):
        body = {"code": study["enrolment_code"], "consent": True}
        assert who.client.post("/api/v1/studies/join", json=body).status_code == 200
    left = bob.client.post(f"/api/v1/studies/{study['id']}/withdraw", json={})
    assert left.status_code == 200 and left.json()["status"] == "withdrawn"
    server.clock.now += timedelta(days=1)
    assert bob.client.post("/api/v1/pain", json={"score": 9}).status_code == 201
    rita = server.open()
    rita.sign_in(RITA)
    assert len(rita.client.get(f"/api/v1/studies/{study['id']}/participants").json()) == 1
    archive = zipfile.ZipFile(
        io.BytesIO(rita.client.get(f"/api/v1/studies/{study['id']}/export").content)
    )
    pain = archive.read(f"study-{study['id']}/pain_entries.csv").decode()
    rows = list(csv.DictReader(io.StringIO(pain)))
    assert sorted(row["score"] for row in rows) == ["6", "6"]  # the 9 came after withdrawal
    rejoin = bob.client.post(
        "/api/v1/studies/join", json={"code": study["enrolment_code"], "consent": True}
    )
    assert rejoin.status_code == 409


def test_a_researcher_reaches_only_their_own_study(
    server: ServerApp, cli: Cli, researcher: str
) -> None:
    study = _study(cli)
    ann = _participant(server, ANN)
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    body = {"code": study["enrolment_code"], "consent": True}
    assert ann.client.post("/api/v1/studies/join", json=body).status_code == 200
    bob = server.open()  # a participant is not the study's researcher
    bob.sign_in(BOB)
    for url in (
        f"/api/v1/studies/{study['id']}/participants",
        f"/api/v1/studies/{study['id']}/export",
    ):
        answer = bob.client.get(url)
        assert answer.status_code == 404 and "ANN-" not in answer.text
    rita = server.open()
    rita.sign_in(RITA)
    acting = rita.client.get("/api/v1/doses", headers={"X-Bedside-Person": str(ann_id)})
    assert acting.status_code == 404 and "ANN-" not in acting.text
    assert rita.client.get("/api/v1/studies").json()[0]["id"] == study["id"]
    assert bob.client.get("/api/v1/studies").json() == []


def test_the_studies_page_shows_consent_and_the_researchers_progress(
    server: ServerApp, cli: Cli, researcher: str
) -> None:
    study = _study(cli)
    ann = _participant(server, ANN)
    screen = ann.client.get("/studies", params={"code": study["enrolment_code"]})
    assert screen.status_code == 200
    assert "Evening kratom and sleep" in screen.text and "I agree to take part" in screen.text
    agreed = ann.form("/studies/join", {"code": study["enrolment_code"], "answer": "agree"})
    assert agreed.status_code == 303
    mine = ann.client.get("/studies").text
    assert "consented" in mine and "Withdraw" in mine
    rita = server.open()
    rita.sign_in(RITA)
    page = rita.client.get("/studies").text
    assert study["enrolment_code"] in page and "1 of " in page
    assert ANN not in page and "ANN-" not in page
    download = rita.client.get(f"/studies/{study['id']}/export.zip")
    assert download.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert f"study-{study['id']}/doses.csv" in names
    assert ann.form(f"/studies/{study['id']}/withdraw", {}).status_code == 303
    assert "withdrawn" in ann.client.get("/studies").text
    assert "No one has joined yet" in rita.client.get("/studies").text
