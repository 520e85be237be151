"""Rules for an action's state: status transitions, the blocked reason and column order."""

from __future__ import annotations

from collections.abc import Sequence

from app.models.common import ActionStatus
from app.translatable import N_


def blocked_reason_problem(status: ActionStatus, reason: str | None) -> str | None:
    """The message when a blocked action has no reason, else None."""
    if status == ActionStatus.blocked and not (reason or "").strip():
        return N_("Geef aan waarom de actie geblokkeerd is.")
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
