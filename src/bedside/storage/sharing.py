"""Consented sharing: grants to clinicians, the audit log, studies and their enrolments.

None of these tables has a ``user_id`` column: they are not part of one person's history, so
backups and "delete all my data" leave them alone (deleting an account removes its rows).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bedside.storage.models import Base, utcnow


class Share(Base):
    """A participant's grant: ``grantee`` may see (viewer) or also plan (manager) their data.

    A *pending* grant (an invitation) names an e-mail that has no account yet: no
    ``grantee_id``, the e-mail in ``invited_email``. It grants nothing until an account with
    that e-mail is created and takes it up.
    """

    __tablename__ = "shares"
    __table_args__ = (
        Index("ix_shares_owner", "owner_id"),
        Index("ix_shares_grantee", "grantee_id"),
        Index("ix_shares_invited_email", "invited_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    grantee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    invited_email: Mapped[str | None] = mapped_column(String(254))
    access: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_viewed_at: Mapped[datetime | None]
    last_viewed: Mapped[str | None] = mapped_column(String(200))


class AuditEntry(Base):
    """One read (or change) of a person's data by someone else: who, what and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_owner_at", "owner_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The actor's e-mail as it was (kept when their account is deleted).
    actor: Mapped[str] = mapped_column(String(254))
    what: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Study(Base):
    """A researcher's study: consent text, what it collects, its dates and enrolment code."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    researcher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    consent_text: Mapped[str] = mapped_column(Text)
    #: Comma-separated: diary, doses, pain, soreness, wearables.
    collects: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    enrolment_code: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Enrolment(Base):
    """A participant in a study: their study id, date shift, consent and withdrawal."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("study_id", "participant_id", name="uq_enrolments_participant"),
        UniqueConstraint("study_id", "study_code", name="uq_enrolments_study_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    study_code: Mapped[str] = mapped_column(String(16))
    #: Whole weeks, so weekdays survive the shift (days; may be negative).
    date_offset_days: Mapped[int] = mapped_column(Integer)
    consented_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
