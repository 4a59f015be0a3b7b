"""Server-mode sign-in state kept in the database, so every worker process shares it.

Only hashes of session ids and API tokens are stored: a copy of the database does not let
anyone sign in as the people in it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bedside.storage.models import Base, utcnow


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie value, whose it is, and until when."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_id"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class ApiToken(Base):
    """A personal API token (sent as ``Authorization: Bearer``): only its SHA-256 is kept."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SigninFailure(Base):
    """One failed sign-in: the account named and the address it came from (rate limits)."""

    __tablename__ = "signin_failures"
    __table_args__ = (
        Index("ix_signin_failures_email_at", "email", "at"),
        Index("ix_signin_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
