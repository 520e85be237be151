"""A team's evaluation of a sprint, in the organisation's feedback order, as pure rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.domain.messages import Message
from app.domain.validation import TOO_LONG
from app.translatable import N_

# The organisation's feedback order: the field, its heading, and its name inside a sentence.
PARTS: tuple[tuple[str, str, str], ...] = (
    ("goes_well", N_("Wat gaat goed"), N_("wat goed gaat")),
    ("vulnerable", N_("Wat is kwetsbaar"), N_("wat kwetsbaar is")),
    ("notably_absent", N_("Wat is opvallend afwezig"), N_("wat opvallend afwezig is")),
    ("highlights", N_("In het licht"), N_("in het licht")),
)
FIELDS = tuple(name for name, _heading, _noun in PARTS)
NOT_STARTED = N_(
    "Deze periode is nog niet begonnen. Je evalueert een periode als die loopt of voorbij is."
)
BULLETS = "-*•·–"


def too_long(texts: Mapping[str, str], limit: int) -> dict[str, Message]:
    """One message per part that is longer than the limit."""
    return {
        name: Message(TOO_LONG, veld=Message(noun), max=limit)
        for name, _heading, noun in PARTS
        if len(texts.get(name, "")) > limit
    }


def sprint_problem(*, start_date: date, today: date) -> str | None:
    """A sprint is evaluated once it has begun (during or after it), never before."""
    return NOT_STARTED if start_date > today else None


def wins(highlights: str) -> list[str]:
    """The successes in "in het licht": one per line, without a leading bullet, empty lines
    left out."""
    found = []
    for line in highlights.splitlines():
        text = line.strip().lstrip(BULLETS).strip()
        if text:
            found.append(text)
    return found


def is_empty(texts: Mapping[str, str]) -> bool:
    return not any(texts.get(name, "").strip() for name in FIELDS)
