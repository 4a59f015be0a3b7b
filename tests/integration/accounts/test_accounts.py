"""Server mode: accounts from the CLI, sign-in, tokens, sessions, rate limits, sign-out."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from bedside.web.app import create_app
from tests.conftest import Cli
from tests.integration.accounts.conftest import PASSWORDS, ServerApp

ANN = "ann@example.org"
BOB = "bob@example.org"


def test_without_credentials_pages_go_to_sign_in_and_api_calls_get_401(server: ServerApp) -> None:
    browser = server.open()
    page = browser.client.get("/history?from=2025-06-01", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2Fhistory%3Ffrom%3D2025-06-01"
    assert browser.client.get("/", follow_redirects=False).headers["location"] == "/signin"
    api = browser.client.get("/api/v1/doses")
    assert api.status_code == 401
    assert api.headers["content-type"] == "application/problem+json"
    assert api.headers["www-authenticate"].startswith("Bearer")
    assert browser.client.delete("/api/v1/doses/1").status_code == 401
    assert browser.client.get("/static/bedside.css").status_code == 200
    assert "Sign in to Bedside" in browser.client.get("/signin").text


def test_a_token_from_the_cli_works_until_it_is_revoked(server: ServerApp, cli: Cli) -> None:
    created = cli("token", "create", ANN, "--name", "phone", "--json").json()
    assert created["token"].startswith("bst_")
    client = server.open().client
    headers = {"Authorization": f"Bearer {created['token']}"}
    me = client.get("/api/v1/session", headers=headers)
    assert me.status_code == 200 and me.json()["email"] == ANN
    assert client.get("/api/v1/doses", headers=headers).status_code == 200
    listed = cli("token", "list", ANN, "--json").json()
    assert [t["name"] for t in listed] == ["phone"]
    assert listed[0]["last_used_at"] is not None
    assert created["token"] not in cli("token", "list").stdout
    cli("token", "revoke", str(created["info"]["id"]))
    refused = client.get("/api/v1/doses", headers=headers)
    assert refused.status_code == 401
    assert "not valid" in refused.json()["detail"]
    assert (
        client.get("/api/v1/doses", headers={"Authorization": "Bearer bst_made-up"}).status_code
        == 401
    )


def test_json_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(server: ServerApp) -> None:
    browser = server.open()
    signed = browser.sign_in(ANN)
    assert signed.status_code == 200, signed.text
    assert signed.json()["email"] == ANN and signed.json()["role"] == "participant"
    cookie = signed.headers["set-cookie"].lower()
    assert "bedside_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback: a Secure cookie would never return
    assert browser.client.get("/api/v1/session").json()["email"] == ANN
    assert browser.client.get("/", follow_redirects=False).headers["location"] == "/welcome"
    assert browser.client.delete("/api/v1/session").status_code == 204
    assert browser.client.get("/api/v1/session").status_code == 401


def test_the_session_cookie_is_secure_over_https(server: ServerApp) -> None:
    browser = server.open("https://127.0.0.1:8765")
    signed = browser.sign_in(ANN)
    assert signed.status_code == 200
    assert "secure" in signed.headers["set-cookie"].lower()


def test_sessions_are_shared_by_every_worker(server: ServerApp) -> None:
    """A second app process on the same database accepts the first one's session."""
    browser = server.open()
    assert browser.sign_in(ANN).status_code == 200
    cookie = browser.client.cookies["bedside_session"]
    with TestClient(
        create_app(server.settings, clock=server.clock), base_url="http://127.0.0.1:8765"
    ) as other:
        other.cookies.set("bedside_session", cookie)
        assert other.get("/api/v1/session").json()["email"] == ANN


def test_wrong_passwords_are_limited_per_account_with_retry_after(server: ServerApp) -> None:
    browser = server.open()
    for _ in range(5):
        wrong = browser.sign_in(ANN, "not the password")
        assert wrong.status_code == 401
        assert wrong.json()["detail"] == "the e-mail or password is not right"
    limited = browser.sign_in(ANN)  # even the right password waits
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 15 * 60
    assert "too many failed sign-ins" in limited.json()["detail"]
    assert browser.sign_in(BOB).status_code == 200  # another account is not locked
    server.clock.now += timedelta(minutes=16)
    assert browser.sign_in(ANN).status_code == 200


def test_the_sign_in_page_says_when_to_try_again(server: ServerApp) -> None:
    browser = server.open()
    for _ in range(5):
        page = browser.form("/signin", {"email": ANN, "password": "nope nope nope"})
        assert page.status_code == 401
        assert "The e-mail or password is not right." in page.text
    page = browser.form("/signin", {"email": ANN, "password": PASSWORDS[ANN]})
    assert page.status_code == 429
    assert page.headers["retry-after"]
    assert "Too many failed sign-ins: try again in 15 minutes" in page.text
    assert 'value="ann@example.org"' in page.text
    assert PASSWORDS[ANN] not in page.text


def test_failures_from_one_address_are_limited_across_accounts(server: ServerApp) -> None:
    browser = server.open()
    for n in range(20):
        assert browser.sign_in(f"guess{n}@example.org", "whatever it is").status_code == 401
    assert browser.sign_in(BOB).status_code == 429


def test_the_sign_in_form_needs_its_csrf_token_and_returns_to_the_page(server: ServerApp) -> None:
    browser = server.open()
    forged = browser.client.post(
        "/signin", data={"email": ANN, "password": PASSWORDS[ANN]}, follow_redirects=False
    )
    assert forged.status_code == 403
    signed = browser.form("/signin", {"email": ANN, "password": PASSWORDS[ANN], "next": "/history"})
    assert signed.status_code == 303 and signed.headers["location"] == "/history"
    elsewhere = server.open().form(
        "/signin", {"email": ANN, "password": PASSWORDS[ANN], "next": "//evil.example/"}
    )
    assert elsewhere.headers["location"] == "/"


def test_sign_out_everywhere_ends_every_session(server: ServerApp) -> None:
    phone, laptop = server.open(), server.open()
    assert phone.sign_in(ANN).status_code == 200
    assert laptop.sign_in(ANN).status_code == 200
    out = laptop.form("/signout", {"everywhere": "1"})
    assert out.status_code == 303 and out.headers["location"] == "/signin"
    assert phone.client.get("/api/v1/session").status_code == 401
    assert laptop.client.get("/api/v1/session").status_code == 401


def test_changing_the_password_ends_the_other_sessions(server: ServerApp) -> None:
    phone, laptop = server.open(), server.open()
    phone.sign_in(ANN)
    laptop.sign_in(ANN)
    new = "a brand new password"
    changed = laptop.form(
        "/settings/password",
        {"current_password": PASSWORDS[ANN], "new_password": new, "repeat_password": new},
    )
    assert changed.status_code == 303
    assert laptop.client.get("/api/v1/session").status_code == 200
    assert phone.client.get("/api/v1/session").status_code == 401
    assert server.open().sign_in(ANN).status_code == 401
    assert server.open().sign_in(ANN, new).status_code == 200
    wrong = laptop.form(
        "/settings/password",
        {"current_password": "not it at all", "new_password": new, "repeat_password": new},
    )
    assert wrong.status_code == 422 and "current password is not right" in wrong.text


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(server: ServerApp, cli: Cli) -> None:
    browser = server.open()
    browser.sign_in(BOB)
    token = cli("token", "create", BOB).stdout.strip()
    cli("user", "disable", BOB)
    assert browser.client.get("/api/v1/session").status_code == 401
    assert (
        server.open()
        .client.get("/api/v1/doses", headers={"Authorization": f"Bearer {token}"})
        .status_code
        == 401
    )
    refused = server.open().sign_in(BOB)
    assert refused.status_code == 401 and "disabled" in refused.json()["detail"]
    cli("user", "enable", BOB)
    assert server.open().sign_in(BOB).status_code == 200


def test_an_admin_reset_sets_a_new_password(server: ServerApp, cli: Cli) -> None:
    browser = server.open()
    browser.sign_in(ANN)
    cli("user", "reset-password", ANN, input="reset by the admin\n")
    assert browser.client.get("/api/v1/session").status_code == 401
    assert server.open().sign_in(ANN).status_code == 401
    assert server.open().sign_in(ANN, "reset by the admin").status_code == 200


def test_settings_lists_the_persons_tokens_and_revokes_them(server: ServerApp, cli: Cli) -> None:
    mine = cli("token", "create", ANN, "--name", "my phone", "--json").json()
    cli("token", "create", BOB, "--name", "bob's laptop")
    browser = server.open()
    browser.sign_in(ANN)
    browser.client.put(
        "/api/v1/profile",
        json={"timezone": "America/New_York", "bedtime": "23:00", "lead_min": 60},
    )
    page = browser.client.get("/settings")
    assert page.status_code == 200, page.text[:300]
    assert "my phone" in page.text and "bob&#39;s laptop" not in page.text
    assert "Signed in as <strong>ann@example.org</strong>" in page.text
    token_id = mine["info"]["id"]
    assert browser.form(f"/settings/tokens/{token_id}/revoke", {}).status_code == 303
    assert browser.client.get("/api/v1/tokens").json()[0]["revoked"] is True


def test_cli_user_commands(cli: Cli, people: dict[str, int]) -> None:
    listed = cli("user", "list", "--json").json()
    assert [(u["email"], u["role"]) for u in listed] == [
        (ANN, "participant"),
        (BOB, "participant"),
        ("admin@example.org", "admin"),
    ]
    assert all("password" not in key for u in listed for key in u)
    again = cli("user", "add", ANN.upper(), input="another password\n", ok=False)
    assert again.code == 2 and "ann@example.org already has an account" in again.stderr
    role = cli("user", "add", "c@example.org", "--role", "king", input="long enough pw\n", ok=False)
    assert "--role: 'king' is not a role" in role.stderr
    short = cli("user", "add", "c@example.org", input="short\n", ok=False)
    assert "password (standard input): use at least 10 characters" in short.stderr
    assert "Traceback" not in short.stderr


def test_local_mode_has_nothing_to_sign_in_to(cli: Cli, database: str, tmp_path) -> None:
    from bedside.settings import load_settings

    settings = load_settings(db=database, environ={"BEDSIDE_DATA_DIR": str(tmp_path / "d")})
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8765") as client:
        assert client.get("/signin").status_code == 404
        assert (
            client.post("/api/v1/session", json={"email": ANN, "password": "x"}).status_code == 404
        )
        assert client.get("/api/v1/doses").status_code == 200


def test_only_configured_names_reach_the_server(server: ServerApp) -> None:
    rebinding = server.open("http://attacker.example:8765")
    refused = rebinding.client.post("/api/v1/session", json={"email": ANN, "password": "x"})
    assert refused.status_code == 400
