"""Errors for user mistakes: the field that is wrong and a message a person can act on."""

from __future__ import annotations


class BedsideError(Exception):
    """Base class of every error that is the user's to fix (never a bug)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(BedsideError):
    """A value given by the person is invalid; ``field`` names the answer or option at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
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

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
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
    """The data cannot be written where it lives (a read-only or inaccessible folder)."""
