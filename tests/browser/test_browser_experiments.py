"""Experiments and Insights in the browser, on a database with a completed 6-pair experiment."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bedside.settings import Settings, sqlite_url
from tests.browser.conftest import Browsing, Server, open_page, serve_database
from tests.integration.web.simulated_experiment import build_completed_experiment

pytestmark = pytest.mark.browser
WARM_UP = ("/insights", "/experiments")


@pytest.fixture
def experiment_server(tmp_path: Path) -> Iterator[Server]:
    """``bedside serve`` started on a database built first, through the services."""
    db, data = tmp_path / "experiment.db", tmp_path / "data"
    build_completed_experiment(Settings(database_url=sqlite_url(db), data_dir=data))
    for server in serve_database(db, data):
        for path in WARM_UP:  # the first analysis imports matplotlib and SciPy: a few seconds
            with urllib.request.urlopen(server.url + path, timeout=60) as response:
                assert response.status == 200
        yield server


@pytest.fixture
def finished(browser: Any, experiment_server: Server) -> Iterator[Browsing]:
    yield from open_page(browser, experiment_server, timezone_id="America/New_York")


def test_completed_experiment_and_insights(finished: Browsing) -> None:
    page = finished.page
    page.goto("/experiments")
    expect(page.get_by_role("heading", name="Experiments", exact=True)).to_be_visible()
    expect(page.get_by_text("Over your 6 kratom and 6 no kratom periods")).to_be_visible()
    expect(page.get_by_text("Period-level paired estimate")).to_be_visible()
    expect(page.get_by_text("Exact randomisation p")).to_be_visible()
    expect(page.get_by_text("Non-overlap (NAP)")).to_be_visible()
    charts = page.locator("svg[role=img]:visible")  # the wide rendering of each chart
    expect(charts).to_have_count(2)
    titles = charts.locator("title").all_text_contents()
    assert any("each experiment night" in t for t in titles), titles
    assert any("mean of each period" in t for t in titles), titles
    box = charts.first.bounding_box()
    assert box is not None and box["height"] > 50
    expect(page.get_by_role("link", name="Download the schedule (.ics calendar)")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_text("Association, not proof.")).to_be_visible()
    expect(page.locator("svg[role=img]:visible").first).to_be_visible()
    page.get_by_label("Outcome", exact=True).select_option(label="Feeling rested")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Feeling rested")).to_be_visible()


@pytest.mark.parametrize("path", ["/experiments", "/insights"])
def test_phone_layout_has_no_horizontal_scroll(
    browser: Any, experiment_server: Server, path: str
) -> None:
    for browsing in open_page(
        browser, experiment_server, viewport=(375, 740), timezone_id="America/New_York",
        is_mobile=True,
    ):  # fmt: skip
        browsing.page.goto(path)
        expect(browsing.page.locator("svg[role=img]:visible").first).to_be_visible()
        width = browsing.page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (path, width)
