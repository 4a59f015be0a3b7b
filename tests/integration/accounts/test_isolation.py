"""Isolation: a second participant walks every route of the app on the first one's records.

The routes come from the app's own route table, so a route added without a case here fails
:func:`test_every_route_has_an_isolation_case`. Each case says what Bob (the second
participant) asks for: ``FOREIGN`` routes name one of Ann's records and must answer 403 or
404; ``OWN`` routes act on Bob's own data (or none) and may answer anything but a server
error. No answer may contain anything of Ann's, and afterwards all of Ann's data is intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI

from bedside.web.auth import is_own_account, is_public
from tests.integration.accounts.conftest import PASSWORDS, Browser, ServerApp
from tests.integration.web.conftest import PROFILE

ANN = "ann@example.org"
BOB = "bob@example.org"
DOC = "doc@example.org"
RITA = "rita@example.org"
REX = "rex@example.org"
SECRET = "ANN-SECRET"
FOREIGN = "foreign"
OWN = "own"
#: A form naming Ann's record is shown again with the error beside the field (422), as for
#: an id that does not exist at all.
REFUSED_FORM = "refused-form"
NIGHT = "2025-06-12"
ENTRY_KINDS = ("dose", "pain", "soreness", "workout", "intake", "diary")

Ids = dict[str, int]


@dataclass(frozen=True)
class Call:
    """One request Bob makes: form bodies get Bob's CSRF token; JSON bodies are sent as JSON."""

    url: str
    expect: str
    json: Any = None
    form: dict[str, str] | None = None


@dataclass(frozen=True)
class Case:
    """How to exercise one route (it may expand to several calls, e.g. one per entry kind)."""

    calls: Callable[[Ids], list[Call]]
    notes: list[str] = field(default_factory=list)


def one(url: str, expect: str = OWN, **body: Any) -> Case:
    """A case of a single call; ``{name}`` in ``url`` is one of Ann's ids."""
    return Case(lambda ids: [Call(url.format(**ids), expect, **body)])


def per_kind(url: str, form: dict[str, str] | None = None) -> Case:
    """``/entries/{kind}/{entry_id}/...`` for each kind, on Ann's entry of that kind."""
    return Case(
        lambda ids: [
            Call(url.format(kind=kind, entry_id=ids[kind]), FOREIGN, form=form)
            for kind in ENTRY_KINDS
        ]
    )


DOSE = {"amount": 2, "unit": "g", "time": f"{NIGHT}T21:30"}
DIARY_FORM = {
    "night": NIGHT,
    "bedtime": "23:00",
    "tried": "23:10",
    "sol_min": "20",
    "awakenings": "1",
    "waso_min": "10",
    "final_wake": "06:40",
    "out_of_bed": "07:00",
    "quality": "4",
}
PRODUCT_FORM = {"name": "Bob's blend", "form": "leaf_powder"}

CASES: dict[tuple[str, str], Case] = {
    ("GET", "/api/openapi.json"): one("/api/openapi.json"),
    ("GET", "/api/docs"): one("/api/docs"),
    ("GET", "/api/v1/profile"): one("/api/v1/profile"),
    ("PUT", "/api/v1/profile"): one("/api/v1/profile", json=PROFILE),
    ("GET", "/api/v1/plan/tonight"): one("/api/v1/plan/tonight"),
    ("GET", "/api/v1/nights"): one(f"/api/v1/nights?from={NIGHT}&to={NIGHT}"),
    ("GET", "/api/v1/products"): one("/api/v1/products"),
    ("POST", "/api/v1/products"): one(
        "/api/v1/products", json={"name": "B", "form": "leaf_powder"}
    ),
    ("GET", "/api/v1/products/{product_id}"): one("/api/v1/products/{product}", FOREIGN),
    ("PUT", "/api/v1/products/{product_id}"): one(
        "/api/v1/products/{product}", FOREIGN, json={"name": "taken", "form": "leaf_powder"}
    ),
    ("DELETE", "/api/v1/products/{product_id}"): one("/api/v1/products/{product}", FOREIGN),
    ("GET", "/api/v1/products/{product_id}/batches"): one(
        "/api/v1/products/{product}/batches", FOREIGN
    ),
    ("POST", "/api/v1/products/{product_id}/batches"): one(
        "/api/v1/products/{product}/batches", FOREIGN, json={"lot": "B1"}
    ),
    ("GET", "/api/v1/batches/{batch_id}"): one("/api/v1/batches/{batch}", FOREIGN),
    ("PUT", "/api/v1/batches/{batch_id}"): one(
        "/api/v1/batches/{batch}", FOREIGN, json={"lot": "B2"}
    ),
    ("DELETE", "/api/v1/batches/{batch_id}"): one("/api/v1/batches/{batch}", FOREIGN),
    ("GET", "/api/v1/doses"): one("/api/v1/doses"),
    # Bob logging a dose of Ann's product or batch is refused (and learns nothing of it).
    ("POST", "/api/v1/doses"): Case(
        lambda ids: [
            Call("/api/v1/doses", FOREIGN, json={**DOSE, "product_id": ids["product"]}),
            Call("/api/v1/doses", FOREIGN, json={**DOSE, "batch_id": ids["batch"]}),
        ]
    ),
    ("GET", "/api/v1/doses/{dose_id}"): one("/api/v1/doses/{dose}", FOREIGN),
    ("PUT", "/api/v1/doses/{dose_id}"): one("/api/v1/doses/{dose}", FOREIGN, json=DOSE),
    ("DELETE", "/api/v1/doses/{dose_id}"): one("/api/v1/doses/{dose}", FOREIGN),
    ("GET", "/api/v1/diary"): one("/api/v1/diary"),
    ("POST", "/api/v1/diary"): one(
        "/api/v1/diary",
        json={**DIARY_FORM, "sol_min": 20, "awakenings": 1, "waso_min": 10, "quality": 4},
    ),
    ("GET", "/api/v1/diary/{entry_id}"): one("/api/v1/diary/{diary}", FOREIGN),
    ("PUT", "/api/v1/diary/{entry_id}"): one(
        "/api/v1/diary/{diary}",
        FOREIGN,
        json={**DIARY_FORM, "sol_min": 5, "awakenings": 0, "waso_min": 0, "quality": 5},
    ),
    ("DELETE", "/api/v1/diary/{entry_id}"): one("/api/v1/diary/{diary}", FOREIGN),
    ("GET", "/api/v1/pain"): one("/api/v1/pain"),
    ("POST", "/api/v1/pain"): one("/api/v1/pain", json={"score": 2}),
    ("GET", "/api/v1/pain/{entry_id}"): one("/api/v1/pain/{pain}", FOREIGN),
    ("PUT", "/api/v1/pain/{entry_id}"): one("/api/v1/pain/{pain}", FOREIGN, json={"score": 1}),
    ("DELETE", "/api/v1/pain/{entry_id}"): one("/api/v1/pain/{pain}", FOREIGN),
    ("GET", "/api/v1/soreness"): one("/api/v1/soreness"),
    ("POST", "/api/v1/soreness"): one("/api/v1/soreness", json={"ratings": {"quads": 2}}),
    ("GET", "/api/v1/soreness/{entry_id}"): one("/api/v1/soreness/{soreness}", FOREIGN),
    ("PUT", "/api/v1/soreness/{entry_id}"): one(
        "/api/v1/soreness/{soreness}", FOREIGN, json={"ratings": {"hips": 1}}
    ),
    ("DELETE", "/api/v1/soreness/{entry_id}"): one("/api/v1/soreness/{soreness}", FOREIGN),
    ("GET", "/api/v1/workouts"): one("/api/v1/workouts"),
    ("POST", "/api/v1/workouts"): one("/api/v1/workouts", json={"kind": "run", "duration_min": 20}),
    ("GET", "/api/v1/workouts/{workout_id}"): one("/api/v1/workouts/{workout}", FOREIGN),
    ("PUT", "/api/v1/workouts/{workout_id}"): one(
        "/api/v1/workouts/{workout}", FOREIGN, json={"kind": "swim", "duration_min": 5}
    ),
    ("DELETE", "/api/v1/workouts/{workout_id}"): one("/api/v1/workouts/{workout}", FOREIGN),
    ("GET", "/api/v1/intakes"): one("/api/v1/intakes"),
    ("POST", "/api/v1/intakes"): one("/api/v1/intakes", json={"kind": "caffeine", "amount": 80}),
    ("GET", "/api/v1/intakes/{intake_id}"): one("/api/v1/intakes/{intake}", FOREIGN),
    ("PUT", "/api/v1/intakes/{intake_id}"): one(
        "/api/v1/intakes/{intake}", FOREIGN, json={"kind": "alcohol", "amount": 1}
    ),
    ("DELETE", "/api/v1/intakes/{intake_id}"): one("/api/v1/intakes/{intake}", FOREIGN),
    ("GET", "/api/v1/insights"): one("/api/v1/insights"),
    ("GET", "/api/v1/experiments"): one("/api/v1/experiments"),
    ("POST", "/api/v1/experiments"): one(
        "/api/v1/experiments", json={"question": "Does it help Bob?"}
    ),
    ("GET", "/api/v1/experiments/tonight"): one("/api/v1/experiments/tonight"),
    ("GET", "/api/v1/experiments/{experiment_id}"): one(
        "/api/v1/experiments/{experiment}", FOREIGN
    ),
    ("GET", "/api/v1/experiments/{experiment_id}/analysis"): one(
        "/api/v1/experiments/{experiment}/analysis", FOREIGN
    ),
    ("POST", "/api/v1/experiments/{experiment_id}/stop"): one(
        "/api/v1/experiments/{experiment}/stop", FOREIGN, json={}
    ),
    ("GET", "/api/v1/safety/check"): one("/api/v1/safety/check"),
    ("GET", "/api/v1/legal/{code}"): one("/api/v1/legal/US-TX"),
    ("GET", "/api/v1/signals"): one("/api/v1/signals"),
    ("POST", "/api/v1/checkins"): one("/api/v1/checkins", json={"answers": {"craving": 1}}),
    ("GET", "/api/v1/sleep"): one("/api/v1/sleep"),
    ("GET", "/api/v1/sleep/priority"): one("/api/v1/sleep/priority"),
    ("PUT", "/api/v1/sleep/priority"): one("/api/v1/sleep/priority", json={"order": []}),
    ("POST", "/api/v1/session"): one(
        "/api/v1/session", json={"email": BOB, "password": PASSWORDS[BOB]}
    ),
    ("GET", "/api/v1/session"): one("/api/v1/session"),
    ("DELETE", "/api/v1/session"): one("/api/v1/session"),
    ("GET", "/api/v1/tokens"): one("/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{token_id}"): one("/api/v1/tokens/{token}", FOREIGN),
    ("GET", "/"): one("/"),
    ("GET", "/log"): one("/log"),
    ("GET", "/log/{kind}"): Case(lambda ids: [Call(f"/log/{k}", OWN) for k in ENTRY_KINDS[:5]]),
    ("POST", "/log/{kind}"): Case(
        lambda ids: [
            Call(
                "/log/dose", REFUSED_FORM, form={"amount": "2", "product_id": str(ids["product"])}
            ),
            Call("/log/pain", OWN, form={"score": "3"}),
        ]
    ),
    ("GET", "/entries/{kind}/{entry_id}/edit"): per_kind("/entries/{kind}/{entry_id}/edit"),
    ("POST", "/entries/{kind}/{entry_id}/edit"): per_kind(
        "/entries/{kind}/{entry_id}/edit", form={"score": "1", "amount": "1", "note": "x"}
    ),
    ("GET", "/entries/{kind}/{entry_id}/delete"): per_kind("/entries/{kind}/{entry_id}/delete"),
    ("POST", "/entries/{kind}/{entry_id}/delete"): per_kind(
        "/entries/{kind}/{entry_id}/delete", form={}
    ),
    ("GET", "/diary"): one("/diary"),
    ("POST", "/diary"): one("/diary", form=DIARY_FORM),
    # A night is not a record: Bob sees his own (empty) night, never Ann's diary of it.
    ("GET", "/diary/{night}"): one(f"/diary/{NIGHT}"),
    ("GET", "/history"): one(f"/history?from={NIGHT}&to={NIGHT}"),
    ("GET", "/products"): one("/products"),
    ("POST", "/products"): one("/products", form=PRODUCT_FORM),
    ("GET", "/products/{product_id}"): one("/products/{product}", FOREIGN),
    ("POST", "/products/{product_id}"): one("/products/{product}", FOREIGN, form=PRODUCT_FORM),
    ("POST", "/products/{product_id}/batches"): one(
        "/products/{product}/batches", FOREIGN, form={"lot": "B9"}
    ),
    ("GET", "/batches/{batch_id}/edit"): one("/batches/{batch}/edit", FOREIGN),
    ("POST", "/batches/{batch_id}/edit"): one("/batches/{batch}/edit", FOREIGN, form={"lot": "B9"}),
    ("GET", "/products/{product_id}/delete"): one("/products/{product}/delete", FOREIGN),
    ("POST", "/products/{product_id}/delete"): one("/products/{product}/delete", FOREIGN, form={}),
    ("GET", "/batches/{batch_id}/delete"): one("/batches/{batch}/delete", FOREIGN),
    ("POST", "/batches/{batch_id}/delete"): one("/batches/{batch}/delete", FOREIGN, form={}),
    ("GET", "/welcome"): one("/welcome"),
    ("POST", "/welcome"): one("/welcome", form={"timezone": "UTC", "bedtime": "23:00"}),
    ("GET", "/settings"): one("/settings"),
    ("POST", "/settings"): one(
        "/settings", form={"timezone": "America/New_York", "bedtime": "23:00", "lead_min": "60"}
    ),
    ("POST", "/settings/sleep-priority"): one("/settings/sleep-priority", form={}),
    ("GET", "/signin"): one("/signin"),
    ("POST", "/signin"): one("/signin", form={"email": BOB, "password": "wrong password!"}),
    ("POST", "/signout"): one("/signout", form={}),
    ("POST", "/settings/password"): one(
        "/settings/password",
        form={"current_password": "wrong", "new_password": "x" * 12, "repeat_password": "x" * 12},
    ),
    ("POST", "/settings/tokens/{token_id}/revoke"): one(
        "/settings/tokens/{token}/revoke", FOREIGN, form={}
    ),
    ("GET", "/insights"): one("/insights"),
    ("GET", "/experiments"): one("/experiments"),
    ("GET", "/experiments/{experiment_id}"): one("/experiments/{experiment}", FOREIGN),
    ("POST", "/experiments"): one("/experiments", form={"question": "Bob asks"}),
    ("POST", "/experiments/{experiment_id}/stop"): one(
        "/experiments/{experiment}/stop", FOREIGN, form={}
    ),
    ("GET", "/experiments/{experiment_id}/calendar.ics"): one(
        "/experiments/{experiment}/calendar.ics", FOREIGN
    ),
    ("GET", "/safety"): one("/safety"),
    ("GET", "/signals"): one("/signals"),
    ("POST", "/signals/checkin"): one("/signals/checkin", form={"craving": "1"}),
    ("GET", "/import"): one("/import"),
    ("POST", "/import"): one("/import", form={"source": "csv"}),
    # Taking data out: every export and the report are Bob's own, never Ann's.
    ("GET", "/api/v1/export/json"): one("/api/v1/export/json"),
    ("GET", "/api/v1/export/csv"): one("/api/v1/export/csv"),
    ("GET", "/api/v1/export/fhir"): one("/api/v1/export/fhir"),
    ("GET", "/api/v1/export/ics"): one("/api/v1/export/ics"),
    ("GET", "/settings/export/{kind}"): Case(
        lambda ids: [Call(f"/settings/export/{kind}", OWN) for kind in ("json", "fhir", "ics")]
    ),
    ("GET", "/api/v1/report"): one("/api/v1/report"),
    ("GET", "/report"): one("/report"),
    ("GET", "/report.pdf"): one("/report.pdf"),
    # Restore and delete-all act on Bob's data only (Ann's snapshot is compared at the end).
    ("POST", "/api/v1/restore"): one("/api/v1/restore", json={"format": "bedside-backup"}),
    ("POST", "/settings/restore"): one("/settings/restore", form={}),
    ("POST", "/api/v1/delete-all"): one("/api/v1/delete-all", json={"confirm": "DELETE"}),
    ("POST", "/settings/delete-all"): one("/settings/delete-all", form={"confirm": "DELETE"}),
    # The installable app's shell holds no one's data.
    ("GET", "/manifest.webmanifest"): one("/manifest.webmanifest"),
    ("GET", "/sw.js"): one("/sw.js"),
    ("GET", "/offline"): one("/offline"),
    # Sharing: Bob may not revoke Ann's grant nor view her through the person switcher.
    ("GET", "/api/v1/me"): one("/api/v1/me"),
    ("POST", "/api/v1/shares"): one("/api/v1/shares", json={"email": ANN, "access": "viewer"}),
    ("GET", "/api/v1/shares"): one("/api/v1/shares"),
    ("DELETE", "/api/v1/shares/{share_id}"): one("/api/v1/shares/{share}", FOREIGN),
    ("GET", "/api/v1/people"): one("/api/v1/people"),
    ("GET", "/api/v1/audit"): one("/api/v1/audit"),
    ("GET", "/people"): one("/people"),
    ("POST", "/people/{person_id}/view"): one("/people/{person}/view", FOREIGN, form={}),
    ("POST", "/people/leave"): one("/people/leave", form={}),
    ("POST", "/settings/sharing"): one("/settings/sharing", form={"email": ANN}),
    ("POST", "/settings/sharing/{share_id}/revoke"): one(
        "/settings/sharing/{share}/revoke", FOREIGN, form={}
    ),
    # Studies: Ann's study (Bob is neither its researcher nor in it).
    ("GET", "/api/v1/studies"): one("/api/v1/studies"),
    ("GET", "/api/v1/studies/consent"): one("/api/v1/studies/consent?code=NOPE"),
    ("POST", "/api/v1/studies/join"): one(
        "/api/v1/studies/join", json={"code": "NOPE", "consent": True}
    ),
    ("GET", "/api/v1/studies/enrolments"): one("/api/v1/studies/enrolments"),
    ("POST", "/api/v1/studies/{study_id}/withdraw"): one(
        "/api/v1/studies/{study}/withdraw", FOREIGN, json={}
    ),
    ("GET", "/api/v1/studies/{study_id}/participants"): one(
        "/api/v1/studies/{study}/participants", FOREIGN
    ),
    ("GET", "/api/v1/studies/{study_id}/export"): one("/api/v1/studies/{study}/export", FOREIGN),
    ("GET", "/studies"): one("/studies?code=NOPE"),
    ("POST", "/studies/join"): one("/studies/join", form={"code": "NOPE", "answer": "agree"}),
    ("POST", "/studies/{study_id}/withdraw"): one("/studies/{study}/withdraw", FOREIGN, form={}),
    ("GET", "/studies/{study_id}/export.zip"): one("/studies/{study}/export.zip", FOREIGN),
}


def route_table(app: FastAPI) -> Iterator[tuple[str, str]]:
    """``(METHOD, path)`` of every route the app serves (HEAD aside; static files aside)."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        items = list(contexts()) if callable(contexts) else [route]
        for item in items:
            methods = getattr(item, "methods", None) or ()
            for method in sorted(methods):
                if method != "HEAD":
                    yield method, item.path


def test_every_route_has_an_isolation_case(server: ServerApp) -> None:
    app = server.open().client.app
    assert isinstance(app, FastAPI)
    routes = set(route_table(app))
    assert len(routes) > 90
    missing = sorted(routes - set(CASES))
    assert not missing, f"routes without an isolation case in {__name__}: {missing}"
    assert not sorted(set(CASES) - routes), "cases for routes that no longer exist"


def _ann_records(ann: Browser) -> Ids:
    """Ann's profile and one record of every kind, each carrying the SECRET marker."""
    c = ann.client
    assert c.put("/api/v1/profile", json={**PROFILE, "medications": ["sertraline"]}).is_success
    product = c.post(
        "/api/v1/products",
        json={"name": f"{SECRET} blend", "form": "leaf_powder", "vendor": SECRET},
    ).json()
    batch = c.post(
        f"/api/v1/products/{product['id']}/batches", json={"lot": f"{SECRET}-LOT"}
    ).json()
    when = {"time": f"{NIGHT}T21:00"}
    made = {
        "dose": c.post(
            "/api/v1/doses",
            json={"amount": 3.7, "product_id": product["id"], "note": f"{SECRET} dose", **when},
        ),
        "pain": c.post("/api/v1/pain", json={"score": 7, "location": f"{SECRET} knee", **when}),
        "soreness": c.post(
            "/api/v1/soreness", json={"ratings": {"quads": 6}, "note": f"{SECRET} legs", **when}
        ),
        "workout": c.post(
            "/api/v1/workouts",
            json={"kind": "run", "duration_min": 31, "note": f"{SECRET} run", **when},
        ),
        "intake": c.post(
            "/api/v1/intakes",
            json={"kind": "alcohol", "amount": 1, "note": f"{SECRET} wine", **when},
        ),
        "diary": c.post(
            "/api/v1/diary",
            json={
                **DIARY_FORM,
                "sol_min": 20,
                "awakenings": 1,
                "waso_min": 10,
                "quality": 4,
                "comment": f"{SECRET} diary",
            },
        ),
        "experiment": c.post("/api/v1/experiments", json={"question": f"{SECRET} question?"}),
    }
    for kind, response in made.items():
        assert response.status_code == 201, (kind, response.text)
    ids = {kind: _first_id(response.json()) for kind, response in made.items()}
    share = c.post("/api/v1/shares", json={"email": DOC, "access": "viewer"})
    assert share.status_code == 201, share.text
    person = c.get("/api/v1/me").json()["id"]
    return {
        **ids,
        "product": product["id"],
        "batch": batch["id"],
        "share": share.json()["id"],
        "person": person,
    }


def _first_id(body: Any) -> int:
    value = body[0]["id"] if isinstance(body, list) else body["id"]
    assert isinstance(value, int)
    return value


def _ann_snapshot(ann: Browser) -> dict[str, Any]:
    """Everything of Ann's the API lists (to compare before and after Bob's walk)."""
    lists = (
        "/api/v1/products",
        "/api/v1/doses",
        "/api/v1/diary",
        "/api/v1/pain",
        "/api/v1/soreness",
        "/api/v1/workouts",
        "/api/v1/intakes",
        "/api/v1/experiments",
        "/api/v1/tokens",
        "/api/v1/profile",
    )
    return {url: ann.client.get(url).json() for url in lists}


def _ann_in_a_study(cli: Any, ann: Browser) -> int:
    """Rita's study, which Ann joins (consenting): its id."""
    made = cli(
        "study", "create", "--title", "T", "--owner", RITA, "--start", "2025-06-01", "--json"
    )
    study = made.json()
    body = {"code": study["enrolment_code"], "consent": True}
    assert ann.client.post("/api/v1/studies/join", json=body).status_code == 200
    study_id = study["id"]
    assert isinstance(study_id, int)
    return study_id


def _send(bob: Browser, method: str, call: Call, headers: dict[str, str] | None = None) -> Any:
    client = bob.client
    extra = {"headers": headers} if headers else {}
    if call.form is not None:
        data = {**call.form, "csrf_token": bob.csrf()}
        return client.request(method, call.url, data=data, follow_redirects=False, **extra)
    if method in ("POST", "PUT", "PATCH"):
        return client.request(
            method, call.url, json=call.json or {}, follow_redirects=False, **extra
        )
    return client.request(method, call.url, follow_redirects=False, **extra)


def test_a_second_participant_sees_and_changes_nothing_of_the_first(
    server: ServerApp, cli: Any, clinician: str, researcher: str
) -> None:
    ann, bob = server.open(), server.open()
    assert ann.sign_in(ANN).status_code == 200
    ids = _ann_records(ann)
    ids["study"] = _ann_in_a_study(cli, ann)
    cli("token", "create", ANN, "--name", f"{SECRET} token")
    ids["token"] = ann.client.get("/api/v1/tokens").json()[0]["id"]
    before = _ann_snapshot(ann)
    assert SECRET in str(before)
    assert bob.sign_in(BOB).status_code == 200
    assert bob.client.put("/api/v1/profile", json=PROFILE).is_success
    app = bob.client.app
    assert isinstance(app, FastAPI)
    failures: list[str] = []
    for method, path in sorted(set(route_table(app))):
        for call in CASES[(method, path)].calls(ids):
            response = _send(bob, method, call)
            where = f"{method} {call.url} → {response.status_code}"
            if SECRET in response.text:
                failures.append(f"{where}: the body shows Ann's data")
            if call.expect == FOREIGN and response.status_code not in (403, 404):
                failures.append(f"{where}: expected 403 or 404 on Ann's record")
            if call.expect == REFUSED_FORM and (
                response.status_code != 422
                or f"no product with id {ids['product']}" not in response.text
            ):
                failures.append(f"{where}: expected the form back with 'no product with id'")
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            if bob.client.get("/api/v1/session").status_code == 401:
                assert bob.sign_in(BOB).status_code == 200  # signed out by the last call
    assert not failures, "\n".join(failures)
    assert _ann_snapshot(ann) == before


@pytest.mark.parametrize("kind", ["doses", "diary", "pain", "products"])
def test_lists_of_a_second_participant_hold_only_their_own(
    server: ServerApp, kind: str, clinician: str
) -> None:
    ann, bob = server.open(), server.open()
    ann.sign_in(ANN)
    _ann_records(ann)
    bob.sign_in(BOB)
    assert bob.client.get(f"/api/v1/{kind}").json() == []
    assert ann.client.get(f"/api/v1/{kind}").json() != []


READS = ("GET", "HEAD")
#: What a manager may change for the person (the plan, caps and wind-down).
MANAGER_WRITES = {("PUT", "/api/v1/profile"), ("POST", "/settings")}


def _about_themselves(method: str, path: str) -> bool:
    """Routes about the signed-in account itself (or signing in): the header is ignored."""
    return is_own_account(path) or is_public(method, path)


def _walk_as_clinician(
    server: ServerApp,
    ids: Ids,
    refused: Callable[[str, str], bool],
    email: str = DOC,
    foreign_refused: bool = False,
) -> list[str]:
    """``email`` walks every route for Ann (``X-Bedside-Person``); 403/404 where ``refused``
    (and, with ``foreign_refused``, on every call naming one of Ann's records)."""
    doc = server.open()
    assert doc.sign_in(email).status_code == 200
    acting = {"X-Bedside-Person": str(ids["person"])}
    app = doc.client.app
    assert isinstance(app, FastAPI)
    failures: list[str] = []
    for method, path in sorted(set(route_table(app))):
        for call in CASES[(method, path)].calls(ids):
            response = _send(doc, method, call, acting)
            where = f"{method} {call.url} → {response.status_code}"
            if refused(method, path) or (foreign_refused and call.expect == FOREIGN):
                if response.status_code not in (403, 404):
                    failures.append(f"{where}: expected 403 or 404")
                if SECRET in response.text:
                    failures.append(f"{where}: the body shows Ann's data")
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            if doc.client.get("/api/v1/session").status_code == 401:
                assert doc.sign_in(email).status_code == 200  # signed out by the last call
    return failures


def _ann_sharing(server: ServerApp, access: str, cli: Any) -> tuple[Browser, Ids]:
    ann = server.open()
    assert ann.sign_in(ANN).status_code == 200
    ids = _ann_records(ann)
    ids["study"] = _ann_in_a_study(cli, ann)
    ann.client.post("/api/v1/shares", json={"email": DOC, "access": access})
    ids["token"] = 1
    return ann, ids


def test_a_revoked_clinician_gets_nothing_from_any_route(
    server: ServerApp, clinician: str, researcher: str, cli: Any
) -> None:
    ann, ids = _ann_sharing(server, "viewer", cli)
    doc = server.open()
    doc.sign_in(DOC)
    acting = {"X-Bedside-Person": str(ids["person"])}
    assert SECRET in doc.client.get("/api/v1/doses", headers=acting).text  # while shared
    assert ann.client.delete(f"/api/v1/shares/{ids['share']}").status_code == 204
    before = _ann_snapshot(ann)
    failures = _walk_as_clinician(
        server, ids, lambda method, path: not _about_themselves(method, path)
    )
    assert not failures, "\n".join(failures)
    assert _ann_snapshot(ann) == before


@pytest.mark.parametrize("access", ["viewer", "manager"])
def test_a_clinician_changes_nothing_beyond_their_access(
    server: ServerApp, clinician: str, researcher: str, cli: Any, access: str
) -> None:
    ann, ids = _ann_sharing(server, access, cli)
    before = _ann_snapshot(ann)

    def refused(method: str, path: str) -> bool:
        if method in READS or _about_themselves(method, path):
            return False
        return access == "viewer" or (method, path) not in MANAGER_WRITES

    failures = _walk_as_clinician(server, ids, refused)
    assert not failures, "\n".join(failures)
    after = _ann_snapshot(ann)
    if access == "manager":  # the manager's one allowed change: the profile (plan, caps)
        before.pop("/api/v1/profile"), after.pop("/api/v1/profile")
    assert after == before
    audit = ann.client.get("/api/v1/audit").json()
    assert {line["who"] for line in audit} == {DOC}
    assert any(line["what"] == "GET /history" for line in audit)


def test_a_researcher_outside_the_study_gets_nothing_from_any_route(
    server: ServerApp, clinician: str, researcher: str, cli: Any
) -> None:
    cli("user", "add", REX, "--role", "researcher", input=PASSWORDS[REX] + "\n")
    ann, ids = _ann_sharing(server, "viewer", cli)
    before = _ann_snapshot(ann)
    failures = _walk_as_clinician(
        server,
        ids,
        lambda method, path: not _about_themselves(method, path),
        email=REX,
        foreign_refused=True,
    )
    assert not failures, "\n".join(failures)
    assert _ann_snapshot(ann) == before


def test_a_withdrawn_participants_former_study_gets_nothing_from_any_route(
    server: ServerApp, clinician: str, researcher: str, cli: Any
) -> None:
    ann, ids = _ann_sharing(server, "viewer", cli)
    left = ann.client.post(f"/api/v1/studies/{ids['study']}/withdraw", json={})
    assert left.json()["status"] == "withdrawn"
    before = _ann_snapshot(ann)
    failures = _walk_as_clinician(
        server, ids, lambda method, path: not _about_themselves(method, path), email=RITA
    )
    assert not failures, "\n".join(failures)
    assert _ann_snapshot(ann) == before
    rita = server.open()
    rita.sign_in(RITA)
    assert rita.client.get(f"/api/v1/studies/{ids['study']}/participants").json() == []
