"""A clinician's home: the people who granted them access, each with a short status line.

Reading someone's status is reading their data, so each one is written to their audit log.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from sqlalchemy import func, select

from bedside.services.safety import profile_check
from bedside.services.scope import Scope
from bedside.services.sharing import Access, Acting, granted_to, record_read
from bedside.services.signals import signals_report
from bedside.storage.models import DiaryEntry, User

WEEK = 7
STATUS_READ = "GET /people (status line)"


class PersonStatus(BaseModel):
    """One person a clinician follows: who, their access, and how the week went."""

    id: int
    name: str
    email: str
    access: Access
    nights_logged_this_week: int
    newest_finding: str | None
    signals: int
    status: str


def people(scope: Scope) -> list[PersonStatus]:
    """The people who granted ``scope.user`` live access, each with a status line."""
    return [_status(scope, acting) for acting in granted_to(scope.session, scope.user.id)]


def _status(scope: Scope, acting: Acting) -> PersonStatus:
    owner = scope.session.get(User, acting.owner_id)
    assert owner is not None
    theirs = Scope(
        session=scope.session, user=owner, now=scope.now, actor=scope.user, access=acting.access
    )
    record_read(scope.session, owner.id, scope.user.id, STATUS_READ, scope.now)
    nights, finding, signals = 0, None, 0
    if theirs.profile is not None:
        tonight = theirs.tonight()
        nights = int(
            scope.session.scalar(
                select(func.count(DiaryEntry.id)).where(
                    DiaryEntry.user_id == owner.id,
                    DiaryEntry.night > tonight - timedelta(days=WEEK),
                    DiaryEntry.night <= tonight,
                )
            )
            or 0
        )
        report = signals_report(theirs)
        signals = len(report.findings)
        findings = report.findings + profile_check(theirs).findings
        if findings:
            finding = f"{findings[0].severity.value}: {findings[0].title}"
    return PersonStatus(
        id=owner.id,
        name=owner.name,
        email=owner.email or "",
        access=acting.access,
        nights_logged_this_week=nights,
        newest_finding=finding,
        signals=signals,
        status=_line(nights, finding, signals, has_profile=theirs.profile is not None),
    )


def _line(nights: int, finding: str | None, signals: int, has_profile: bool) -> str:
    if not has_profile:
        return "has not set up Bedside yet"
    parts = [f"{nights} of the last {WEEK} nights logged"]
    parts.append(f"{signals} signal" + ("" if signals == 1 else "s"))
    parts.append(f"newest finding: {finding}" if finding else "no safety findings")
    return "; ".join(parts)
