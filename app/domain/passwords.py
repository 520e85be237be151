"""The password rule: long enough, and not built from the user's own name or address."""

from __future__ import annotations

from app.domain.messages import Message
from app.translatable import N_

MIN_LENGTH = 12
TOO_SHORT = N_("Een wachtwoord heeft minstens %(min)d tekens.")
HOLDS_NAME = N_("Je wachtwoord mag je naam of e-mailadres niet bevatten.")


def password_problem(password: str, *, name: str, email: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return Message(TOO_SHORT, min=MIN_LENGTH)
    lowered = password.lower()
    parts = [email.lower(), email.split("@", 1)[0].lower(), *name.lower().split()]
    if any(len(part) >= 3 and part in lowered for part in parts):
        return HOLDS_NAME
    return None
