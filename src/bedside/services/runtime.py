"""The running application: one database and the way to open a person's scope on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from bedside.domain.errors import NotFoundError
from bedside.services.accounts import user_of_token
from bedside.services.scope import Scope, local_user, utc_now
from bedside.services.signin import SignedIn, attempt_sign_in, user_of_session
from bedside.settings import Settings
from bedside.storage.database import Database
from bedside.storage.models import User


class Bedside:
    """Built once at start-up from :class:`Settings`; front ends open scopes on it."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.database = Database(settings)
        self.clock = clock

    def start(self) -> Bedside:
        """Bring the schema up to date (safe to call on every start)."""
        self.database.ensure_schema()
        return self

    @contextmanager
    def scope(self, user_id: int | None = None) -> Iterator[Scope]:
        """A person's scope in one transaction (rolled back on any error).

        ``user_id`` is the signed-in person in server mode; without it, the local person.
        """
        with self.database.session() as session:
            yield Scope(session=session, user=self._user(session, user_id), now=self.clock())

    @staticmethod
    def _user(session: Session, user_id: int | None) -> User:
        if user_id is None:
            return local_user(session)
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("account", user_id, "account", "this account no longer exists")
        return user

    @contextmanager
    def accounts(self) -> Iterator[Session]:
        """One transaction for account administration and sign-in (no person's scope)."""
        with self.database.session() as session:
            yield session

    def sign_in(self, email: str, password: str, address: str) -> SignedIn:
        """Sign in; failed attempts are committed before the error is raised (rate limits)."""
        with self.accounts() as session:
            attempt = attempt_sign_in(session, email, password, address, self.clock())
        return attempt.result()

    def signed_in_user(self, session_id: str | None, bearer: str | None) -> int | None:
        """The person a session cookie or Bearer token signs in, or None."""
        if not session_id and not bearer:
            return None
        with self.accounts() as session:
            if bearer:
                return user_of_token(session, bearer, self.clock())
            assert session_id is not None
            return user_of_session(session, session_id, self.clock())

    def close(self) -> None:
        """Release database connections."""
        self.database.dispose()
