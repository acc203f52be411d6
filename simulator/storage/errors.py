"""Errors of the attempts store that a user can meet, each with a one-line message."""

from __future__ import annotations


class StorageError(Exception):
    """The attempts database or a recording cannot be used; str() is the user-facing line."""


class AttemptNotFound(StorageError):
    def __init__(self, attempt_id: int) -> None:
        super().__init__(f"attempt {attempt_id} does not exist")
        self.attempt_id = attempt_id


def first_line(exc: BaseException) -> str:
    """The driver's own message, first line only (SQLAlchemy appends SQL and a link)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
