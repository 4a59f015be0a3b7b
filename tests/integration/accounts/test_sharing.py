"""Clinician access: a participant shares with a clinician, who follows along; audit; revoke."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli
from tests.integration.accounts.conftest import Browser, ServerApp
from tests.integration.web.conftest import PROFILE

ANN = "ann@example.org"
BOB = "bob@example.org"
DOC = "doc@example.org"
SECRET = "ANN-PRIVATE"
NIGHT = "2025-06-12"


def _ann_with_a_dose(server: ServerApp) -> Browser:
    ann = server.open()
    assert ann.sign_in(ANN).status_code == 200
    assert ann.client.put("/api/v1/profile", json=PROFILE).is_success
    dose = {"amount": 2.5, "unit": "g", "time": f"{NIGHT}T21:00", "note": f"{SECRET} note"}
    assert ann.client.post("/api/v1/doses", json=dose).status_code == 201
    return ann


def _share(ann: Browser, access: str = "viewer") -> dict[str, Any]:
    made = ann.client.post("/api/v1/shares", json={"email": DOC, "access": access})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def _doc(server: ServerApp) -> tuple[Browser, dict[str, str]]:
    doc = server.open()
    assert doc.sign_in(DOC).status_code == 200
    people = doc.client.get("/api/v1/people").json()
    assert [p["email"] for p in people] == [ANN]
    return doc, {"X-Bedside-Person": str(people[0]["id"])}


def test_me_names_the_signed_in_account(server: ServerApp, clinician: str) -> None:
    doc = server.open()
    doc.sign_in(DOC)
    me = doc.client.get("/api/v1/me").json()
    assert me["email"] == DOC and me["role"] == "clinician" and isinstance(me["id"], int)


def test_a_viewer_reads_the_persons_data_and_changes_nothing(
    server: ServerApp, clinician: str
) -> None:
    ann = _ann_with_a_dose(server)
    share = _share(ann)
    assert share["access"] == "viewer" and share["email"] == DOC
    doc, acting = _doc(server)
    doses = doc.client.get("/api/v1/doses", headers=acting)
    assert doses.status_code == 200 and doses.json()[0]["amount"] == 2.5
    assert doc.client.get("/api/v1/doses").json() == []  # without the header: their own
    own_id = str(doc.client.get("/api/v1/me").json()["id"])
    assert doc.client.get("/api/v1/doses", headers={"X-Bedside-Person": own_id}).json() == []
    refused = doc.client.post("/api/v1/pain", json={"score": 3}, headers=acting)
    assert refused.status_code == 403, refused.text
    assert "not change" in refused.json()["detail"]
    assert doc.client.put("/api/v1/profile", json=PROFILE, headers=acting).status_code == 403
    assert ann.client.get("/api/v1/pain").json() == []
    listed = ann.client.get("/api/v1/shares").json()
    assert listed[0]["last_viewed"] == "GET /api/v1/doses"
    assert listed[0]["last_viewed_at"] is not None


def test_every_read_is_in_the_owners_audit_log(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann)
    doc, acting = _doc(server)
    for url in ("/api/v1/doses", "/api/v1/signals", "/api/v1/report"):
        assert doc.client.get(url, headers=acting).status_code == 200
    audit = ann.client.get("/api/v1/audit").json()
    whats = [line["what"] for line in audit]
    assert whats[:3] == ["GET /api/v1/report", "GET /api/v1/signals", "GET /api/v1/doses"]
    assert {line["who"] for line in audit} == {DOC}
    assert all(line["when"] for line in audit)
    assert doc.client.get("/api/v1/audit").json() == []  # the clinician's own log is empty


def test_revocation_takes_effect_on_the_next_request(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    share = _share(ann)
    doc, acting = _doc(server)
    assert doc.client.get("/api/v1/doses", headers=acting).status_code == 200
    assert ann.client.delete(f"/api/v1/shares/{share['id']}").status_code == 204
    after = doc.client.get("/api/v1/doses", headers=acting)
    assert after.status_code == 404 and SECRET not in after.text and "2.5" not in after.text
    assert doc.client.get("/api/v1/people").json() == []
    assert ann.client.get("/api/v1/shares").json()[0]["revoked_at"] is not None


def test_a_manager_edits_the_plan_but_logs_nothing(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann, "manager")
    doc, acting = _doc(server)
    changed = {**PROFILE, "bedtime": "22:15"}
    assert doc.client.put("/api/v1/profile", json=changed, headers=acting).is_success
    assert ann.client.get("/api/v1/profile").json()["bedtime"].startswith("22:15")
    for other in ({"timezone": "Europe/London"}, {"medications": ["sertraline"]}):
        refused = doc.client.put("/api/v1/profile", json={**changed, **other}, headers=acting)
        assert refused.status_code == 403, (other, refused.text)
    assert ann.client.get("/api/v1/profile").json()["timezone"] == PROFILE["timezone"]
    assert doc.client.post("/api/v1/pain", json={"score": 3}, headers=acting).status_code == 403
    assert doc.client.post("/api/v1/delete-all", json={}, headers=acting).status_code == 403
    assert ann.client.get("/api/v1/doses").json() != []


def test_a_manager_changes_the_plan_in_settings(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann, "manager")
    doc, _ = _doc(server)
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    assert doc.form(f"/people/{ann_id}/view", {}).status_code == 303
    form = {
        "timezone": PROFILE["timezone"],
        "region": PROFILE["region"],
        "bedtime": "22:45",
        "lead_min": "45",
    }
    saved = doc.form("/settings", form)
    assert saved.status_code == 303, saved.text
    profile = ann.client.get("/api/v1/profile").json()
    assert profile["bedtime"].startswith("22:45") and profile["region"] == PROFILE["region"]
    moved = doc.form("/settings", {**form, "timezone": "Europe/London"})
    assert moved.status_code == 422 and "not the time zone" in moved.text  # the form again
    assert ann.client.get("/api/v1/profile").json()["timezone"] == PROFILE["timezone"]


def test_no_one_acts_for_a_person_who_did_not_share(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    bob = server.open()
    bob.sign_in(BOB)
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    for who in (bob, server.open()):
        if who is not bob:
            who.sign_in(DOC)
        for value in (str(ann_id), "nobody", "99999999999999999999999"):
            answer = who.client.get("/api/v1/doses", headers={"X-Bedside-Person": value})
            assert answer.status_code == 404, (value, answer.text)
            assert SECRET not in answer.text


def test_only_a_clinicians_account_can_be_invited(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    refused = ann.client.post("/api/v1/shares", json={"email": BOB, "access": "viewer"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        f"{BOB} is not a clinician's account; ask the administrator to add it as a clinician"
    )
    pending = ann.client.post("/api/v1/shares", json={"email": "x@example.org"})
    assert pending.status_code == 201 and pending.json()["pending"] is True  # no account yet
    wrong = ann.client.post("/api/v1/shares", json={"email": "not an address"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "email"


def test_the_cli_invites_lists_and_revokes(server: ServerApp, clinician: str, cli: Cli) -> None:
    _ann_with_a_dose(server)
    made = cli("share", "invite", DOC, "--as", "manager", "--owner", ANN, "--json").json()
    assert made["access"] == "manager"
    doc, acting = _doc(server)
    assert doc.client.get("/api/v1/doses", headers=acting).status_code == 200
    listed = cli("share", "list", "--owner", ANN, "--json").json()
    assert listed[0]["email"] == DOC and listed[0]["last_viewed"] == "GET /api/v1/doses"
    assert "GET /api/v1/doses" in cli("share", "audit", "--owner", ANN).stdout
    cli("share", "revoke", DOC, "--owner", ANN)
    assert doc.client.get("/api/v1/doses", headers=acting).status_code == 404
    wrong = cli("share", "invite", DOC, "--as", "owner", "--owner", ANN, ok=False)
    assert wrong.code != 0 and "viewer or manager" in wrong.stderr
    patient = cli("share", "invite", BOB, "--owner", ANN, ok=False)
    assert patient.code != 0 and patient.stderr.strip().endswith(
        "ask the administrator to add it as a clinician (`bedside user add EMAIL --role clinician`)"
    )


def test_a_clinician_switches_to_a_person_in_the_browser(server: ServerApp, clinician: str) -> None:
    ann = _ann_with_a_dose(server)
    share = _share(ann)
    doc, _ = _doc(server)
    home = doc.client.get("/people")
    assert "Ann" in home.text or ANN in home.text
    assert "of the last 7 nights logged" in home.text
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    switched = doc.form(f"/people/{ann_id}/view", {})
    assert switched.status_code == 303
    history = doc.client.get(f"/history?from={NIGHT}&to={NIGHT}")
    assert history.status_code == 200 and 'id="acting-banner"' in history.text
    assert "read-only" in history.text and "2.5" in history.text
    refused = doc.form("/log/pain", {"score": "4"})
    assert refused.status_code == 403
    settings = doc.client.get("/settings")
    assert "Your account" not in settings.text and 'id="sharing"' not in settings.text
    ann.form(f"/settings/sharing/{share['id']}/revoke", {})
    gone = doc.client.get(f"/history?from={NIGHT}&to={NIGHT}")
    assert gone.status_code == 404 and "2.5 g" not in gone.text
    assert "bedside_person" not in doc.client.cookies
    assert doc.client.get("/", follow_redirects=False).status_code in (200, 303)
    audit = ann.client.get("/settings").text
    assert "GET /history" in audit and DOC in audit


def test_home_is_people_for_a_clinician_studies_for_a_researcher_tonight_for_a_participant(
    server: ServerApp, clinician: str, researcher: str
) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann)
    assert ann.client.get("/", follow_redirects=False).status_code == 200
    doc, _ = _doc(server)
    home = doc.client.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/people"
    rita = server.open()
    assert rita.sign_in(researcher).status_code == 200
    home = rita.client.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/studies"
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    assert doc.form(f"/people/{ann_id}/view", {}).status_code == 303
    acting = doc.client.get("/", follow_redirects=False)  # for Ann: her Tonight, read-only
    assert acting.status_code == 200 and 'id="acting-banner"' in acting.text


NEW = "newdoc@example.org"
NEW_PASSWORD = "the new clinician's password\n"


def test_an_invitation_waits_for_the_account_and_then_grants_access(
    server: ServerApp, cli: Cli
) -> None:
    ann = _ann_with_a_dose(server)
    made = ann.client.post("/api/v1/shares", json={"email": NEW, "access": "viewer"})
    assert made.status_code == 201, made.text
    assert made.json()["pending"] is True and made.json()["email"] == NEW
    listed = ann.client.get("/api/v1/shares").json()
    assert [(s["email"], s["pending"]) for s in listed] == [(NEW, True)]
    settings = ann.client.get("/settings").text
    assert "pending since" in settings and "ask them to sign up with this e-mail" in settings
    assert ann.client.get("/api/v1/audit").json() == []

    cli("user", "add", NEW, "--role", "clinician", input=NEW_PASSWORD)
    doc = server.open()
    assert doc.sign_in(NEW, NEW_PASSWORD.strip()).status_code == 200
    people = doc.client.get("/api/v1/people").json()
    assert [p["email"] for p in people] == [ANN]
    acting = {"X-Bedside-Person": str(people[0]["id"])}
    assert doc.client.get("/api/v1/doses", headers=acting).json()[0]["amount"] == 2.5
    listed = ann.client.get("/api/v1/shares").json()
    assert [(s["email"], s["pending"], s["revoked_at"]) for s in listed] == [(NEW, False, None)]


def test_a_pending_invitation_revoked_before_sign_up_grants_nothing(
    server: ServerApp, cli: Cli
) -> None:
    ann = _ann_with_a_dose(server)
    made = ann.client.post("/api/v1/shares", json={"email": NEW, "access": "manager"}).json()
    assert ann.client.delete(f"/api/v1/shares/{made['id']}").status_code == 204
    listed = ann.client.get("/api/v1/shares").json()
    assert listed[0]["pending"] is False and listed[0]["revoked_at"] is not None
    cli("user", "add", NEW, "--role", "clinician", input=NEW_PASSWORD)
    doc = server.open()
    assert doc.sign_in(NEW, NEW_PASSWORD.strip()).status_code == 200
    assert doc.client.get("/api/v1/people").json() == []
    ann_id = str(ann.client.get("/api/v1/me").json()["id"])
    assert doc.client.get("/api/v1/doses", headers={"X-Bedside-Person": ann_id}).status_code == 404


def test_the_cli_invites_an_email_without_an_account(server: ServerApp, cli: Cli) -> None:
    said = cli("share", "invite", NEW, "--owner", ANN)
    assert "pending" in said.stdout and "No e-mail is sent" in said.stdout
    shown = cli("share", "list", "--owner", ANN, "--json").json()
    assert [(s["email"], s["pending"]) for s in shown] == [(NEW, True)]
    assert "pending" in cli("share", "list", "--owner", ANN).stdout
    # an account of another role does not take the invitation up
    cli("user", "add", NEW, "--role", "participant", input=NEW_PASSWORD)
    assert cli("share", "list", "--owner", ANN, "--json").json()[0]["pending"] is True
    cli("share", "revoke", NEW, "--owner", ANN)
    assert cli("share", "list", "--owner", ANN, "--json").json()[0]["revoked_at"] is not None


def _nav(html: str) -> list[str]:
    """The links of the main navigation, in order."""
    block = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in block.split('<a href="')[1:]]


def test_each_role_sees_its_own_navigation_and_a_follower_no_write_controls(
    server: ServerApp, clinician: str, researcher: str
) -> None:
    ann = _ann_with_a_dose(server)
    _share(ann)
    own = ann.client.get(f"/history?from={NIGHT}&to={NIGHT}").text
    assert "/log" in _nav(own) and "/settings" in _nav(own)
    assert "/entries/dose/" in own  # her own entries: edit and delete
    assert "Settings</a>)" in own and "Your studies" in own
    doc, _ = _doc(server)
    assert _nav(doc.client.get("/people").text) == ["/people"]
    rita = server.open()
    assert rita.sign_in(researcher).status_code == 200
    assert _nav(rita.client.get("/studies").text) == ["/studies"]
    ann_id = ann.client.get("/api/v1/me").json()["id"]
    assert doc.form(f"/people/{ann_id}/view", {}).status_code == 303
    followed = {
        "/": doc.client.get("/").text,
        "/history": doc.client.get(f"/history?from={NIGHT}&to={NIGHT}").text,
        "/experiments": doc.client.get("/experiments").text,
        "/signals": doc.client.get("/signals").text,
    }
    for path, html in followed.items():
        assert _nav(html) == [
            "/",
            "/history",
            "/insights",
            "/experiments",
            "/safety",
            "/signals",
            "/report",
        ], path
        assert 'method="post" action="/people/leave"' in html
        writes = [a for a in html.split('method="post" action="')[1:] if a.startswith("/")]
        assert [w.split('"', 1)[0] for w in writes] == ["/people/leave", "/signout"], path
        assert "/log/" not in html and "/entries/" not in html, path
    assert "2.5" in followed["/history"]
    assert "has not planned a self-experiment" in followed["/experiments"]
    assert "data-remind" not in followed["/"] and "Change the steps" not in followed["/"]
