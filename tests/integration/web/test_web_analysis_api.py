"""API: insights and experiments, exact numbers and problem+json mistakes naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bedside.web.app import create_app
from tests.integration.web.conftest import BASE_URL, Clock, Web
from tests.integration.web.simulated_experiment import build_completed_experiment, evening_after

PROBLEM = "application/problem+json"
PLAN = {"question": "Does kratom help me sleep?", "outcome": "quality", "threshold": 0.5}


@pytest.fixture
def finished(web_settings: object) -> Iterator[Web]:
    """The API on a database with a completed simulated 6-pair experiment."""
    build_completed_experiment(web_settings)  # type: ignore[arg-type]
    clock = Clock(evening_after())
    with TestClient(create_app(web_settings, clock=clock), base_url=BASE_URL) as client:  # type: ignore[arg-type]
        yield Web(client=client, settings=web_settings, clock=clock)  # type: ignore[arg-type]


def test_insights_api(finished: Web) -> None:
    body = finished.api("GET", "/api/v1/insights?outcome=quality&from=2025-01-06").json()
    assert body["label"] == "association, not proof"
    assert body["status"] == "ok" and body["from"] == "2025-01-06"
    assert body["counts"]["with_kratom"] + body["counts"]["without_kratom"] == 60
    assert (
        body["result"]["primary"]["adjusted"]["ci90"][0]
        < body["result"]["primary"]["adjusted"]["estimate"]
    )
    # the chances are stated in neutral words, never with an experiment's verdict band
    assert any("not a verdict on kratom" in line for line in body["summary"])
    assert not any("worth it" in line for line in body["summary"])


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/insights?outcome=mood", "outcome"),
        ("/api/v1/insights?from=2025-02-30", "from"),
        ("/api/v1/insights?from=2025-03-01&to=2025-02-01", "from"),
        ("/api/v1/experiments/0", "experiment_id"),
        ("/api/v1/experiments/99", "experiment_id"),
        ("/api/v1/experiments/99/analysis", "experiment_id"),
    ],
)
def test_read_mistakes_are_problems(finished: Web, url: str, field: str) -> None:
    response = finished.api("GET", url)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == field


def test_experiment_reads(finished: Web) -> None:
    listed = finished.api("GET", "/api/v1/experiments").json()
    assert [e["id"] for e in listed] == [1] and listed[0]["status"] == "complete"
    shown = finished.api("GET", "/api/v1/experiments/1").json()
    assert len(shown["schedule"]) == 60 and shown["adherence"]["followed"] == 60
    analysis = finished.api("GET", "/api/v1/experiments/1/analysis").json()
    assert analysis["status"] == "complete"
    paired = analysis["result"]["comparisons"][0]["paired"]
    assert paired["k"] == 6 and paired["ci95"][0] < paired["estimate"] < paired["ci95"][1]
    assert analysis["result"]["comparisons"][0]["randomisation"]["min_p"] == pytest.approx(2 / 64)
    assert finished.api("GET", "/api/v1/experiments/tonight").json() is None


def test_plan_assign_and_stop(profiled: Web) -> None:
    assert profiled.api("GET", "/api/v1/experiments/tonight").json() is None
    created = profiled.api("POST", "/api/v1/experiments", json={**PLAN, "nights": 5})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["pairs"] == 6 and body["levels"] == ["kratom", "no kratom"]
    assert body["precision"]["available"] is False
    tonight = profiled.api("GET", "/api/v1/experiments/tonight").json()
    assert tonight["experiment_id"] == body["id"] and tonight["status"] == "not_started"
    conflict = profiled.api("POST", "/api/v1/experiments", json=PLAN)
    assert conflict.status_code == 409 and conflict.headers["content-type"] == PROBLEM
    early = profiled.api("GET", f"/api/v1/experiments/{body['id']}/analysis").json()
    assert early["status"] == "in_progress"
    stopped = profiled.api("POST", f"/api/v1/experiments/{body['id']}/stop", json={})
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    again = profiled.api("POST", f"/api/v1/experiments/{body['id']}/stop", json={})
    assert again.status_code == 409 and again.json()["field"] == "experiment_id"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pairs": 2}, "pairs"),
        ({"pairs": "x"}, "pairs"),
        ({"threshold": 0}, "threshold"),
        ({"outcome": "mood"}, "outcome"),
        ({"levels": ["kratom"]}, "levels"),
        ({"start": "2020-01-01"}, "start"),
        ({"question": ""}, "question"),
        ({"start": "9999-12-31"}, "start"),
    ],
)
def test_plan_mistakes_are_problems(profiled: Web, change: dict[str, object], field: str) -> None:
    response = profiled.api("POST", "/api/v1/experiments", json={**PLAN, **change})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in response.json()["field"]


def test_no_experiment_yet(profiled: Web) -> None:
    assert profiled.api("GET", "/api/v1/experiments").json() == []
    missing = profiled.api("POST", "/api/v1/experiments/1/stop", json={})
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
