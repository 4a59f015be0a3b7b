"""In the browser: a dose after alcohol needs an acknowledgement; an Apple import in History."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EVENING_ZONE, Browsing, Server, open_page

pytestmark = pytest.mark.browser
SAMPLE = Path("tests/data/samples/synthetic/apple-watch-iphone-dst.xml").resolve()
ACK = "I have read this and choose to log the dose"


def test_dose_after_alcohol_needs_the_acknowledgement(set_up: Browsing) -> None:
    page = set_up.page
    page.goto("/log/intake")
    page.get_by_label("Alcohol").check()
    page.get_by_label("Amount").fill("3")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_role("heading", name=re.compile("^Tonight"))).to_be_visible()
    alcohol = page.locator(".finding.severity-avoid", has_text=re.compile("alcohol", re.I))
    expect(alcohol.first).to_be_visible()

    page.goto("/log/dose")
    page.get_by_label("Amount").fill("3")
    page.get_by_role("button", name="Log dose").click()
    expect(page.get_by_text("Nothing has been saved yet")).to_be_visible()
    expect(page.locator("#dose-findings .severity-avoid").first).to_be_visible()
    assert json.loads(set_up.server.cli("dose", "list", "--json").stdout) == []

    page.get_by_role("button", name="Log dose").click()  # still not ticked: asked again
    expect(page.get_by_label(ACK)).to_be_visible()
    assert json.loads(set_up.server.cli("dose", "list", "--json").stdout) == []

    page.get_by_label(ACK).check()
    page.get_by_role("button", name="Log dose").click()
    expect(page).to_have_url(re.compile(r"/\?saved=dose$"))
    [dose] = json.loads(set_up.server.cli("dose", "list", "--json").stdout)
    with sqlite3.connect(set_up.server.db) as conn:
        query = "select dose_id, finding_ids, context from finding_acknowledgements"
        rows = list(conn.execute(query))
    assert len(rows) == 1 and rows[0][0] == dose["id"] and rows[0][2] == "web"
    assert "predose.recent-alcohol" in rows[0][1]


def test_apple_import_then_history_side_by_side(set_up: Browsing) -> None:
    page = set_up.page
    page.goto("/settings")
    page.get_by_label("Time zone").fill("America/Los_Angeles")
    page.get_by_role("button", name=re.compile("^Save")).first.click()
    profile = page.request.get("/api/v1/profile").json()
    assert profile["timezone"] == "America/Los_Angeles"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    page.get_by_label("Export file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name=f"Imported {SAMPLE.name}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"nights? updated"))).to_be_visible()

    page.goto("/diary?night=2024-03-09")
    expect(page.get_by_label("Night of (the evening's date)")).to_have_value("2024-03-09")
    # the form starts empty (usual times are hints only), so every answer is typed
    page.get_by_label("Got into bed").fill("23:00")
    page.get_by_label("Tried to sleep").fill("23:10")
    page.get_by_label("Minutes to fall asleep").fill("15")
    page.get_by_label("Times woke up (not the last)").fill("0")
    page.get_by_label("Minutes awake during those awakenings, in total").fill("0")
    page.get_by_label("Final awakening").fill("06:30")
    page.get_by_label("Got out of bed").fill("06:45")
    page.get_by_label("4 good").check()
    page.get_by_role("button", name="Save diary").click()
    expect(page).to_have_url(re.compile(r"/diary/2024-03-09\?saved=1$"))

    page.goto("/history?from=2024-03-08&to=2024-03-10")
    night = page.locator("#night-2024-03-09")
    diary = night.locator(".sleep-source.diary")
    expect(diary).to_contain_text(re.compile(r"Diary: .* asleep, SE \d+%"))
    expect(night.locator(".sleep-source.wearable")).to_contain_text(
        re.compile(r"Wearable \(.*Apple Watch.*\): 6 h 35 min asleep · deep 60")
    )


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Browsing]:
    yield from open_page(
        browser, server, viewport=(375, 740), timezone_id=EVENING_ZONE, is_mobile=True
    )


def test_new_pages_fit_a_phone(phone: Browsing) -> None:
    page = phone.page
    body = {"timezone": EVENING_ZONE, "medications": ["alprazolm"], "region": "US-FL"}
    assert page.request.put("/api/v1/profile", data=body).status == 200
    for path in ("/safety?code=US-FL-Sarasota-County", "/signals", "/import", "/history"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (path, width)
