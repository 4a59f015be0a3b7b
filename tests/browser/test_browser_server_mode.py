"""Server mode on the phone: sign in over HTTPS (generated certificate) at 375 px, see Tonight.

The server listens on 127.0.0.1 only; the browser accepts the self-signed certificate the
way a person does after checking its fingerprint (``ignore_https_errors``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    EVENING_ZONE,
    Browsing,
    Server,
    open_page,
    serve_database,
)

pytestmark = pytest.mark.browser
EMAIL = "ann@example.org"
PASSWORD = "ann's long password"
SCREENSHOTS = Path(os.environ.get("BEDSIDE_SCREENSHOTS", "/tmp"))


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[Server]:
    """``BEDSIDE_MODE=server bedside serve --tls`` with one participant added from the CLI."""
    db, data_dir = tmp_path / "server.db", tmp_path / "data"
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(data_dir), "BEDSIDE_MODE": "server"}
    env.pop("BEDSIDE_DATABASE_URL", None)
    base = [sys.executable, "-m", "bedside", "--db", str(db)]
    add = [*base, "user", "add", EMAIL]
    subprocess.run(add, input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True)
    yield from serve_database(
        db, data_dir, extra_env={"BEDSIDE_MODE": "server"}, serve_args=("--tls",), scheme="https"
    )


@pytest.fixture
def phone(browser: Any, https_server: Server) -> Iterator[Browsing]:
    yield from open_page(
        browser,
        https_server,
        viewport=(375, 740),
        timezone_id=EVENING_ZONE,
        is_mobile=True,
        ignore_https_errors=True,
    )


def test_sign_in_on_the_phone_over_https_and_see_tonight(phone: Browsing) -> None:
    page = phone.page
    page.goto("/")
    expect(page).to_have_url(f"{phone.server.url}/signin")
    expect(page.locator("main h1")).to_have_text("Sign in to Bedside")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#signin-message")).to_have_text("The e-mail or password is not right.")
    page.get_by_label("Password").fill(PASSWORD)
    page.screenshot(path=str(SCREENSHOTS / "bedside-signin-375.png"), full_page=True)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{phone.server.url}/welcome")
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["bedside_session"]
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
    profile = {"timezone": EVENING_ZONE, "bedtime": "23:00", "lead_min": 60}
    assert page.request.put("/api/v1/profile", data=profile).status == 200
    page.goto("/")
    expect(page.locator("main h1")).to_be_visible()
    assert "Tonight" in page.title()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "bedside-tonight-375.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{phone.server.url}/signin")
    page.goto("/history")
    expect(page).to_have_url(f"{phone.server.url}/signin?next=%2Fhistory")
