"""Bedside as a phone app: Tonight at a glance at 375 × 812, installable, offline, reminder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EVENING_ZONE, Browsing, Server, open_page

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 375, 812
#: Two medications and a condition: six findings on Tonight, two of them `avoid`.
PROFILE = {
    "timezone": EVENING_ZONE,
    "bedtime": "23:00",
    "lead_min": 60,
    "medications": ["tramadol", "zolpidem"],
    "conditions": ["sleep apnea"],
}


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Browsing]:
    yield from open_page(
        browser,
        server,
        viewport=(WIDTH, HEIGHT),
        timezone_id=EVENING_ZONE,
        is_mobile=True,
        has_touch=True,
        permissions=["notifications"],
    )


def above_the_fold(locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


def test_tonight_shows_intake_findings_and_log_on_the_first_screen(phone: Browsing) -> None:
    page = phone.page
    assert page.request.put("/api/v1/profile", data=PROFILE).status == 200
    page.goto("/")
    intake = page.locator(".intake .big time").first
    countdown = page.locator(".intake .countdown")
    log = page.get_by_role("link", name="Log a dose")
    for locator in (intake, countdown, log):
        expect(locator).to_be_visible()
        above_the_fold(locator)
    lines = page.locator(".finding.line")
    assert lines.count() >= 4
    for i in range(lines.count()):
        summary = lines.nth(i).locator("summary")
        above_the_fold(summary)
        assert summary.bounding_box()["height"] < 56  # one line each
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH
    first = lines.first
    expect(first.locator(".severity")).to_have_text("Avoid")
    first.locator("summary").click()
    expect(first.locator(".sources")).to_be_visible()  # why, and the sources, one tap away

    dose = page.request.post("/api/v1/doses", data={"amount": 3})
    assert dose.status == 201
    page.goto("/")
    state = page.get_by_role("heading", name=re.compile(r"^Logged 3 g at \d\d:\d\d · "))
    expect(state).to_be_visible()
    above_the_fold(state)
    expect(page.get_by_text("Before you take anything")).to_have_count(0)
    # a second dose still needs the acknowledgement tick
    repeat = page.get_by_role("button", name=re.compile("Log the same as last time"))
    tick = page.get_by_label("I have read the findings above and choose to log the dose")
    repeat.click()
    expect(page).to_have_url(re.compile(r"/$"))
    tick.check()
    repeat.click()
    expect(page).to_have_url(re.compile(r"/\?saved=dose$"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH


def test_installable_with_a_worker_that_caches_only_the_shell(phone: Browsing) -> None:
    page = phone.page
    assert page.request.put("/api/v1/profile", data=PROFILE).status == 200
    assert page.request.post("/api/v1/doses", data={"amount": 4.75}).status == 201
    manifest = page.request.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    worker = page.request.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")

    page.goto("/")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == phone.server.url + "/"
    page.goto("/history")  # controlled now: the worker sees these navigations
    page.goto("/")
    cached = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert "/offline" in cached and "/static/bedside.css" in cached
    assert all(u == "/offline" or u.startswith(("/static/", "/manifest")) for u in cached)

    phone.server.process.terminate()  # the computer running Bedside goes away
    phone.server.process.wait(timeout=10)
    page.goto("/history")
    expect(page.get_by_role("heading", name="Bedside can't be reached")).to_be_visible()
    assert "4.75" not in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH


def test_tonight_asks_once_about_a_notification_at_intake_time(phone: Browsing) -> None:
    page = phone.page
    assert page.request.put("/api/v1/profile", data=PROFILE).status == 200
    page.goto("/")
    ask = page.get_by_text("Show a notification at intake time")
    expect(ask).to_be_visible()
    expect(page.get_by_role("link", name="Settings").last).to_be_visible()  # calendar
    page.get_by_role("button", name="Yes, notify me").click()
    expect(ask).to_be_hidden()
    clock = page.locator(".intake").get_attribute("data-intake-clock")
    expect(
        page.get_by_text(f"A notification will show at {clock} while Bedside is open.")
    ).to_be_visible()
    page.reload()
    expect(ask).to_be_hidden()  # asked once
    expect(page.get_by_text(f"A notification will show at {clock}")).to_be_visible()
