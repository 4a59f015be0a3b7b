"""The running application: one database and the way to open a person's scope on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bedside.services.scope import Scope, local_user, utc_now
from bedside.settings import Settings
from bedside.storage.database import Database
from bedside.storage.faults import machine_fault


class Bedside:
    """Built once at start-up from :class:`Settings`; front ends open scopes on it."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.database = Database(settings)
        self.clock = clock

    def start(self) -> Bedside:
        """Bring the schema up to date (safe to call on every start).

        A full disk or a folder that cannot be written raises a :class:`MachineError`.
        """
        with machine_faults():
            self.database.ensure_schema()
        return self

    @contextmanager
    def scope(self) -> Iterator[Scope]:
        """The local person's scope in one transaction (rolled back on any error).

        A full disk or a folder that cannot be written raises a :class:`MachineError`.
        """
        with machine_faults(), self.database.session() as session:
            yield Scope(session=session, user=local_user(session), now=self.clock())

    def close(self) -> None:
        """Release database connections."""
        self.database.dispose()


@contextmanager
def machine_faults() -> Iterator[None]:
    """Turn a full disk or an unwritable folder into a one-line :class:`MachineError`."""
    try:
        yield
    except Exception as exc:
        fault = machine_fault(exc)
        if fault is None or fault is exc:
            raise
        raise fault from None
