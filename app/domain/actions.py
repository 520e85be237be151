"""Rules for an action's state: status transitions, the blocked reason, escalation and column
order."""

from __future__ import annotations

from collections.abc import Sequence

from app.models.common import ActionStatus
from app.translatable import N_


def blocked_reason_problem(status: ActionStatus, reason: str | None) -> str | None:
    """The message when a blocked action has no reason, else None."""
    if status == ActionStatus.blocked and not (reason or "").strip():
        return N_("Geef aan waarom de actie geblokkeerd is.")
    return None


def escalation_problem(
    *, status: ActionStatus, team_has_parent: bool, already_open: bool
) -> str | None:
    """Why this action cannot be escalated (None: it can). Any unfinished action may go up to
    the team of teams, once at a time: help, a decision or capacity can be needed long before
    an action is blocked."""
    if not team_has_parent:
        return N_("Dit team valt niet onder een team van teams om op te schalen.")
    if already_open:
        return N_("Voor deze actie is al een knelpunt open.")
    if status == ActionStatus.done:
        return N_("Deze actie is klaar. Een klare actie schaal je niet meer op.")
    return None


def reason_after_move(status: ActionStatus, reason: str | None) -> str | None:
    """Only a blocked action keeps a reason; the history keeps the old one."""
    return reason.strip() if status == ActionStatus.blocked and reason else None


def insert_at(order: Sequence[int], item: int, index: int | None) -> list[int]:
    """The column order with item placed at index (or at the end), without duplicates."""
    rest = [other for other in order if other != item]
    if index is None or index >= len(rest):
        return [*rest, item]
    return [*rest[: max(index, 0)], item, *rest[max(index, 0) :]]
