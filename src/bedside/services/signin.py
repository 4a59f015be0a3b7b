"""Signing in: password checks with rate limits, and server-side browser sessions.

Failed attempts are counted per account and per address over a sliding window, in the
database, so every worker process sees the same counts. A locked-out attempt is refused
before the password is even checked.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bedside.domain.errors import SignInError, TooManyAttemptsError
from bedside.services.accounts import Account, Caller, account_of, digest, password_matches
from bedside.storage.accounts import SigninFailure, WebSession
from bedside.storage.models import User

SESSION_LIFETIME = timedelta(days=14)
FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
FORGET_FAILURES = timedelta(days=1)
WRONG = "the e-mail or password is not right"


class SignedIn(BaseModel):
    """A new browser session: ``session_id`` goes into the cookie and is never stored."""

    account: Account
    session_id: str
    expires_at: datetime


class SignInAttempt(BaseModel):
    """What one attempt came to (failures are recorded, so they are results, not errors)."""

    signed_in: SignedIn | None = None
    message: str = ""
    retry_after: int | None = None

    def result(self) -> SignedIn:
        """The session, or the error the attempt came to."""
        if self.retry_after is not None:
            raise TooManyAttemptsError(self.message, self.retry_after)
        if self.signed_in is None:
            raise SignInError(self.message)
        return self.signed_in


def attempt_sign_in(
    session: Session, email: str, password: str, address: str, now: datetime
) -> SignInAttempt:
    """Check the password (unless rate-limited) and open a session on success."""
    key = email.strip().lower()[:254]
    address = address[:64]
    wait = retry_after(session, key, address, now)
    if wait is not None:
        minutes = math.ceil(wait / 60)
        return SignInAttempt(
            message=f"too many failed sign-ins: try again in {minutes} minute"
            + ("s" if minutes != 1 else ""),
            retry_after=wait,
        )
    user = session.scalars(select(User).where(User.email == key)).first() if key else None
    if not password_matches(user.password_hash if user else None, password):
        _record_failure(session, key, address, now)
        return SignInAttempt(message=WRONG)
    assert user is not None
    if user.disabled:
        return SignInAttempt(message="this account is disabled; ask the administrator")
    session.execute(delete(SigninFailure).where(SigninFailure.email == key))
    return SignInAttempt(signed_in=open_session(session, user, now))


def retry_after(session: Session, email: str, address: str, now: datetime) -> int | None:
    """Seconds until another attempt is allowed, or None when it is allowed now."""
    since = now - FAILURE_WINDOW
    waits: list[float] = []
    for column, key, limit in (
        (SigninFailure.email, email, ACCOUNT_LIMIT),
        (SigninFailure.address, address, ADDRESS_LIMIT),
    ):
        times = list(
            session.scalars(
                select(SigninFailure.at)
                .where(column == key, SigninFailure.at > since)
                .order_by(SigninFailure.at.desc())
                .limit(limit)
            )
        )
        if len(times) >= limit:
            waits.append((times[-1] + FAILURE_WINDOW - now).total_seconds())
    return max(1, math.ceil(max(waits))) if waits else None


def _record_failure(session: Session, email: str, address: str, now: datetime) -> None:
    session.add(SigninFailure(email=email, address=address, at=now))
    session.execute(delete(SigninFailure).where(SigninFailure.at < now - FORGET_FAILURES))
    session.flush()


def open_session(session: Session, user: User, now: datetime) -> SignedIn:
    """A new session for ``user`` (expired ones of theirs are cleared on the way)."""
    session.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at < now)
    )
    raw = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    session.add(
        WebSession(id_hash=digest(raw), user_id=user.id, created_at=now, expires_at=expires)
    )
    session.flush()
    return SignedIn(account=account_of(user), session_id=raw, expires_at=expires)


def user_of_session(session: Session, session_id: str, now: datetime) -> Caller | None:
    """The account a session cookie signs in, or None (unknown, expired, disabled).

    Runs on every request from a browser: one query for the session and its account.
    """
    query = (
        select(WebSession.user_id, WebSession.expires_at, User.role)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id_hash == digest(session_id), User.disabled.is_(False))
    )
    row = session.execute(query).first()
    if row is None or row.expires_at <= now:
        return None
    return Caller(int(row.user_id), row.role)


def end_session(session: Session, session_id: str) -> None:
    """Sign this browser out."""
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(session_id)))
