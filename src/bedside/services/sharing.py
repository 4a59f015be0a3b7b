"""Clinician access: a participant grants a clinician view (or plan) access, and revokes it.

Acting for another person is decided here, in one place (:func:`authorise`): the grant
must be live at the moment of the request (a revocation takes effect on the next request),
a viewer may only read, and a manager may change only the plan, caps and wind-down. Every
request made for someone else is written to their audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from bedside.domain.errors import ForbiddenError, InputError, NotFoundError
from bedside.services.accounts import find_user, normal_email
from bedside.services.invitations import GRANTEE_ROLES, pending_invitation
from bedside.storage.models import User
from bedside.storage.sharing import AuditEntry, Share

Access = Literal["viewer", "manager"]
ACCESS_LEVELS: tuple[Access, ...] = ("viewer", "manager")
READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: What a manager may change for the person: the plan, caps and wind-down (the profile).
MANAGER_WRITES = frozenset({("PUT", "/api/v1/profile"), ("POST", "/settings")})
WHAT_LENGTH = 200


class ShareOut(BaseModel):
    """A grant as its owner sees it: who, what access, since when, what they last viewed.

    ``pending``: an invitation to an e-mail with no account yet (no e-mail is sent: the
    person asks them to sign up with it); it becomes a grant when that account is created.
    """

    id: int
    email: str
    name: str
    pending: bool = False
    access: Access
    created_at: datetime
    revoked_at: datetime | None
    last_viewed_at: datetime | None
    last_viewed: str | None


class Acting(BaseModel):
    """Someone acting for the owner of the data under a live grant."""

    owner_id: int
    owner_name: str
    owner_email: str
    actor_id: int
    access: Access


class AuditOut(BaseModel):
    """One line of the owner's audit log: who read or changed what, and when."""

    who: str
    what: str
    when: datetime


def invite(session: Session, owner_id: int, email: str, access: str, now: datetime) -> ShareOut:
    """Grant the clinician with this e-mail ``viewer`` or ``manager`` access (one live grant).

    Inviting someone who already has access changes their access level. An e-mail with no
    account yet gets a pending invitation, taken up when that account is created.
    """
    if access not in ACCESS_LEVELS:
        raise InputError("access", f"{access!r} is not an access level; use viewer or manager")
    key = normal_email(email)
    grantee = session.scalars(select(User).where(User.email == key)).first()
    if grantee is None:
        return _invite_pending(session, owner_id, key, access, now)
    if grantee.id == owner_id:
        raise InputError("email", "this is your own account: invite your clinician's e-mail")
    if grantee.role not in GRANTEE_ROLES:
        raise InputError(
            "email",
            f"{grantee.email} is not a clinician's account; ask the administrator to add it "
            "as a clinician",
            next_step="add_clinician",
        )
    share = _live(session, owner_id, grantee.id)
    if share is None:
        share = Share(owner_id=owner_id, grantee_id=grantee.id, access=access, created_at=now)
        session.add(share)
    share.access = access
    session.flush()
    return _share_out(share, grantee)


def _invite_pending(
    session: Session, owner_id: int, email: str, access: str, now: datetime
) -> ShareOut:
    share = pending_invitation(session, owner_id, email)
    if share is None:
        share = Share(owner_id=owner_id, invited_email=email, access=access, created_at=now)
        session.add(share)
    share.access = access
    session.flush()
    return _share_out(share, None)


def list_shares(session: Session, owner_id: int) -> list[ShareOut]:
    """The owner's grants, live ones first, newest first."""
    rows = session.execute(
        select(Share, User)
        .outerjoin(User, User.id == Share.grantee_id)
        .where(Share.owner_id == owner_id)
        .order_by(Share.revoked_at.is_not(None), Share.id.desc())
    )
    return [_share_out(share, user) for share, user in rows]


def revoke(session: Session, owner_id: int, share_id: int, now: datetime) -> ShareOut:
    """End one of the owner's grants at once (a NotFoundError for anyone else's)."""
    share = session.get(Share, share_id) if 0 < share_id < 2**63 else None
    if share is None or share.owner_id != owner_id:
        raise NotFoundError("share", share_id)
    if share.revoked_at is None:
        share.revoked_at = now
    session.flush()
    grantee = session.get(User, share.grantee_id) if share.grantee_id is not None else None
    return _share_out(share, grantee)


def revoke_email(session: Session, owner_id: int, email: str, now: datetime) -> ShareOut:
    """End the owner's live grant (or pending invitation) to this e-mail."""
    key = normal_email(email)
    grantee = session.scalars(select(User).where(User.email == key)).first()
    if grantee is None:
        share = pending_invitation(session, owner_id, key)
    else:
        share = _live(session, owner_id, grantee.id) or pending_invitation(session, owner_id, key)
    if share is None:
        raise NotFoundError("share", email, "email", f"{key} has no access to revoke")
    return revoke(session, owner_id, share.id, now)


def granted_to(session: Session, grantee_id: int) -> list[Acting]:
    """The people who gave this account live access, by name."""
    rows = session.execute(
        select(Share, User)
        .join(User, User.id == Share.owner_id)
        .where(Share.grantee_id == grantee_id, Share.revoked_at.is_(None))
        .order_by(User.name, User.id)
    )
    return [_acting(share, owner) for share, owner in rows]


def authorise(
    session: Session, actor_id: int, person: str, method: str, path: str, now: datetime
) -> Acting | None:
    """May ``actor_id`` make this request for ``person`` (an id)? Audited when they may.

    Their own id means no one else (None). Without a live grant the answer is a
    NotFoundError (nothing tells whether the person exists); a viewer's change, or a
    manager's change outside the plan, a ForbiddenError.
    """
    owner_id = int(person) if person.strip().isdigit() and len(person.strip()) < 19 else 0
    if owner_id == actor_id:
        return None
    share = _live(session, owner_id, actor_id)
    owner = session.get(User, owner_id) if share is not None else None
    if share is None or owner is None or owner.disabled:
        raise NotFoundError(
            "person",
            person,
            "person",
            f"no one with id {person[:20]} shares their data with you (access may have been "
            "revoked)",
        )
    acting = _acting(share, owner)
    verb = method.upper()
    if verb not in READS and (share.access != "manager" or (verb, path) not in MANAGER_WRITES):
        raise ForbiddenError(
            f"you may view {owner.name}'s data but not change it"
            if share.access == "viewer"
            else f"as a manager you may change only {owner.name}'s plan, caps and wind-down"
        )
    actor = session.get(User, actor_id)
    what = f"{verb} {path}"[:WHAT_LENGTH]
    session.add(
        AuditEntry(
            owner_id=owner_id,
            actor_id=actor_id,
            actor=(actor.email or actor.name) if actor else str(actor_id),
            what=what,
            at=now,
        )
    )
    share.last_viewed_at = now
    share.last_viewed = what
    session.flush()
    return acting


def record_read(session: Session, owner_id: int, actor_id: int, what: str, now: datetime) -> None:
    """Write one read of ``owner_id``'s data by ``actor_id`` (e.g. a researcher's export)."""
    actor = session.get(User, actor_id)
    session.add(
        AuditEntry(
            owner_id=owner_id,
            actor_id=actor_id,
            actor=(actor.email or actor.name) if actor else str(actor_id),
            what=what[:WHAT_LENGTH],
            at=now,
        )
    )


def audit_log(session: Session, owner_id: int, limit: int = 500) -> list[AuditOut]:
    """The owner's audit log, newest first."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.owner_id == owner_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [AuditOut(who=row.actor, what=row.what, when=row.at) for row in rows]


def _live(session: Session, owner_id: int, grantee_id: int) -> Share | None:
    return session.scalars(
        select(Share).where(
            Share.owner_id == owner_id,
            Share.grantee_id == grantee_id,
            Share.revoked_at.is_(None),
        )
    ).first()


def _acting(share: Share, owner: User) -> Acting:
    access: Access = "manager" if share.access == "manager" else "viewer"
    return Acting(
        owner_id=owner.id,
        owner_name=owner.name,
        owner_email=owner.email or "",
        actor_id=share.grantee_id or 0,  # live grants always have one
        access=access,
    )


def _share_out(share: Share, grantee: User | None) -> ShareOut:
    access: Access = "manager" if share.access == "manager" else "viewer"
    return ShareOut(
        id=share.id,
        email=(grantee.email or "") if grantee else (share.invited_email or ""),
        name=grantee.name if grantee else "",
        pending=grantee is None and share.revoked_at is None,
        access=access,
        created_at=share.created_at,
        revoked_at=share.revoked_at,
        last_viewed_at=share.last_viewed_at,
        last_viewed=share.last_viewed,
    )


class SharingOverview(BaseModel):
    """Settings, for the owner: who has access, and the audit log of their reads."""

    shares: list[ShareOut]
    audit: list[AuditOut]


def sharing_overview(session: Session, owner_id: int) -> SharingOverview:
    """The owner's grants and the newest 50 lines of their audit log."""
    return SharingOverview(
        shares=list_shares(session, owner_id), audit=audit_log(session, owner_id, limit=50)
    )


def grant_from(session: Session, grantee_id: int, owner_id: int) -> Acting:
    """The live grant ``owner_id`` gave ``grantee_id`` (the web's person switcher), or 404."""
    for acting in granted_to(session, grantee_id):
        if acting.owner_id == owner_id:
            return acting
    raise NotFoundError(
        "person", owner_id, "person", f"no one with id {owner_id} shares their data with you"
    )


# The same use cases by the owner's e-mail, for the administrator's CLI (``bedside share``).


def invite_for(
    session: Session, owner_email: str, email: str, access: str, now: datetime
) -> ShareOut:
    """:func:`invite` for the account with ``owner_email``."""
    return invite(session, find_user(session, owner_email).id, email, access, now)


def shares_of(session: Session, owner_email: str) -> list[ShareOut]:
    """:func:`list_shares` for the account with ``owner_email``."""
    return list_shares(session, find_user(session, owner_email).id)


def revoke_for(session: Session, owner_email: str, grant: str, now: datetime) -> ShareOut:
    """Revoke a grant named by its id or by the clinician's e-mail."""
    owner_id = find_user(session, owner_email).id
    if grant.strip().isdigit():
        return revoke(session, owner_id, int(grant.strip()[:18]), now)
    return revoke_email(session, owner_id, grant, now)


def audit_of(session: Session, owner_email: str) -> list[AuditOut]:
    """:func:`audit_log` for the account with ``owner_email``."""
    return audit_log(session, find_user(session, owner_email).id)
