"""The scope every service works in: a session, the person, their profile and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import describe_gap, local_iso, night_of, parse_instant, zone
from bedside.storage.models import Profile, User

LOCAL_USER_NAME = "me"
FUTURE_GRACE = timedelta(minutes=5)
"""How far ahead of the clock a logged time may be: Bedside logs what has already happened.

A few minutes allow for a clock that is slightly off or a dose being taken as it is logged.
"""
M = TypeVar("M", bound=BaseModel)


def utc_now() -> datetime:
    """The current instant (the default clock)."""
    return datetime.now(UTC)


@dataclass
class Scope:
    """A person's view of the database within one transaction."""

    session: Session
    user: User
    now: datetime = field(default_factory=utc_now)
    _held_profile: Profile | None = field(default=None, init=False, repr=False)
    #: Someone acting for ``user`` under a grant (a clinician), or None for the person.
    actor: User | None = None
    #: ``owner`` for the person themselves; ``viewer`` or ``manager`` for an actor.
    access: str = "owner"

    @property
    def profile(self) -> Profile | None:
        """The person's profile, if they have set one up.

        The session's identity map holds rows weakly, so the scope keeps the profile it
        read: otherwise every call after the row was dropped would query it again (the
        Tonight page asks for it about twenty times). While that row is still persistent in
        this session it is returned as is: ``session.get`` would return the very same object.
        """
        held = self._held_profile
        if held is not None and inspect(held).persistent:
            return held
        profile = self.session.get(Profile, self.user.id)
        self._held_profile = profile
        return profile

    def require_profile(self) -> Profile:
        """The profile, or an error telling the person how to create one."""
        profile = self.profile
        if profile is None:
            raise InputError(
                "profile", "no profile yet: set up your profile first", next_step="set_up_profile"
            )
        return profile

    @property
    def tz(self) -> ZoneInfo:
        """The person's time zone (from the profile)."""
        return zone(self.require_profile().timezone)

    def tonight(self) -> date:
        """The night key of the present moment."""
        return night_of(self.now, self.tz)

    def instant(self, text: str | None, night: date | None, field_name: str = "time") -> datetime:
        """Resolve a time the person typed (``None`` means now) to a UTC instant."""
        if text is None or text.strip() == "" or text.strip().lower() == "now":
            return self.now
        instant = parse_instant(text, self.tz, night or self.tonight(), field_name)
        self.refuse_future(instant, field_name)
        return instant

    def is_future(self, instant: datetime) -> bool:
        """Whether ``instant`` is more than :data:`FUTURE_GRACE` ahead of the clock."""
        return instant > self.now + FUTURE_GRACE

    def local_text(self, instant: datetime) -> str:
        """``2025-06-14 22:30``: an instant on the person's clock, to the minute."""
        return local_iso(instant, self.tz)[:16].replace("T", " ")

    def until(self, instant: datetime) -> str:
        """How long until ``instant``, in words (``2 h 05 min``)."""
        return describe_gap(instant - self.now)

    def refuse_future(self, instant: datetime, field_name: str) -> None:
        """Refuse a logged time more than :data:`FUTURE_GRACE` ahead, saying when it can be."""
        if not self.is_future(instant):
            return
        shown = self.local_text(instant)
        earlier = local_iso(instant - timedelta(days=1), self.tz)[:16]
        raise InputError(
            field_name,
            f"{shown} is {self.until(instant)} from now and Bedside logs what has already "
            f"happened: log it from {shown} on (for an earlier day give the date, e.g. "
            f"{earlier})",
        )


def local_user(session: Session) -> User:
    """The single local user, created on first use."""
    user = session.scalars(select(User).where(User.is_local.is_(True)).limit(1)).first()
    if user is None:
        user = User(name=LOCAL_USER_NAME, is_local=True)
        session.add(user)
        session.flush()
    return user


def validated(model: type[M], data: object) -> M:
    """Build ``model`` from ``data``, turning the first validation problem into an InputError."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise input_error_from(exc) from None


def input_error_from(exc: ValidationError) -> InputError:
    """The first problem of a pydantic ValidationError as an InputError with its field."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "input"
    message = str(first["msg"]).removeprefix("Value error, ")
    return InputError(where, message)


def check_value(condition: bool, field_name: str, message: str) -> None:
    """Raise an InputError for ``field_name`` unless ``condition`` holds."""
    if not condition:
        raise InputError(field_name, message)


Factory = Callable[[Session], Scope]
