"""The rule for an API token's name (API-sleutel): it says what the token is for."""

from __future__ import annotations

from app.domain.messages import Message
from app.translatable import N_

NAME_MAX_LENGTH = 100  # the length of the api_token.name column

NAME_MISSING = N_("Geef de sleutel een naam, zodat je later weet waarvoor hij is.")
NAME_TOO_LONG = N_("Maak de naam korter: hoogstens %(max)d tekens.")


def token_name_problem(name: str) -> str | None:
    """Why a token cannot have this name (spaces around it do not count), or None."""
    name = name.strip()
    if not name:
        return NAME_MISSING
    if len(name) > NAME_MAX_LENGTH:
        return Message(NAME_TOO_LONG, max=NAME_MAX_LENGTH)
    return None
