"""Pending invitations: a participant's grant to an e-mail that has no account yet.

No e-mail is sent (Bedside makes no network calls): the participant asks the clinician to
sign up with that e-mail. When the administrator creates the account (``bedside user add``)
with a clinician's role, every live invitation to that e-mail becomes a grant at once.
Before that the participant sees it as pending and may revoke it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bedside.storage.models import User
from bedside.storage.sharing import Share

#: The roles that may be given access to someone's data.
GRANTEE_ROLES: Final = frozenset({"clinician"})


def pending_invitation(session: Session, owner_id: int, email: str) -> Share | None:
    """The owner's live invitation to ``email`` (stored lower case), if any."""
    return session.scalars(
        select(Share).where(
            Share.owner_id == owner_id,
            Share.grantee_id.is_(None),
            Share.invited_email == email,
            Share.revoked_at.is_(None),
        )
    ).first()


def take_up_invitations(session: Session, user: User, now: datetime) -> int:
    """Turn the live invitations to a new account's e-mail into grants; how many.

    Only a clinician's account takes them up: for any other role they stay pending.
    """
    if user.role not in GRANTEE_ROLES or not user.email:
        return 0
    found = list(
        session.scalars(
            select(Share).where(
                Share.grantee_id.is_(None),
                Share.invited_email == user.email,
                Share.revoked_at.is_(None),
            )
        )
    )
    for share in found:
        share.grantee_id = user.id
        share.invited_email = None
        share.created_at = now  # access runs from the moment the account exists
    session.flush()
    return len(found)
