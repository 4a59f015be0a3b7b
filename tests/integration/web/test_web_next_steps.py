"""Service errors name the thing at fault; the web words the next step in its own terms."""

from __future__ import annotations

from fastapi import FastAPI

from bedside.domain.errors import InputError
from tests.integration.web.conftest import Web


def test_the_api_says_no_profile_without_cli_commands(web: Web) -> None:
    response = web.api("POST", "/api/v1/doses", json={"amount": 2, "unit": "g"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"] == "no profile yet: set up your profile first"
    assert problem["field"] == "profile"
    assert "bedside" not in response.text


def test_an_error_page_links_to_the_page_that_takes_the_next_step(web: Web) -> None:
    app = web.client.app
    assert isinstance(app, FastAPI)

    def needs_a_profile() -> None:
        message = "no profile yet: set up your profile first"
        raise InputError("profile", message, next_step="set_up_profile")

    app.add_api_route("/probe/needs-a-profile", needs_a_profile)
    page = web.client.get("/probe/needs-a-profile")
    assert page.status_code == 422
    assert "no profile yet: set up your profile first" in page.text
    assert '<a href="/welcome">Set up your profile</a>' in page.text
    assert "bedside init" not in page.text
