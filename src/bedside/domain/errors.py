"""Errors for user mistakes: the field that is wrong and a message a person can act on."""

from __future__ import annotations


class BedsideError(Exception):
    """Base class of every error that is the user's to fix (never a bug).

    ``message`` speaks of the thing at fault, never of a front end's options or commands.
    ``next_step`` names what the person can do next (``set_up_profile``, ``plan_experiment``,
    ``merge``, ``add_clinician``) when the message asks for it; each front end words that
    step in its own terms (a CLI command, a link, a checkbox).
    """

    def __init__(self, message: str, *, next_step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step


class InputError(BedsideError):
    """A value given by the person is invalid; ``field`` names the answer or option at fault."""

    def __init__(self, field: str, message: str, *, next_step: str | None = None) -> None:
        super().__init__(message, next_step=next_step)
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class NotFoundError(BedsideError):
    """A referenced entry (product, dose, diary night ...) does not exist for this person."""

    def __init__(
        self, entity: str, key: object, field: str | None = None, message: str | None = None
    ) -> None:
        super().__init__(message or f"no {entity} with id {key}")
        self.entity = entity
        self.key = key
        self.field = field or f"{entity}_id"


class ConflictError(BedsideError):
    """The entry clashes with one that exists (e.g. a second diary for the same night)."""

    def __init__(self, field: str, message: str, *, next_step: str | None = None) -> None:
        super().__init__(message, next_step=next_step)
        self.field = field


class MachineError(BedsideError):
    """The computer, not the person's input, stopped the work (a full disk, a locked folder).

    Nothing was saved; the message says what to do on this computer.
    """


class DiskFullError(MachineError):
    """The disk holding the data is full."""

    def __init__(self, message: str = "the disk is full; nothing was saved") -> None:
        super().__init__(message)


class StorageError(MachineError):
    """The database or a private file cannot be used as it is: damaged, made by a newer
    Bedside, read-only, or in a folder that cannot be written (not a bug, not a typo).

    The message says what happened and what the person can do; nothing was written.
    """


class DamagedDatabaseError(StorageError):
    """The database failed SQLite's integrity check: its pages are damaged."""


class NewerDatabaseError(StorageError):
    """The database was made by a newer Bedside (its schema revision is unknown here)."""


class ReadOnlyError(StorageError):
    """The database file or its folder cannot be written."""


class UnsafeFileError(StorageError):
    """A private file is owned by someone else or readable by other people."""


class BackupError(StorageError):
    """A backup cannot be made, found, verified or restored."""


class UnreadableFileError(BedsideError):
    """A file the person gave is not the kind of file it should be (malformed, truncated)."""


class BusyError(BedsideError):
    """The database is held by a long write (an import); the person should simply retry."""

    #: Seconds after which a retry is likely to succeed (the ``Retry-After`` of HTTP 503).
    retry_after = 2

    def __init__(self, message: str = "busy: an import is running, try again") -> None:
        super().__init__(message)


class SignInError(BedsideError):
    """The e-mail and password do not match an account that may sign in."""


class TooManyAttemptsError(BedsideError):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ForbiddenError(BedsideError):
    """Signed in, but this is not theirs to do (e.g. a viewer changing someone's data)."""
