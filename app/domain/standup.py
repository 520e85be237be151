"""The stand-up's plan: the order in which the team of teams walks its child teams and the
minutes each team gets. Pure rules on values; the page turns a problem into a 422."""

from __future__ import annotations

from collections.abc import Sequence

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
