"""The Report page, its PDF download and the report JSON, on the 8-week history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from bedside.settings import Settings
from bedside.web.app import create_app
from tests.integration.report.report_history import NIGHTS, UNKNOWN, build_history
from tests.integration.web.conftest import BASE_URL, Clock, Web
from tests.integration.web.simulated_experiment import build_completed_experiment, evening_after


@pytest.fixture
def reported(web: Web) -> tuple[Web, str, str]:
    """The app on the 8-week history, its clock at the real present (the history's end)."""
    start, end = build_history(web.settings)
    web.clock.now = datetime.now(UTC)
    return web, start.isoformat(), end.isoformat()


def test_report_page_shows_every_section_and_links_the_pdf(
    reported: tuple[Web, str, str],
) -> None:
    web, start, end = reported
    page = web.get(f"/report?from={start}&to={end}")
    assert page.status_code == 200
    for heading in ("Period and completeness", "Evening kratom use", "Dependence signals"):
        assert heading in page.text
    assert f'href="/report.pdf?from={start}&amp;to={end}"' in page.text
    assert "Download PDF" in page.text
    assert 'href="/report" aria-current="page"' in page.text
    assert f"{NIGHTS - len(UNKNOWN)} of {NIGHTS} nights" in page.text
    assert page.text.count('src="data:image/svg+xml;base64,') == 4  # with the sleep window
    assert "Law dated " in page.text and " · checked " in page.text


def test_report_pdf_download(reported: tuple[Web, str, str]) -> None:
    web, start, end = reported
    response = web.get(f"/report.pdf?from={start}&to={end}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"bedside-report-{start}-to-{end}.pdf" in response.headers["content-disposition"]


def test_report_json_is_the_typed_model(reported: tuple[Web, str, str]) -> None:
    web, start, end = reported
    data = web.api("GET", f"/api/v1/report?from={start}&to={end}").json()
    assert data["period"]["start"] == start and data["period"]["end"] == end
    assert data["period"]["nights_unknown"] == len(UNKNOWN)
    assert {f["source"] for f in data["sleep"]["figures"]} == {"diary"}
    assert data["kratom"]["products"][0]["product"] == "Red Bali"
    default = web.api("GET", "/api/v1/report").json()
    assert default["period"]["end"] == end  # bounded to the last night with logs
    schema = web.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/report"]["get"]
    assert operation["operationId"] == "get_report"
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ClinicianReport")


def test_report_range_mistakes_are_one_line(reported: tuple[Web, str, str]) -> None:
    web, start, end = reported
    api = web.api("GET", f"/api/v1/report?from={end}&to={start}")
    assert api.status_code == 422
    assert api.headers["content-type"].startswith("application/problem+json")
    page = web.get(f"/report?from={end}&to={start}")
    assert page.status_code == 422 and "after it ends" in page.text
    pdf = web.get("/report.pdf?from=not-a-date")
    assert pdf.status_code == 422 and "Traceback" not in pdf.text


def test_report_without_a_profile_goes_to_first_run(web: Web) -> None:
    response = web.get("/report", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/welcome"


@pytest.fixture
def experimented(web_settings: Settings) -> Iterator[Web]:
    """The app on a database with a completed simulated 6-pair experiment."""
    build_completed_experiment(web_settings)
    clock = Clock(evening_after())
    app = create_app(web_settings, clock=clock)
    with TestClient(app, base_url=BASE_URL) as client:
        yield Web(client=client, settings=web_settings, clock=clock)


def test_report_carries_the_experiment_result_with_its_limits(experimented: Web) -> None:
    data = experimented.api("GET", "/api/v1/report").json()
    experiment = data["experiment"]
    assert experiment is not None
    assert experiment["status"] == "complete"
    assert experiment["summary"] and experiment["does_not_show"]
    assert any(
        "%" in line or "interval" in line or "range" in line for line in experiment["summary"]
    )
    pdf = experimented.get("/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = experimented.get("/report")
    assert experiment["question"] in page.text and "It does not show" in page.text
