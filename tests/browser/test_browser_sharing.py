"""Clinician access in the browser: Ann shares from Settings, Doc follows along, Ann revokes."""

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
    Server,
    open_page,
    serve_database,
)

pytestmark = pytest.mark.browser
ANN, DOC = "ann@example.org", "doc@example.org"
PASSWORDS = {ANN: "ann's long password", DOC: "the clinician's password"}


@pytest.fixture
def sharing_server(tmp_path: Path) -> Iterator[Server]:
    """``BEDSIDE_MODE=server bedside serve --tls`` with a participant and a clinician."""
    db, data_dir = tmp_path / "server.db", tmp_path / "data"
    env = {**os.environ, "BEDSIDE_DATA_DIR": str(data_dir), "BEDSIDE_MODE": "server"}
    env.pop("BEDSIDE_DATABASE_URL", None)
    base = [sys.executable, "-m", "bedside", "--db", str(db)]
    for email, role in ((ANN, "participant"), (DOC, "clinician")):
        add = [*base, "user", "add", email, "--role", role]
        subprocess.run(
            add, input=PASSWORDS[email] + "\n", text=True, env=env, check=True, capture_output=True
        )
    yield from serve_database(
        db, data_dir, extra_env={"BEDSIDE_MODE": "server"}, serve_args=("--tls",), scheme="https"
    )


def _signed_in(browser: Any, server: Server, email: str, **options: Any) -> Iterator[Any]:
    for browsing in open_page(
        browser, server, timezone_id=EVENING_ZONE, ignore_https_errors=True, **options
    ):
        page = browsing.page
        page.goto("/signin")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORDS[email])
        page.get_by_role("button", name="Sign in").click()
        yield page


def test_a_clinician_follows_along_until_access_is_revoked(
    browser: Any, sharing_server: Server
) -> None:
    ann_pages, doc_pages = _signed_in(browser, sharing_server, ANN), None
    ann = next(ann_pages)
    profile = {"timezone": EVENING_ZONE, "bedtime": "23:00", "lead_min": 60}
    assert ann.request.put("/api/v1/profile", data=profile).status == 200
    assert ann.request.post("/api/v1/pain", data={"score": 7, "note": "ANN-NOTE"}).status == 201
    ann.goto("/settings#sharing")
    ann.get_by_label("Their Bedside account's e-mail").fill(DOC)
    ann.get_by_role("button", name="Share", exact=True).click()
    expect(ann.locator("#shares")).to_contain_text(DOC)

    doc_pages = _signed_in(browser, sharing_server, DOC)
    doc = next(doc_pages)
    doc.goto("/people")
    expect(doc.locator("#people")).to_contain_text("nights logged")
    doc.get_by_role("button", name="View ann's data").click()
    expect(doc.locator("#acting-banner")).to_contain_text("ann")
    expect(doc.locator("#acting-banner")).to_contain_text("read-only")
    doc.goto("/history")
    expect(doc.locator("#acting-banner")).to_be_visible()
    expect(doc.locator("main")).to_contain_text("7")

    ann.goto("/settings#sharing")
    expect(ann.locator("#shares")).to_contain_text("GET /history")
    expect(ann.locator("#audit")).to_contain_text(DOC)
    ann.get_by_role("button", name="Revoke").last.click()
    expect(ann.locator("#sharing")).to_contain_text("revoked")

    response = doc.goto("/history")
    assert response is not None and response.status == 404
    expect(doc.locator("main")).not_to_contain_text("ANN-NOTE")
    doc.goto("/people")
    expect(doc.locator("main")).to_contain_text("No one has shared their data with you yet")
    for pages in (ann_pages, doc_pages):
        pages.close()


def test_a_clinicians_home_on_a_phone_is_people(browser: Any, sharing_server: Server) -> None:
    doc_pages = _signed_in(browser, sharing_server, DOC, viewport=(375, 740), is_mobile=True)
    doc = next(doc_pages)
    doc.goto("/")
    expect(doc).to_have_url(f"{sharing_server.url}/people")
    expect(doc.locator("main")).to_contain_text("No one has shared their data with you yet")
    assert doc.evaluate("document.scrollingElement.scrollWidth") <= 375
    doc_pages.close()
