"""Server-mode accounts: people, roles, passwords (Argon2) and personal API tokens.

These use cases run on a database session rather than a person's :class:`Scope`: they are
the administrator's (``bedside user ...``, ``bedside token ...``) or run before anyone is
signed in. What a signed-in person may do to their own account takes their user id.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bedside.domain.errors import ConflictError, InputError, NotFoundError
from bedside.services.invitations import take_up_invitations
from bedside.storage.accounts import ApiToken, WebSession
from bedside.storage.models import User

Role = Literal["participant", "clinician", "researcher", "admin"]
ROLES: tuple[Role, ...] = ("participant", "clinician", "researcher", "admin")
#: Where "/" takes an account that is not acting for anyone: a clinician's people, a
#: researcher's studies; everyone else (participants, the local user) has Tonight.
HOMES: dict[str, str] = {"clinician": "/people", "researcher": "/studies"}


class Caller(NamedTuple):
    """Who a request comes from: the signed-in account and its role."""

    user_id: int
    role: str


MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_PREFIX = "bst_"  # noqa: S105 - a visible prefix, not a secret
TOKEN_TOUCH = timedelta(minutes=5)
"""How stale ``last_used_at`` may get before a call updates it (saves a write per call)."""

_hasher = PasswordHasher()


class Account(BaseModel):
    """An account as shown to an administrator (never the password hash)."""

    id: int
    email: str
    name: str
    role: str
    disabled: bool
    created_at: datetime


class TokenInfo(BaseModel):
    """A personal API token as listed (the token itself is shown once, when created)."""

    id: int
    email: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class NewToken(BaseModel):
    """A token just created: ``token`` is shown once and never stored."""

    token: str
    info: TokenInfo


def digest(secret: str) -> str:
    """SHA-256 of a random secret (session id or API token): what the database keeps."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_email(email: str) -> str:
    """The e-mail as stored (trimmed, lower case), or an InputError if it is not one."""
    value = email.strip().lower()
    local, _, domain = value.partition("@")
    if not local or not domain or len(value) > 254 or any(c.isspace() for c in value):
        raise InputError("email", f"{email.strip()!r} is not an e-mail address")
    return value


def hash_password(password: str) -> str:
    """The Argon2id hash of a new password (too short or too long ones are refused)."""
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError("password", f"use at most {MAX_PASSWORD} characters")
    return _hasher.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """True when ``password`` matches the stored hash (a missing hash still costs a hash)."""
    if stored is None:
        _hasher.hash(password)  # the same work as a real check: no timing hint of absence
        return False
    try:
        return _hasher.verify(stored, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def account_of(user: User) -> Account:
    """The administrator's view of ``user``."""
    return Account(
        id=user.id,
        email=user.email or "",
        name=user.name,
        role=user.role,
        disabled=user.disabled,
        created_at=user.created_at,
    )


def home_path(role: str, acting_for_someone: bool) -> str | None:
    """The page "/" sends this account to, or None for Tonight (its own or the person's)."""
    return None if acting_for_someone else HOMES.get(role)


def find_user(session: Session, email: str) -> User:
    """The account with this e-mail, or a NotFoundError."""
    key = normal_email(email)
    user = session.scalars(select(User).where(User.email == key)).first()
    if user is None:
        raise NotFoundError("account", key, "email", f"no account for {key}")
    return user


def add_user(
    session: Session, email: str, password: str, role: str, name: str | None = None
) -> Account:
    """Create an account (``bedside user add``)."""
    key = normal_email(email)
    if role not in ROLES:
        raise InputError("role", f"{role!r} is not a role; use one of {', '.join(ROLES)}")
    if session.scalars(select(User.id).where(User.email == key)).first() is not None:
        raise ConflictError("email", f"{key} already has an account")
    user = User(
        name=(name or key.split("@", 1)[0])[:120],
        email=key,
        password_hash=hash_password(password),
        role=role,
        disabled=False,
        is_local=False,
    )
    session.add(user)
    session.flush()
    take_up_invitations(session, user, datetime.now(UTC))
    return account_of(user)


def list_users(session: Session) -> list[Account]:
    """Every account, oldest first (the local user of single-user mode is not one)."""
    users = session.scalars(select(User).where(User.email.is_not(None)).order_by(User.id))
    return [account_of(user) for user in users]


def set_disabled(session: Session, email: str, disabled: bool = True) -> Account:
    """Disable an account (signed out everywhere, tokens stop working) or enable it again."""
    user = find_user(session, email)
    user.disabled = disabled
    if disabled:
        end_all_sessions(session, user.id)
    session.flush()
    return account_of(user)


def reset_password(session: Session, email: str, password: str) -> Account:
    """An administrator sets a new password; every session of the account ends."""
    user = find_user(session, email)
    user.password_hash = hash_password(password)
    end_all_sessions(session, user.id)
    session.flush()
    return account_of(user)


def change_password(
    session: Session, user_id: int, current: str, new: str, keep_session: str | None = None
) -> None:
    """The person changes their own password; their other sessions end."""
    user = session.get(User, user_id)
    if user is None or not password_matches(user.password_hash, current):
        raise InputError("current_password", "the current password is not right")
    user.password_hash = hash_password(new)
    query = delete(WebSession).where(WebSession.user_id == user_id)
    if keep_session is not None:
        query = query.where(WebSession.id_hash != digest(keep_session))
    session.execute(query)
    session.flush()


def end_all_sessions(session: Session, user_id: int) -> int:
    """Sign the person out everywhere; returns how many sessions ended."""
    result = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def create_token(session: Session, email: str, name: str, now: datetime) -> NewToken:
    """A new personal API token for the account (``bedside token create``)."""
    user = find_user(session, email)
    label = name.strip() or "token"
    if len(label) > 120:
        raise InputError("name", "use at most 120 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=digest(token), name=label, created_at=now)
    session.add(row)
    session.flush()
    return NewToken(token=token, info=_token_info(row, user.email or ""))


def list_tokens(session: Session, user_id: int | None = None) -> list[TokenInfo]:
    """Tokens of one person (or of everyone, for an administrator), newest first."""
    query = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    rows = session.execute(query.order_by(ApiToken.id.desc()))
    return [_token_info(token, email or "") for token, email in rows]


def revoke_token(
    session: Session, token_id: int, now: datetime, user_id: int | None = None
) -> None:
    """Revoke a token; with ``user_id``, only one of that person's (else a NotFoundError)."""
    row = session.get(ApiToken, token_id) if 0 < token_id < 2**63 else None
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFoundError("token", token_id)
    if row.revoked_at is None:
        row.revoked_at = now
    session.flush()


def user_of_token(session: Session, token: str, now: datetime) -> Caller | None:
    """The account a Bearer token signs in, or None (unknown, revoked, account disabled).

    Runs on every API call: one query for the token and its account, and a write only when
    ``last_used_at`` is more than :data:`TOKEN_TOUCH` old.
    """
    query = (
        select(ApiToken.id, ApiToken.user_id, ApiToken.last_used_at, ApiToken.revoked_at, User.role)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(token), User.disabled.is_(False))
    )
    row = session.execute(query).first()
    if row is None or row.revoked_at is not None:
        return None
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH:
        session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return Caller(int(row.user_id), row.role)


def _token_info(row: ApiToken, email: str) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        email=email,
        name=row.name,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked=row.revoked_at is not None,
    )


class MyAccount(BaseModel):
    """What a signed-in person sees of their own account (Settings)."""

    email: str
    role: str
    tokens: list[TokenInfo]


def my_account(session: Session, user_id: int) -> MyAccount:
    """The person's own account and tokens."""
    user = session.get(User, user_id)
    if user is None or user.email is None:
        raise NotFoundError("account", user_id, "account", "this account no longer exists")
    return MyAccount(email=user.email, role=user.role, tokens=list_tokens(session, user_id))
