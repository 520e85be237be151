"""Reads for a team closing its part of a sprint: its numbers and its open actions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import OPEN_STATUSES, Action, ActionStatus, AuditEvent


@dataclass(frozen=True)
class TeamSprintNumbers:
    """Planned vs done vs carried over, for one team and one sprint."""

    planned: int  # every action the sprint held for the team, also those that left it
    done: int
    open: int  # still in the sprint, not done: to carry over or drop
    carried_over: int  # moved on to the next sprint (by the team's close or the sprint's)
    dropped: int


def carried_out(session: Session, *, sprint_id: int) -> set[int]:
    """Ids of the actions carried out of this sprint, as the audit events of its closes say."""
    carried: set[int] = set()
    for changes in session.exec(
        select(AuditEvent.changes).where(
            AuditEvent.entity == "sprint",
            AuditEvent.entity_id == sprint_id,
            AuditEvent.verb == "updated",
        )
    ):
        for action_id, _status in (changes or {}).get("carried", [None, []])[1] or []:
            carried.add(action_id)
    return carried


def team_sprint_numbers(session: Session, *, team_id: int, sprint_id: int) -> TeamSprintNumbers:
    """In three queries."""
    held: Counter[str] = Counter()
    for status, number in session.exec(
        select(Action.status, func.count())
        .where(Action.team_id == team_id, Action.sprint_id == sprint_id)
        .group_by(col(Action.status))
    ):
        held[status] = number
    left = carried_out(session, sprint_id=sprint_id)
    moved = (
        session.exec(
            select(func.count())
            .select_from(Action)
            .where(col(Action.id).in_(left), Action.team_id == team_id)
        ).one()
        if left
        else 0
    )
    return TeamSprintNumbers(
        planned=sum(held.values()) + moved,
        done=held[ActionStatus.done],
        open=sum(held[status] for status in OPEN_STATUSES),
        carried_over=moved,
        dropped=held[ActionStatus.dropped],
    )


def open_actions(session: Session, *, team_id: int, sprint_id: int) -> list[Action]:
    """The team's open actions in the sprint, in board order."""
    return list(
        session.exec(
            select(Action)
            .where(
                Action.team_id == team_id,
                Action.sprint_id == sprint_id,
                col(Action.status).in_(OPEN_STATUSES),
            )
            .order_by(col(Action.status), col(Action.position), col(Action.id))
        ).all()
    )


def dropped_actions(session: Session, *, team_id: int, sprint_id: int) -> list[Action]:
    return list(
        session.exec(
            select(Action)
            .where(
                Action.team_id == team_id,
                Action.sprint_id == sprint_id,
                Action.status == ActionStatus.dropped,
            )
            .order_by(col(Action.id))
        ).all()
    )
