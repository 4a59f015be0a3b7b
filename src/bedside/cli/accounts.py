"""``bedside user ...`` and ``bedside token ...``: accounts and personal API tokens (server mode).

Passwords are read from standard input (one line), never from the command line, where
other people on the computer could see them in the process list.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from bedside.cli.context import application, settings_of
from bedside.cli.output import fail, print_json, print_table, short_time, user_errors

user_app = typer.Typer(help="Accounts for server mode (BEDSIDE_MODE=server).")
token_app = typer.Typer(help="Personal API tokens (sent as 'Authorization: Bearer TOKEN').")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Email = Annotated[str, typer.Argument(help="The account's e-mail address.")]
STDIN_NAMES = {"password": "password (standard input)", "email": "EMAIL"}


def register(app: typer.Typer) -> None:
    """Add the command groups to the root app."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")


@contextmanager
def accounts(ctx: typer.Context) -> Iterator[Session]:
    """One transaction on the database for account administration."""
    with application(ctx) as app, user_errors(STDIN_NAMES), app.accounts() as session:
        yield session


def read_password(prompt: str = "Password") -> str:
    """The password: typed twice (hidden) at a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
        return value
    line = sys.stdin.readline()
    if not line:
        fail("password: give it on standard input, e.g. `... < password.txt`")
    return line.rstrip("\r\n")


def _note_mode(ctx: typer.Context) -> None:
    if not settings_of(ctx).server_mode:
        typer.echo(
            "note: accounts are used only in server mode (BEDSIDE_MODE=server, or "
            'mode = "server" in settings.toml)',
            err=True,
        )


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    email: Email,
    role: Annotated[
        str, typer.Option("--role", help="participant, clinician, researcher or admin.")
    ] = "participant",
    name: Annotated[str | None, typer.Option("--name", help="Name shown in the app.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Create an account; the password is read from standard input."""
    from bedside.services.accounts import add_user

    password = read_password()
    with accounts(ctx) as session:
        account = add_user(session, email, password, role, name)
    if json_out:
        print_json(account)
    else:
        typer.echo(f"Added {account.email} ({account.role}), account {account.id}")
    _note_mode(ctx)


@user_app.command("list")
def user_list(ctx: typer.Context, json_out: JsonFlag = False) -> None:
    """Every account."""
    from bedside.services.accounts import list_users

    with accounts(ctx) as session:
        users = list_users(session)
    if json_out:
        print_json(users)
        return
    rows = [
        (u.id, u.email, u.role, "disabled" if u.disabled else "active", u.created_at.date())
        for u in users
    ]
    print_table("Accounts", ["id", "e-mail", "role", "status", "created"], rows)


@user_app.command("disable")
def user_disable(ctx: typer.Context, email: Email) -> None:
    """Disable an account: it is signed out everywhere and its tokens stop working."""
    from bedside.services.accounts import set_disabled

    with accounts(ctx) as session:
        account = set_disabled(session, email, True)
    typer.echo(f"Disabled {account.email}")


@user_app.command("enable")
def user_enable(ctx: typer.Context, email: Email) -> None:
    """Let a disabled account sign in again."""
    from bedside.services.accounts import set_disabled

    with accounts(ctx) as session:
        account = set_disabled(session, email, False)
    typer.echo(f"Enabled {account.email}")


@user_app.command("reset-password")
def user_reset_password(ctx: typer.Context, email: Email) -> None:
    """Set a new password (read from standard input); the account is signed out everywhere."""
    from bedside.services.accounts import reset_password

    password = read_password("New password")
    with accounts(ctx) as session:
        account = reset_password(session, email, password)
    typer.echo(f"New password set for {account.email}; every session of it has ended")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    email: Email,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "token",
    json_out: JsonFlag = False,
) -> None:
    """Create a personal API token and print it (it is shown only this once)."""
    from bedside.services.accounts import create_token
    from bedside.services.scope import utc_now

    with accounts(ctx) as session:
        created = create_token(session, email, name, utc_now())
    if json_out:
        print_json(created)
    else:
        typer.echo(created.token)


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    email: Annotated[str | None, typer.Argument(help="Only this account's tokens.")] = None,
    json_out: JsonFlag = False,
) -> None:
    """Tokens (never the tokens themselves: only their names and use)."""
    from bedside.services.accounts import find_user, list_tokens

    with accounts(ctx) as session:
        owner = find_user(session, email).id if email else None
        tokens = list_tokens(session, owner)
    if json_out:
        print_json(tokens)
        return
    rows = [
        (
            t.id,
            t.email,
            t.name,
            short_time(t.created_at.isoformat()),
            short_time(t.last_used_at.isoformat()) if t.last_used_at else "never",
            "revoked" if t.revoked else "active",
        )
        for t in tokens
    ]
    print_table("API tokens", ["id", "account", "name", "created", "last used", "status"], rows)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="The token's id.")]
) -> None:
    """Revoke a token: calls made with it are refused from now on."""
    from bedside.services.accounts import revoke_token
    from bedside.services.scope import utc_now

    with accounts(ctx) as session:
        revoke_token(session, token_id, utc_now())
    typer.echo(f"Revoked token {token_id}")
