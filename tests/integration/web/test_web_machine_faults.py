"""Machine faults on the web: a problem (never a 500) in the API, a calm page for forms."""

from __future__ import annotations

import pytest

from tests.integration.faults.disk import DISK_FULL_MESSAGE, full_disk
from tests.integration.web.conftest import Web

PROBLEM = "application/problem+json"


def test_api_write_on_a_full_disk_is_a_problem(profiled: Web) -> None:
    with full_disk():
        profiled.client.app.state.bedside.database.engine.dispose()  # type: ignore[attr-defined]
        for _ in range(20):
            response = profiled.api("POST", "/api/v1/pain", json={"score": 4, "note": "n" * 1900})
            if response.status_code != 201:
                break
        assert response.status_code == 507, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["detail"] == DISK_FULL_MESSAGE
        assert profiled.get("/api/v1/pain").status_code == 200  # reading still works
    documented = profiled.get("/api/openapi.json").json()["paths"]["/api/v1/pain"]["post"]
    assert "507" in documented["responses"]


def test_form_on_a_full_disk_keeps_the_form(profiled: Web) -> None:
    profiled.token()
    with full_disk():
        profiled.client.app.state.bedside.database.engine.dispose()  # type: ignore[attr-defined]
        for _ in range(20):
            response = profiled.post("/log/pain", {"score": "6", "note": "n" * 1900})
            if response.status_code != 303:
                break
    # the form comes back with the reason and everything typed, so nothing has to be retyped
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert DISK_FULL_MESSAGE in response.text
    assert "Traceback" not in response.text and "n" * 1900 in response.text


@pytest.mark.parametrize("name", ["A" * 300, "localtime", "right/Europe/London"])
def test_api_and_form_refuse_odd_time_zones(profiled: Web, name: str) -> None:
    response = profiled.api("PUT", "/api/v1/profile", json={"timezone": name})
    assert response.status_code == 422 and response.json()["field"] == "timezone"
    page = profiled.post("/welcome", {"timezone": name, "bedtime": "23:00"})
    assert page.status_code in (200, 422) and 'id="f-timezone-error"' in page.text
