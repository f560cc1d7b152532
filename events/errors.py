"""The one error family: every failure a user can meet, with an exit code and a hint."""

from __future__ import annotations


class AccordsError(Exception):
    """Base of all errors the CLI turns into a message; exit code 3 (internal error)."""

    exit_code = 3

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(AccordsError):
    """Bad input or usage: malformed data, unknown references, conflicts. Exit 2."""

    exit_code = 2

    def at(self, where: str) -> InputError:
        """The same error, prefixed with where it happened (file:line, key)."""
        return type(self)(f"{where}: {self.message}", self.hint)


class ConflictError(InputError):
    """The log moved on: the caller's expected head is not the head. Exit 2."""


class StoreError(InputError):
    """The store cannot be opened or reached. Exit 2: the fix is in the user's hands."""


class NotConforming(AccordsError):
    """The data does not verify or does not conform. Exit 1."""

    exit_code = 1
