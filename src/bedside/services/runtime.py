"""The running application: one database and the way to open a person's scope on it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bedside.domain.errors import NotFoundError, StorageError
from bedside.services.backups import daily_backup
from bedside.services.faults import foreign_errors
from bedside.services.scope import Scope, local_user, utc_now
from bedside.settings import Settings
from bedside.storage import health
from bedside.storage.cache import OWNER, bump_if_written
from bedside.storage.database import Database
from bedside.storage.models import User

if TYPE_CHECKING:
    from bedside.services.accounts import Caller
    from bedside.services.sharing import Acting
    from bedside.services.signin import SignedIn

__all__ = ["Bedside", "foreign_errors", "machine_faults"]

log = logging.getLogger(__name__)


class Bedside:
    """Built once at start-up from :class:`Settings`; front ends open scopes on it."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        with foreign_errors(settings):  # making the data folder can meet a full disk
            self.database = Database(settings)
        self.clock = clock

    def start(self) -> Bedside:
        """Check the database, bring the schema up to date and take the day's backup.

        Safe to call on every start. A damaged, newer or read-only database raises a
        :class:`~bedside.domain.errors.StorageError` before anything is written, and a full
        disk or a folder that cannot be written a :class:`~bedside.domain.errors.MachineError`.
        A new database gets its first backup on a later day; a backup that fails (e.g. a full
        disk) does not stop the person from logging, and Settings shows how old the newest one
        is.
        """
        with foreign_errors(self.settings):
            found = self.database.ensure_schema()
        if found is not None:
            try:
                daily_backup(self.settings, utc_now())
            except (OSError, sqlite3.Error) as exc:
                log.warning("daily backup failed (%s)", type(exc).__name__)
        return self

    @contextmanager
    def scope(self, user_id: int | None = None, acting: Acting | None = None) -> Iterator[Scope]:
        """A person's scope in one transaction (rolled back on any error).

        ``user_id`` is the signed-in person in server mode; without it, the local person.
        With ``acting`` (from :meth:`act_for`), the scope is the owner's, with the actor and
        their access level. A scope that wrote the owner's data moves their data version on
        (see :mod:`bedside.storage.cache`) before it commits. Foreign errors are translated
        by :mod:`bedside.services.faults`: a locked database raises :class:`BusyError`, a
        full disk or a folder that cannot be written a :class:`MachineError`, damaged pages
        a :class:`StorageError`.
        """
        with foreign_errors(self.settings), self.database.session() as session:
            owner = self._user(session, user_id if acting is None else acting.owner_id)
            session.info[OWNER] = owner.id
            if acting is None:
                yield Scope(session=session, user=owner, now=self.clock())
            else:
                yield Scope(
                    session=session,
                    user=owner,
                    now=self.clock(),
                    actor=self._user(session, acting.actor_id),
                    access=acting.access,
                )
            bump_if_written(session)  # same transaction: the new version comes with the data

    def act_for(self, actor_id: int, person: str, method: str, path: str) -> Acting | None:
        """Check (and audit) one request ``actor_id`` makes for ``person``; see ``authorise``."""
        from bedside.services.sharing import authorise  # accounts only: keep logging light

        with foreign_errors(self.settings), self.database.session() as session:
            return authorise(session, actor_id, person, method, path, self.clock())

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
        with foreign_errors(self.settings), self.database.session() as session:
            yield session

    def sign_in(self, email: str, password: str, address: str) -> SignedIn:
        """Sign in; failed attempts are committed before the error is raised (rate limits)."""
        from bedside.services.signin import attempt_sign_in  # accounts only: keep logging light

        with self.accounts() as session:
            attempt = attempt_sign_in(session, email, password, address, self.clock())
        return attempt.result()

    def signed_in_user(self, session_id: str | None, bearer: str | None) -> Caller | None:
        """The account (and its role) a session cookie or Bearer token signs in, or None."""
        if not session_id and not bearer:
            return None
        from bedside.services.accounts import user_of_token  # accounts only: keep logging light
        from bedside.services.signin import user_of_session

        with self.accounts() as session:
            if bearer:
                return user_of_token(session, bearer, self.clock())
            assert session_id is not None
            return user_of_session(session, session_id, self.clock())

    def close(self) -> None:
        """Release database connections."""
        self.database.dispose()


def damage_refusal(settings: Settings, error: BaseException | None) -> StorageError | None:
    """The one-line refusal for a driver error that means damaged pages (else None).

    The next start runs the full quick check again.
    """
    path = settings.sqlite_path
    if path is None or not health.is_damage(error):
        return None
    health.forget_check(settings.data_dir, path)
    return health.damaged(settings.display_url, str(error))


def machine_faults() -> AbstractContextManager[None]:
    """:func:`~bedside.services.faults.foreign_errors` without settings (files, not the
    database): a full disk or a folder that cannot be written as a :class:`MachineError`."""
    return foreign_errors()
