"""Read models for one person: Mijn acties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from app.domain.due import is_due_soon, is_overdue, personal_order
from app.models import (
    Action,
    ActionStatus,
    Team,
)


@dataclass(frozen=True)
class OwnedAction:
    """One of a user's actions, with the flags the personal pages show."""

    action: Action
    team: Team
    is_overdue: bool
    is_due_soon: bool


def my_actions(
    session: Session, *, user_id: int, today: date, sprint_id: int | None = None
) -> list[OwnedAction]:
    """A user's open actions in any sprint, plus (with sprint_id) all of theirs in that sprint;
    late first, then by due date, no date last. One query."""
    # a dropped action is let go of: it is on nobody's list any more
    wanted = col(Action.status).not_in([ActionStatus.done, ActionStatus.dropped])
    if sprint_id is not None:
        wanted = or_(wanted, col(Action.sprint_id) == sprint_id)  # type: ignore[assignment]
    rows = session.exec(
        select(Action, Team)
        .join(Team, col(Team.id) == Action.team_id)
        .where(Action.owner_id == user_id, wanted, Action.status != ActionStatus.dropped)
    ).all()
    owned = [
        OwnedAction(
            action=action,
            team=team,
            is_overdue=is_overdue(status=action.status, due_date=action.due_date, today=today),
            is_due_soon=is_due_soon(status=action.status, due_date=action.due_date, today=today),
        )
        for action, team in rows
    ]
    return sorted(
        owned,
        key=lambda item: personal_order(
            overdue=item.is_overdue,
            due_date=item.action.due_date,
            action_id=item.action.id or 0,
        ),
    )
