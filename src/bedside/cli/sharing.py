"""``bedside share ...``: let a clinician follow a participant along, revoke it, read the audit.

Run by the server's administrator for a participant (``--owner EMAIL``); participants do
the same from Settings in the web app.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from bedside.cli.accounts import JsonFlag, accounts
from bedside.cli.output import print_json, print_table

share_app = typer.Typer(help="Clinician access to a participant's data (server mode).")
Owner = Annotated[str, typer.Option("--owner", help="The participant's e-mail.")]


def register(app: typer.Typer) -> None:
    """Add the command group to the root app."""
    app.add_typer(share_app, name="share")


@share_app.command("invite")
def share_invite(
    ctx: typer.Context,
    email: Annotated[
        str, typer.Argument(help="The clinician's e-mail (no account yet: a pending invitation).")
    ],
    owner: Owner,
    access: Annotated[
        str, typer.Option("--as", help="viewer (read-only) or manager (may edit the plan).")
    ] = "viewer",
    json_out: JsonFlag = False,
) -> None:
    """Let a clinician see the participant's data (viewer) or also plan (manager)."""
    from bedside.services.sharing import invite_for

    with accounts(ctx) as session:
        share = invite_for(session, owner, email, access, _now())
    if json_out:
        print_json(share)
    elif share.pending:
        typer.echo(
            f"No account for {share.email} yet: invitation {share.id} is pending. No e-mail is "
            "sent: ask them to sign up with this e-mail; access starts when the account exists."
        )
    else:
        typer.echo(f"{share.email} may now {_verb(share.access)} (grant {share.id})")


@share_app.command("list")
def share_list(ctx: typer.Context, owner: Owner, json_out: JsonFlag = False) -> None:
    """Who has access, since when, and what they last viewed."""
    from bedside.services.sharing import shares_of

    with accounts(ctx) as session:
        shares = shares_of(session, owner)
    if json_out:
        print_json(shares)
        return
    rows = [
        (
            s.id,
            s.email,
            s.access,
            s.created_at.date(),
            "revoked" if s.revoked_at else "pending" if s.pending else (s.last_viewed or "not yet"),
        )
        for s in shares
    ]
    print_table("Access", ["id", "e-mail", "access", "since", "last viewed"], rows)


@share_app.command("revoke")
def share_revoke(
    ctx: typer.Context,
    grant: Annotated[str, typer.Argument(help="The grant's id or the clinician's e-mail.")],
    owner: Owner,
) -> None:
    """End a clinician's access; it stops on their next request."""
    from bedside.services.sharing import revoke_for

    with accounts(ctx) as session:
        share = revoke_for(session, owner, grant, _now())
    typer.echo(f"Revoked: {share.email} no longer sees this participant's data")


@share_app.command("audit")
def share_audit(ctx: typer.Context, owner: Owner, json_out: JsonFlag = False) -> None:
    """Every read of the participant's data by someone else: who, what, when."""
    from bedside.services.sharing import audit_of

    with accounts(ctx) as session:
        lines = audit_of(session, owner)
    if json_out:
        print_json(lines)
        return
    rows = [(line.when.isoformat()[:16].replace("T", " "), line.who, line.what) for line in lines]
    print_table("Audit log", ["when", "who", "what"], rows)


def _verb(access: str) -> str:
    return "view this participant's data" if access == "viewer" else "view and plan"


def _now() -> datetime:
    from bedside.services.scope import utc_now

    return utc_now()
