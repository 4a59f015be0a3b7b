"""Studies: a researcher's consented study that participants join with a code.

A participant reads the consent screen and agrees or declines, and may withdraw at any time:
from then on nothing of theirs after the withdrawal reaches the study. A researcher sees
only their own studies and, in them, enrolled and consenting participants by study id and
completion, never names or e-mail addresses.
"""

from __future__ import annotations

import secrets
import string
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bedside.domain.errors import ConflictError, ForbiddenError, InputError, NotFoundError
from bedside.services.accounts import find_user
from bedside.storage.models import DiaryEntry, User
from bedside.storage.sharing import Enrolment, Study

Collect = Literal["diary", "doses", "pain", "soreness", "wearables"]
COLLECTABLE: tuple[Collect, ...] = ("diary", "doses", "pain", "soreness", "wearables")
DEFAULT_CONSENT = (
    "You share your sleep diary, doses, pain and soreness ratings and wearable sleep "
    "figures with the research team, without your name, e-mail, notes or product names, "
    "and with every date moved by a secret number of weeks. You may withdraw at any time: "
    "nothing you log after withdrawing is shared; what was shared before stays in the study."
)
DEFAULT_DAYS = 90
CODE_ALPHABET = string.ascii_uppercase + string.digits
#: Date shifts are whole weeks (weekdays kept) between 4 and 104 weeks into the past.
SHIFT_WEEKS = range(4, 105)


class StudyIn(BaseModel):
    """What a researcher gives to create a study."""

    title: str = Field(min_length=1, max_length=200)
    consent_text: str = Field(default=DEFAULT_CONSENT, min_length=1, max_length=20_000)
    collects: list[Collect] = Field(default_factory=lambda: list(COLLECTABLE), min_length=1)
    starts_on: date | None = None
    ends_on: date | None = None


class StudyOut(BaseModel):
    """A study as its researcher sees it (with the enrolment code to hand out)."""

    id: int
    title: str
    consent_text: str
    collects: list[str]
    starts_on: date
    ends_on: date
    enrolment_code: str


class ConsentScreen(BaseModel):
    """What a participant reads before agreeing: never the researcher's own details."""

    study_id: int
    title: str
    consent_text: str
    collects: list[str]
    starts_on: date
    ends_on: date


class EnrolmentOut(BaseModel):
    """A participant's place in a study, as they see it."""

    study_id: int
    title: str
    status: Literal["consented", "declined", "withdrawn"]
    since: datetime


class ParticipantProgress(BaseModel):
    """One consenting participant as the researcher sees them: a study id and completion."""

    study_id: str
    nights_logged: int
    study_nights: int
    completion: float


def create_study(session: Session, owner_email: str, data: StudyIn, now: datetime) -> StudyOut:
    """A new study owned by a researcher's account, with a fresh enrolment code."""
    owner = find_user(session, owner_email)
    if owner.role != "researcher":
        raise InputError("owner", f"{owner.email} is not a researcher's account")
    starts = data.starts_on or now.date()
    ends = data.ends_on or starts + timedelta(days=DEFAULT_DAYS)
    if ends < starts:
        raise InputError("ends_on", "the study ends before it starts: give a later end date")
    study = Study(
        researcher_id=owner.id,
        title=data.title.strip(),
        consent_text=data.consent_text.strip(),
        collects=",".join(dict.fromkeys(data.collects)),
        starts_on=starts,
        ends_on=ends,
        enrolment_code=_code(session),
        created_at=now,
    )
    session.add(study)
    session.flush()
    return _study_out(study)


def studies_of(session: Session, researcher_id: int) -> list[StudyOut]:
    """The researcher's own studies, newest first."""
    rows = session.scalars(
        select(Study).where(Study.researcher_id == researcher_id).order_by(Study.id.desc())
    )
    return [_study_out(study) for study in rows]


def consent_screen(session: Session, code: str) -> ConsentScreen:
    """The consent screen of the study with this enrolment code."""
    study = _by_code(session, code)
    return ConsentScreen(
        study_id=study.id,
        title=study.title,
        consent_text=study.consent_text,
        collects=study.collects.split(","),
        starts_on=study.starts_on,
        ends_on=study.ends_on,
    )


def join(
    session: Session, participant_id: int, code: str, consent: bool, now: datetime
) -> EnrolmentOut:
    """Agree (``consent``) or decline to take part; agreeing again after declining is fine."""
    study = _by_code(session, code)
    user = session.get(User, participant_id)
    if user is None or user.role != "participant":
        raise ForbiddenError("only a participant's account can join a study")
    row = _enrolment(session, study.id, participant_id)
    if row is not None and row.withdrawn_at is not None:
        raise ConflictError("code", "you withdrew from this study; it cannot be joined again")
    if row is None:
        row = Enrolment(
            study_id=study.id,
            participant_id=participant_id,
            study_code=_study_code(session, study.id),
            date_offset_days=-7 * secrets.choice(SHIFT_WEEKS),
        )
        session.add(row)
    row.consented_at, row.declined_at = (now, None) if consent else (None, now)
    session.flush()
    return _enrolment_out(row, study)


def withdraw(session: Session, participant_id: int, study_id: int, now: datetime) -> EnrolmentOut:
    """Leave a study: nothing logged from now on reaches it."""
    row = _enrolment(session, study_id, participant_id) if 0 < study_id < 2**63 else None
    study = session.get(Study, study_id) if row is not None else None
    if row is None or study is None or row.consented_at is None:
        raise NotFoundError("study", study_id, "study_id", f"you are not in study {study_id}")
    if row.withdrawn_at is None:
        row.withdrawn_at = now
    session.flush()
    return _enrolment_out(row, study)


def my_enrolments(session: Session, participant_id: int) -> list[EnrolmentOut]:
    """The studies the participant joined, declined or left."""
    rows = session.execute(
        select(Enrolment, Study)
        .join(Study, Study.id == Enrolment.study_id)
        .where(Enrolment.participant_id == participant_id)
        .order_by(Enrolment.id)
    )
    return [_enrolment_out(row, study) for row, study in rows]


def own_study(session: Session, researcher_id: int, study_id: int) -> Study:
    """The researcher's study, or a NotFoundError (someone else's looks like none at all)."""
    study = session.get(Study, study_id) if 0 < study_id < 2**63 else None
    if study is None or study.researcher_id != researcher_id:
        raise NotFoundError("study", study_id)
    return study


def active_enrolments(session: Session, study_id: int) -> list[Enrolment]:
    """Enrolled, consenting participants (withdrawn ones too: their data up to withdrawal)."""
    return list(
        session.scalars(
            select(Enrolment)
            .where(Enrolment.study_id == study_id, Enrolment.consented_at.is_not(None))
            .order_by(Enrolment.study_code)
        )
    )


def progress(
    session: Session, researcher_id: int, study_id: int, today: date
) -> list[ParticipantProgress]:
    """Consenting, not withdrawn participants by study id, with nights logged in the study."""
    study = own_study(session, researcher_id, study_id)
    last = min(today, study.ends_on)
    span = max((last - study.starts_on).days + 1, 0)
    out = []
    for row in active_enrolments(session, study.id):
        if row.withdrawn_at is not None:
            continue
        nights = int(
            session.scalar(
                select(func.count(DiaryEntry.id)).where(
                    DiaryEntry.user_id == row.participant_id,
                    DiaryEntry.night >= study.starts_on,
                    DiaryEntry.night <= last,
                )
            )
            or 0
        )
        share = round(nights / span, 3) if span else 0.0
        out.append(
            ParticipantProgress(
                study_id=row.study_code, nights_logged=nights, study_nights=span, completion=share
            )
        )
    return out


def _by_code(session: Session, code: str) -> Study:
    key = code.strip().upper()
    study = session.scalars(select(Study).where(Study.enrolment_code == key)).first()
    if study is None:
        raise NotFoundError("study", key, "code", "no study has this enrolment code; check it")
    return study


def _enrolment(session: Session, study_id: int, participant_id: int) -> Enrolment | None:
    return session.scalars(
        select(Enrolment).where(
            Enrolment.study_id == study_id, Enrolment.participant_id == participant_id
        )
    ).first()


def _code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if session.scalars(select(Study.id).where(Study.enrolment_code == code)).first() is None:
            return code


def _study_code(session: Session, study_id: int) -> str:
    while True:
        code = "P" + "".join(secrets.choice(string.digits) for _ in range(6))
        taken = select(Enrolment.id).where(
            Enrolment.study_id == study_id, Enrolment.study_code == code
        )
        if session.scalars(taken).first() is None:
            return code


def _study_out(study: Study) -> StudyOut:
    return StudyOut(
        id=study.id,
        title=study.title,
        consent_text=study.consent_text,
        collects=study.collects.split(","),
        starts_on=study.starts_on,
        ends_on=study.ends_on,
        enrolment_code=study.enrolment_code,
    )


def _enrolment_out(row: Enrolment, study: Study) -> EnrolmentOut:
    if row.withdrawn_at is not None:
        return EnrolmentOut(
            study_id=study.id, title=study.title, status="withdrawn", since=row.withdrawn_at
        )
    if row.consented_at is not None:
        return EnrolmentOut(
            study_id=study.id, title=study.title, status="consented", since=row.consented_at
        )
    assert row.declined_at is not None
    return EnrolmentOut(
        study_id=study.id, title=study.title, status="declined", since=row.declined_at
    )


class StudyProgress(BaseModel):
    """A researcher's study with its consenting participants' completion."""

    study: StudyOut
    participants: list[ParticipantProgress]


class StudiesView(BaseModel):
    """The Studies page: a researcher's studies, or a participant's enrolments and a consent."""

    role: str
    studies: list[StudyProgress]
    enrolments: list[EnrolmentOut]
    consent: ConsentScreen | None


def studies_view(session: Session, user_id: int, code: str | None, today: date) -> StudiesView:
    """Everything the Studies page shows for this account (``code``: a consent screen)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("account", user_id, "account", "this account no longer exists")
    studies = [
        StudyProgress(study=study, participants=progress(session, user_id, study.id, today))
        for study in studies_of(session, user_id)
    ]
    return StudiesView(
        role=user.role,
        studies=studies,
        enrolments=my_enrolments(session, user_id),
        consent=consent_screen(session, code) if code else None,
    )


def create_study_from(
    session: Session,
    owner_email: str,
    title: str,
    consent: str | None,
    collects: str,
    start: str | None,
    end: str | None,
    now: datetime,
) -> StudyOut:
    """:func:`create_study` from the command line's text options."""
    from bedside.services.scope import validated

    data = validated(
        StudyIn,
        {
            "title": title,
            "consent_text": consent or DEFAULT_CONSENT,
            "collects": [part.strip() for part in collects.split(",") if part.strip()],
            "starts_on": start,
            "ends_on": end,
        },
    )
    return create_study(session, owner_email, data, now)


def studies_of_email(session: Session, owner_email: str) -> list[StudyOut]:
    """:func:`studies_of` for the account with ``owner_email``."""
    return studies_of(session, find_user(session, owner_email).id)
