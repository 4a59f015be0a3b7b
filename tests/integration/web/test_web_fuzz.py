"""Fuzz the JSON API from its OpenAPI schema (Schemathesis): no input may cause a 5xx.

Needs ``schemathesis`` (a declared test dependency; skipped only where it is not installed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from bedside.settings import Settings, sqlite_url  # noqa: E402
from bedside.web.app import create_app  # noqa: E402
from tests.integration.web.conftest import BASE_URL, PROFILE, Clock  # noqa: E402

pytestmark = pytest.mark.slow
HOST = {"Host": "127.0.0.1:8765"}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The schema of an app with a profile and a few entries (so ids can match)."""
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        Settings(database_url=sqlite_url(tmp / "fuzz.db"), data_dir=tmp / "data"), clock=Clock()
    )
    with TestClient(app, base_url=BASE_URL) as client:
        client.put("/api/v1/profile", json=PROFILE)
        product = client.post("/api/v1/products", json={"name": "P"}).json()
        client.post(f"/api/v1/products/{product['id']}/batches", json={"lot": "L"})
        client.post("/api/v1/doses", json={"amount": 1, "product_id": product["id"]})
        client.post("/api/v1/pain", json={"score": 1})
        client.post("/api/v1/soreness", json={"ratings": {"quads": 1}})
        client.post("/api/v1/workouts", json={"kind": "run", "duration_min": 10})
        client.post("/api/v1/intakes", json={"kind": "caffeine", "amount": 50})
    return schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=HOST)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_answers_5xx(case: Any) -> None:
    response = case.call(headers=HOST)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        media = response.headers.get("content-type")
        assert (media[0] if isinstance(media, list) else media) == "application/problem+json"
