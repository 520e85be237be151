"""What a service answers when it refuses; the pages and the API translate these."""

from __future__ import annotations

from typing import Any

from app.translatable import N_


class DomainError(Exception):
    pass


class NotFound(DomainError):
    def __init__(self, entity: str) -> None:
        super().__init__(f"{entity} niet gevonden")
        self.entity = entity


class Forbidden(DomainError):
    def __init__(self, message: str = N_("Dit mag je niet doen.")) -> None:
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    """Bad input, with one message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class StaleVersion(DomainError):
    """The change was made on an old copy; current holds the object as it is now."""

    def __init__(self, current: Any) -> None:
        super().__init__("De versie is niet meer actueel.")
        self.current = current


def check(errors: dict[str, str]) -> None:
    """Raise Invalid when any rule produced a message."""
    if errors:
        raise Invalid(errors)
