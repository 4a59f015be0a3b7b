"""Local security: Host allow-list, CSRF, cross-site requests, headers, quiet errors."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bedside.web.security import CSRF_COOKIE, SECRET_FILE, allowed_hosts, load_secret
from tests.integration.web.conftest import Web


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1:9999", "localhost", "10.0.0.2:8765"]
)
def test_foreign_host_header_is_refused(profiled: Web, host: str) -> None:
    for path in ("/", "/api/v1/doses"):
        response = profiled.client.get(path, headers={"host": host})
        assert response.status_code == 400, (host, path)
        assert "127.0.0.1:8765" in response.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765"])
def test_loopback_host_headers_are_accepted(profiled: Web, host: str) -> None:
    assert profiled.client.get("/", headers={"host": host}).status_code == 200


def test_wrong_host_message_names_the_address_being_served(tmp_path: object) -> None:
    from pathlib import Path

    from fastapi.testclient import TestClient

    from bedside.settings import Settings, sqlite_url
    from bedside.web.app import create_app

    assert isinstance(tmp_path, Path)
    settings = Settings(
        database_url=sqlite_url(tmp_path / "x.db"), data_dir=tmp_path / "d", host="127.0.0.2"
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.2:8765") as client:
        assert client.get("/welcome").status_code == 200
        refused = client.get("/welcome", headers={"host": "127.0.0.1:8765"})
    assert refused.status_code == 400
    assert refused.text.endswith("addressed to 127.0.0.2:8765.")


def test_allowed_hosts() -> None:
    assert allowed_hosts("127.0.0.1", 8765) == {
        "127.0.0.1:8765",
        "localhost:8765",
        "[::1]:8765",
    }
    assert "localhost" in allowed_hosts("localhost", 80)


def test_form_without_or_with_a_wrong_token_is_refused(profiled: Web) -> None:
    profiled.token()  # the client now holds a CSRF cookie
    missing = profiled.client.post("/log/pain", data={"score": "3"}, follow_redirects=False)
    assert missing.status_code == 403
    assert "Reload the page" in missing.text
    wrong = profiled.client.post(
        "/log/pain", data={"score": "3", "csrf_token": "x" * 43}, follow_redirects=False
    )
    assert wrong.status_code == 403
    assert profiled.api("GET", "/api/v1/pain").json() == []


def test_token_from_another_browser_is_refused(profiled: Web) -> None:
    token = profiled.token()
    profiled.client.cookies.clear()
    response = profiled.client.post(
        "/log/pain", data={"score": "3", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 403


def test_forged_cookie_is_replaced(profiled: Web) -> None:
    profiled.client.cookies.set(CSRF_COOKIE, "abc.def")
    response = profiled.client.post(
        "/log/pain", data={"score": "3", "csrf_token": "abc"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert CSRF_COOKIE in response.headers.get("set-cookie", "")


def test_csrf_cookie_attributes(web: Web) -> None:
    response = web.get("/welcome")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "same-origin", "origin": "https://evil.example"},
    ],
)
def test_cross_site_requests_are_refused(profiled: Web, headers: dict[str, str]) -> None:
    token = profiled.token()
    form = profiled.client.post(
        "/log/pain",
        data={"score": "3", "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert form.status_code == 403
    write = profiled.client.post("/api/v1/pain", json={"score": 3}, headers=headers)
    assert write.status_code == 403
    assert write.headers["content-type"] == "application/problem+json"
    read = profiled.client.get("/api/v1/pain", headers=headers)
    assert read.status_code == 403
    assert profiled.api("GET", "/api/v1/pain").json() == []


def test_same_origin_requests_pass(profiled: Web) -> None:
    headers = {"origin": "http://127.0.0.1:8765", "sec-fetch-site": "same-origin"}
    assert (
        profiled.client.post("/api/v1/pain", json={"score": 3}, headers=headers).status_code == 201
    )
    # a form posted from a no-referrer page: the browser sends Origin: null but vouches for it
    vouched = {"origin": "null", "sec-fetch-site": "same-origin"}
    form = profiled.client.post(
        "/log/pain",
        data={"score": "3", "csrf_token": profiled.token()},
        headers=vouched,
        follow_redirects=False,
    )
    assert form.status_code == 303
    # following a link from another site to a page is fine (it cannot read or write anything)
    assert profiled.client.get("/", headers={"sec-fetch-site": "cross-site"}).status_code == 200


def test_security_headers(profiled: Web) -> None:
    for path in ("/", "/api/v1/profile", "/nowhere"):
        headers = profiled.get(path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"


def test_no_page_loads_anything_from_elsewhere(profiled: Web) -> None:
    import re

    for path in ("/", "/log/dose", "/history", "/settings", "/api/docs"):
        text = profiled.get(path).text
        assert not re.search(r"""\bsrc=["']?(https?:)?//""", text), path
        for tag in re.findall(r"<link[^>]*>", text):
            assert "http" not in tag, (path, tag)
        assert "@import" not in text and "cdn" not in text.lower(), path
    css = profiled.get("/static/bedside.css").text
    assert "url(" not in css and "@import" not in css


def test_secret_is_made_once_per_data_dir_and_private(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    first = load_secret(tmp_path / "d")
    assert len(first) == 32
    assert load_secret(tmp_path / "d") == first
    assert load_secret(tmp_path / "other") != first
    mode = (tmp_path / "d" / SECRET_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_lives_in_the_private_data_dir_never_beside_the_database(web: Web) -> None:
    """``bedside --db /tmp/x.db serve`` must not read or write a secret in the shared /tmp."""
    db = web.settings.sqlite_path
    assert db is not None
    assert not (db.parent / SECRET_FILE).exists()
    secret = web.settings.data_dir / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(web.settings.data_dir.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p.chmod(0o644), "can be read by other accounts"),
        (lambda p: os.chown(p, 65534, 65534), "belongs to another account"),
    ],
    ids=["readable-by-others", "owned-by-another-account"],
)
def test_a_secret_others_can_read_or_own_is_refused_in_one_line(
    tmp_path: Path, change: Callable[[Path], None], words: str
) -> None:
    from bedside.domain.errors import UnsafeFileError

    load_secret(tmp_path / "d")
    change(tmp_path / "d" / SECRET_FILE)
    with pytest.raises(UnsafeFileError) as caught:
        load_secret(tmp_path / "d")
    assert words in caught.value.message and "\n" not in caught.value.message


def test_internal_errors_leak_nothing(
    profiled: Web, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import dataclasses

    from bedside.services import symptoms
    from bedside.web.pages.entry_forms import FORMS

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("pain 9/10 note: secret-health-value")

    monkeypatch.setattr(symptoms, "add_pain", broken)
    monkeypatch.setitem(FORMS, "pain", dataclasses.replace(FORMS["pain"], add=broken))
    caplog.set_level(logging.DEBUG)
    api = profiled.api("POST", "/api/v1/pain", json={"score": 9, "note": "secret-health-value"})
    page = profiled.post("/log/pain", {"score": "9", "note": "secret-health-value"})
    assert api.status_code == 500 and page.status_code == 500
    assert api.json()["title"] == "Internal error"
    for text in (api.text, page.text, caplog.text):
        assert "secret-health-value" not in text
        assert "9/10" not in text
    assert "RuntimeError" in caplog.text


def test_serve_refuses_a_non_loopback_host() -> None:
    import typer

    from bedside.cli import serve
    from bedside.cli.serve import is_loopback

    app = typer.Typer()
    serve.register(app)
    result = CliRunner().invoke(app, ["--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "accounts" in result.stderr and "0.0.0.0" in result.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.168.1.5") and not is_loopback("example.org")
