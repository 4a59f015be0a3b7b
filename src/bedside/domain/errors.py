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


class SignInError(BedsideError):
    """The e-mail and password do not match an account that may sign in."""


class TooManyAttemptsError(BedsideError):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
