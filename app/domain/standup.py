"""The stand-up's plan: the order in which the team of teams walks its child teams and the
minutes each team gets. Pure rules on values; the page turns a problem into a 422."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.translatable import N_

MINUTES_MIN = 1
MINUTES_MAX = 15
DEFAULT_MINUTES = 2

BAD_MINUTES = N_("Kies 1 tot en met 15 minuten per team.")
BAD_ORDER = N_("Kies elk team één keer in de volgorde.")


def minutes_problem(minutes: int) -> str | None:
    """Each team gets 1 to 15 minutes."""
    if MINUTES_MIN <= minutes <= MINUTES_MAX:
        return None
    return BAD_MINUTES


def order_problem(*, children: Sequence[int], order: Sequence[int]) -> str | None:
    """An order names every child team exactly once (an empty order means: as they are)."""
    if not order or sorted(order) == sorted(children):
        return None
    return BAD_ORDER


def walk(*, children: Sequence[int], order: Sequence[int]) -> list[int]:
    """The child teams in the order asked for, or as they are when none was asked."""
    return list(order) if order else list(children)


# --- The record of a stand-up -----------------------------------------------------------------
NOT_A_TEAM_OF_TEAMS = N_("Alleen een team van teams houdt een staand overleg.")
IN_THE_FUTURE = N_("Een overleg kan niet in de toekomst zijn gehouden. Kies vandaag of eerder.")
TEAM_NOT_HERE = N_("Kies alleen het team van teams zelf en de teams eronder, elk één keer.")
BAD_TIME = N_("Vul de tijd in als minuten:seconden, bijvoorbeeld 2:30.")
ACTION_OR_ANSWER = N_(
    "Een besluit wordt een actie met een eigenaar óf het antwoord op een knelpunt, niet allebei."
)
NOT_ATTENDING = N_("Kies alleen medewerkers die actief zijn.")


def turn_problem(*, allowed: Sequence[int], walked: Sequence[int]) -> str | None:
    """The teams walked are the team of teams and its child teams, each at most once."""
    if len(set(walked)) != len(walked) or not set(walked) <= set(allowed):
        return TEAM_NOT_HERE
    return None


def held_on_problem(*, held_on: date, today: date) -> str | None:
    return IN_THE_FUTURE if held_on > today else None


def decision_problem(*, owner_id: int | None, escalation_id: int | None) -> str | None:
    """A decision becomes an action or an answer, not both."""
    if owner_id is not None and escalation_id is not None:
        return ACTION_OR_ANSWER
    return None


def parse_clock(text: str) -> int | None:
    """Seconds from what a person types: "2:30", "02:30", "1:02:30", "90" (seconds) or ""
    (nothing: 0). None when it is not a time."""
    text = text.strip().replace(".", ":")
    if not text:
        return 0
    parts = text.split(":")
    if len(parts) > 3 or not all(part.isdigit() for part in parts):
        return None
    numbers = [int(part) for part in parts]
    if any(number >= 60 for number in numbers[1:]):
        return None
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def clock(seconds: int) -> str:
    """ "2:30": minutes and seconds (hours first when there are any), as a person types them."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


CHOOSE_TARGET = N_("Kies wat het besluit wordt uit de lijst.")
