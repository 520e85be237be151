"""Read models for the calendar feeds: the open actions with a due date, with team and owner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import Action, ActionStatus, CalendarFeed, Team, User


@dataclass(frozen=True)
class FeedItem:
    """One open action with a due date, as a feed shows it."""

    action: Action
    team: Team
    owner: User


# done and dropped actions are not in anyone's calendar any more
CLOSED = (ActionStatus.done, ActionStatus.dropped)


def _items(session: Session, *where: object) -> list[FeedItem]:
    rows = session.exec(
        select(Action, Team, User)
        .join(Team, col(Team.id) == Action.team_id)
        .join(User, col(User.id) == Action.owner_id)
        .where(
            col(Action.status).not_in(CLOSED),
            col(Action.due_date).is_not(None),
            *where,  # type: ignore[arg-type]
        )
        .order_by(col(Action.due_date), col(Action.id))
    ).all()
    return [FeedItem(action=action, team=team, owner=owner) for action, team, owner in rows]


def personal_items(session: Session, *, user_id: int) -> list[FeedItem]:
    """The user's own open actions with a due date, in any team and sprint."""
    return _items(session, Action.owner_id == user_id)


def team_items(session: Session, *, team_id: int) -> list[FeedItem]:
    """All open actions of the team with a due date, whoever owns them."""
    return _items(session, Action.team_id == team_id)


def active_feed(session: Session, *, user_id: int, team_id: int | None) -> CalendarFeed | None:
    """The user's link that still works: to their own actions, or to the team's."""
    team = col(CalendarFeed.team_id)
    return session.exec(
        select(CalendarFeed)
        .where(
            CalendarFeed.user_id == user_id,
            team.is_(None) if team_id is None else team == team_id,
            col(CalendarFeed.revoked_at).is_(None),
        )
        .order_by(col(CalendarFeed.id).desc())
    ).first()
