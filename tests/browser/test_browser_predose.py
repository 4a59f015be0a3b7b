"""On a phone: "Log the same as last time" only within the caps; a second dose needs the tick."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EVENING_ZONE, Browsing, Server, open_page

pytestmark = pytest.mark.browser
WIDTH = 375


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Browsing]:
    yield from open_page(
        browser, server, viewport=(WIDTH, 740), timezone_id=EVENING_ZONE, is_mobile=True
    )


def last_night() -> str:
    """The night that just ended in the browser's zone."""
    return (datetime.now(ZoneInfo(EVENING_ZONE)).date() - timedelta(days=1)).isoformat()


def fits(page: Any) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH


def test_no_amount_above_the_cap_and_a_second_dose_asks_first(phone: Browsing) -> None:
    page = phone.page
    profile = {"timezone": EVENING_ZONE, "bedtime": "23:00", "lead_min": 60, "cap_dose_g": 2}
    assert page.request.put("/api/v1/profile", data=profile).status == 200
    product = page.request.post("/api/v1/products", data={"name": "Red Bali"}).json()
    dose = {"amount": 3, "night": last_night(), "time": "22:00", "product_id": product["id"]}
    assert page.request.post("/api/v1/doses", data=dose).status == 201

    page.goto("/")
    expect(page.get_by_role("link", name="Log a dose")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("same as last time"))).to_have_count(0)
    fits(page)
    page.goto("/log/dose")
    expect(page.get_by_label("Amount")).to_have_value("")
    expect(page.get_by_role("button", name=re.compile("same as last time"))).to_have_count(0)

    assert page.request.put("/api/v1/profile", data={**profile, "cap_dose_g": 3}).status == 200
    page.goto("/")
    repeat = page.get_by_role("button", name="Log the same as last time (3 g Red Bali)")
    expect(repeat).to_be_visible()
    fits(page)
    repeat.click()
    expect(page).to_have_url(re.compile(r"/\?saved=dose$"))

    expect(page.get_by_text("This would be a second dose").first).to_be_visible()
    tick = page.get_by_label("I have read the findings above and choose to log the dose")
    expect(tick).to_be_visible()
    fits(page)
    repeat.click()  # not ticked: the browser asks for the tick, nothing is saved
    doses = json.loads(phone.server.cli("dose", "list", "--json").stdout)
    assert len(doses) == 2
    tick.check()
    repeat.click()
    expect(page).to_have_url(re.compile(r"/\?saved=dose$"))
    assert len(json.loads(phone.server.cli("dose", "list", "--json").stdout)) == 3
