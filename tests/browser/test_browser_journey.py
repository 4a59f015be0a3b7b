"""A new person's evening and morning in the browser, edits, errors and the phone layout."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EVENING_ZONE, Browsing, Server, open_page

pytestmark = pytest.mark.browser


def last_night(zone: str = EVENING_ZONE) -> str:
    """The night that just ended, as the diary form defaults to it."""
    return (datetime.now(ZoneInfo(zone)).date() - timedelta(days=1)).isoformat()


def test_new_user_journey(browsing: Browsing) -> None:
    page = browsing.page
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/welcome$"))
    expect(page.get_by_role("heading", name="Welcome to Bedside")).to_be_visible()
    # the time zone comes from the browser (Intl), the rest are defaults
    expect(page.get_by_label("Time zone")).to_have_value(EVENING_ZONE)
    page.get_by_label("Target bedtime").fill("23:00")
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", name=re.compile("^Tonight"))).to_be_visible()
    saved = page.get_by_role("status")
    expect(saved).to_contain_text("Your settings are saved.")
    expect(saved).to_contain_text("Bedside is not medical advice.")
    expect(page.get_by_text("60 min before your bedtime of 23:00")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Products").click()
    page.get_by_label("Name on the label").fill("Red Bali")
    page.get_by_text("Lab batch (optional)").click()
    page.get_by_label("Lot or batch number").fill("RB-7")
    page.get_by_label("Mitragynine, % w/w", exact=True).fill("1.2")
    page.get_by_role("button", name="Add product").click()
    expect(page.get_by_role("heading", name="Red Bali")).to_be_visible()
    expect(page.get_by_text("Lot RB-7")).to_be_visible()

    night = last_night()
    page.get_by_role("link", name="Log", exact=True).click()
    page.get_by_role("link", name=re.compile("^Dose")).click()
    page.get_by_label("Amount").fill("3")
    page.get_by_label("Product").select_option(label="Red Bali")
    page.get_by_label("Time taken").fill(f"{night}T22:00")
    page.get_by_label("Why").select_option("pain")
    page.get_by_role("button", name="Log dose").click()
    # a dose for a past night goes to that night in History
    expect(page).to_have_url(re.compile(rf"/history#night-{night}$"))

    page.get_by_role("link", name="Diary", exact=True).click()
    expect(page.get_by_label("Night of (the evening's date)")).to_have_value(night)
    # never pre-filled with made-up times: the usual time is a placeholder only
    expect(page.get_by_label("Got into bed")).to_have_value("")
    expect(page.get_by_label("Got into bed")).to_have_attribute("placeholder", "23:00")
    page.get_by_label("Got into bed").fill("23:00")
    page.get_by_label("Tried to sleep").fill("23:10")
    page.get_by_label("Minutes to fall asleep").fill("20")
    page.get_by_label("Times woke up (not the last)").fill("1")
    page.get_by_label("Minutes awake during those awakenings, in total").fill("15")
    page.get_by_label("Final awakening").fill("06:40")
    page.get_by_label("Got out of bed").fill("07:00")
    page.get_by_label("4 good").check()
    page.get_by_role("button", name="Save diary").click()

    expect(page).to_have_url(re.compile(rf"/diary/{night}\?saved=1$"))
    metrics = page.locator("dl.metrics")
    expect(metrics).to_contain_text("6 h 55 min")  # (06:40 − 23:10) − 20 − 15
    expect(metrics).to_contain_text("86 %")

    page.get_by_role("link", name="History", exact=True).click()
    card = page.locator(f"#night-{night}")
    expect(card.locator("dl.metrics")).to_contain_text("6 h 55 min")
    expect(card.locator("dl.metrics")).to_contain_text("4/5")
    expect(card.locator(".entries")).to_contain_text("dose 60 min before bed")
    expect(card.locator(".entries")).to_contain_text("3 g Red Bali")

    doses = json.loads(browsing.server.cli("dose", "list", "--json").stdout)
    assert [(d["amount"], d["product_name"], d["night"]) for d in doses] == [(3, "Red Bali", night)]
    diary = json.loads(browsing.server.cli("diary", "show", "--night", night, "--json").stdout)
    assert diary["total_sleep_time_min"] == 415


def test_edit_and_delete_an_entry(set_up: Browsing) -> None:
    page = set_up.page
    night = last_night()
    created = page.request.post("/api/v1/pain", data={"score": 6, "time": f"{night}T20:00"})
    assert created.status == 201
    page.goto("/history")
    card = page.locator(f"#night-{night}")
    expect(card).to_contain_text("6/10")

    card.get_by_role("link", name="Edit the pain rating at 20:00").click()
    expect(page.get_by_role("heading", name="Edit pain")).to_be_visible()
    page.get_by_label("3", exact=True).check()
    page.get_by_label("Where").fill("lower back")
    page.get_by_role("button", name="Save changes").click()
    expect(card).to_contain_text("3/10 lower back")

    card.get_by_role("link", name="Delete the pain rating at 20:00").click()
    expect(page.get_by_text("the pain rating of 3/10 at 20:00")).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(f"#night-{night}")).to_contain_text("Nothing logged")
    assert page.request.get("/api/v1/pain").json() == []


def test_form_error_is_shown_next_to_its_field(set_up: Browsing) -> None:
    page = set_up.page
    page.goto("/log/dose")
    page.get_by_label("Amount").fill("500")
    page.get_by_label("Note").fill("<script>window.hacked = 1</script>")
    page.get_by_role("button", name="Log dose").click()
    error = page.locator("#f-amount-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("not a plausible single dose")
    amount = page.get_by_label("Amount")
    expect(amount).to_have_value("500")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Note")).to_have_value("<script>window.hacked = 1</script>")
    expect(page.get_by_role("alert")).to_contain_text("Please check this answer")
    assert page.evaluate("window.hacked") is None
    assert page.request.get("/api/v1/doses").json() == []


@pytest.fixture
def no_script(browser: Any, server: Server) -> Iterator[Browsing]:
    yield from open_page(browser, server, java_script_enabled=False)


def test_logging_works_without_javascript(no_script: Browsing) -> None:
    page = no_script.page
    page.goto("/welcome")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")  # the server's default
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Wind-down")).to_be_visible()
    expect(page.get_by_text("Screens off, or night mode and low brightness")).to_be_visible()
    page.goto("/log/soreness")
    page.get_by_label("Quads").fill("6")
    page.get_by_role("button", name="Log soreness").click()
    expect(page.get_by_text("Soreness saved.")).to_be_visible()
    logged = page.locator("section").filter(has=page.get_by_role("heading", name="Logged tonight"))
    expect(logged).to_contain_text("Quads 6/10")


PHONE_PAGES = [
    "/",
    "/log",
    "/log/dose",
    "/log/soreness",
    "/log/workout",
    "/diary",
    "/history",
    "/products",
    "/settings",
    "/api/docs",
]


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Browsing]:
    yield from open_page(
        browser, server, viewport=(375, 740), timezone_id=EVENING_ZONE, is_mobile=True
    )


def test_phone_layout_has_no_horizontal_scroll(phone: Browsing, tmp_path: Path) -> None:
    page = phone.page
    page.goto("/welcome")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    response = page.request.put(
        "/api/v1/profile",
        data={
            "timezone": EVENING_ZONE,
            "bedtime": "23:00",
            "medications": ["a-very-long-medication-name-without-any-spaces-at-all"],
        },
    )
    assert response.status == 200
    night = last_night()
    product = page.request.post("/api/v1/products", data={"name": "Red Bali"}).json()
    page.request.post(
        "/api/v1/doses",
        data={"amount": 3, "product_id": product["id"], "note": "x" * 300},
    )
    page.request.post("/api/v1/soreness", data={"ratings": {"quads": 5, "lower_back": 3}})
    page.request.post(
        "/api/v1/workouts", data={"kind": "strength", "duration_min": 40, "time": f"{night}T17:00"}
    )
    for path in PHONE_PAGES:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 375, (path, width)
    page.goto("/")
    expect(page.locator("time[data-countdown]").first).to_have_text(re.compile(r"in |ago|now"))
    page.screenshot(path=str(tmp_path / "tonight-375.png"), full_page=True)
