"""Read models for the boards (team board, team of teams, card detail, stand-up), each in a
fixed number of queries whatever the size of the board."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, or_
from sqlmodel import Session, col, select

from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionStatus,
    AuditEvent,
    Comment,
    Escalation,
    EscalationStatus,
    Goal,
    Sprint,
    Team,
    User,
)
from app.queries.common import teams_named, user_names
from app.queries.meetings import MeetingInfo, meetings_named, upcoming
from app.queries.org import board_members

BOARD_ORDER = (ActionStatus.todo, ActionStatus.doing, ActionStatus.done, ActionStatus.blocked)


@dataclass
class ChildLane:
    team: Team
    counts: dict[str, int]
    open_escalations: int


@dataclass(slots=True)
class BoardAction:
    """An action as a board shows it: the row's columns as plain attributes, read with one Core
    select (no ORM identity map, no change tracking). It reads like an Action (`action.title`,
    `action.status`, ...) and is never written back; a change loads the Action itself."""

    id: int
    title: str
    description: str
    team_id: int
    owner_id: int
    sprint_id: int
    ambition_id: int | None
    goal_id: int | None
    status: str
    blocked_reason: str | None
    due_date: date | None
    position: int
    carried_over: int
    version: int
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    created_by_id: int | None
    drop_reason: str | None
    meeting_id: int | None


ACTION_TABLE = Action.__table__  # type: ignore[attr-defined]
BOARD_ACTION_COLUMNS = [ACTION_TABLE.c[name] for name in BoardAction.__slots__]  # type: ignore[attr-defined]

# Built once: a statement made per request costs more than running it (SQLAlchemy's compiled
# form is cached, but building the expression and its cache key is not).
_BOARD_ACTIONS = (
    select(*BOARD_ACTION_COLUMNS)
    .where(
        ACTION_TABLE.c.team_id == bindparam("team_id"),
        ACTION_TABLE.c.sprint_id == bindparam("sprint_id"),
        ACTION_TABLE.c.status.in_(list(BOARD_ORDER)),
    )
    .order_by(ACTION_TABLE.c.position, ACTION_TABLE.c.id)
)
_BOARD_ESCALATIONS = (
    select(Escalation)
    .where(
        Escalation.status == EscalationStatus.open,
        (Escalation.from_team_id == bindparam("team_id"))
        | (Escalation.to_team_id == bindparam("team_id")),
    )
    .order_by(col(Escalation.created_at), col(Escalation.id))
)
_CHILD_TEAMS = select(Team).where(Team.parent_id == bindparam("team_id")).order_by(col(Team.name))
_CHILD_COUNTS = (
    select(ACTION_TABLE.c.team_id, ACTION_TABLE.c.status, func.count())
    .where(
        ACTION_TABLE.c.team_id.in_(bindparam("team_ids", expanding=True)),
        ACTION_TABLE.c.sprint_id == bindparam("sprint_id"),
    )
    .group_by(ACTION_TABLE.c.team_id, ACTION_TABLE.c.status)
)
_CHILD_OPEN_ESCALATIONS = (
    select(Escalation.from_team_id, func.count())
    .where(
        col(Escalation.from_team_id).in_(bindparam("team_ids", expanding=True)),
        Escalation.status == EscalationStatus.open,
    )
    .group_by(col(Escalation.from_team_id))
)


_BOARD_COMMENT_COUNTS = (
    select(Comment.action_id, func.count())
    .join(ACTION_TABLE, ACTION_TABLE.c.id == Comment.action_id)
    .where(
        ACTION_TABLE.c.team_id == bindparam("team_id"),
        ACTION_TABLE.c.sprint_id == bindparam("sprint_id"),
    )
    .group_by(col(Comment.action_id))
)


def board_comment_counts(session: Session, *, team_id: int, sprint_id: int) -> dict[int, int]:
    """How many reacties each action of one board has: one query, the same whatever the
    number of cards (no list of ids to send)."""
    rows = session.connection().execute(
        _BOARD_COMMENT_COUNTS, {"team_id": team_id, "sprint_id": sprint_id}
    )
    return {action_id: number for action_id, number in rows}


def board_actions(session: Session, *, team_id: int, sprint_id: int) -> list[BoardAction]:
    """The cards of one board (every status but dropped), in column order, as light rows."""
    rows = session.connection().execute(
        _BOARD_ACTIONS, {"team_id": team_id, "sprint_id": sprint_id}
    )
    return [BoardAction(*row) for row in rows]


@dataclass
class Board:
    team: Team
    sprint: Sprint
    columns: list[tuple[ActionStatus, list[BoardAction]]]
    escalations: list[Escalation]
    children: list[ChildLane] = field(default_factory=list)


def board(session: Session, *, team: Team, sprint: Sprint) -> Board:
    """A team's board for one sprint: its columns, its knelpunten and its child teams' lanes."""
    assert team.id is not None and sprint.id is not None
    by_status: dict[str, list[BoardAction]] = defaultdict(list)
    for action in board_actions(session, team_id=team.id, sprint_id=sprint.id):
        by_status[action.status].append(action)
    escalations = session.exec(_BOARD_ESCALATIONS, params={"team_id": team.id}).all()  # type: ignore[call-overload]
    children = session.exec(_CHILD_TEAMS, params={"team_id": team.id}).all()  # type: ignore[call-overload]
    child_ids = [child.id for child in children]
    counts: dict[int, dict[str, int]] = {
        child_id: dict.fromkeys(BOARD_ORDER, 0) for child_id in child_ids if child_id is not None
    }
    open_counts: Counter[int] = Counter()
    if child_ids:
        connection = session.connection()
        for team_id, status, number in connection.execute(
            _CHILD_COUNTS, {"team_ids": child_ids, "sprint_id": sprint.id}
        ):
            if status in counts[team_id]:  # a dropped action is no card and not counted
                counts[team_id][status] = number
        for team_id, number in connection.execute(_CHILD_OPEN_ESCALATIONS, {"team_ids": child_ids}):
            open_counts[team_id] = number
    return Board(
        team=team,
        sprint=sprint,
        columns=[(status, by_status.get(status, [])) for status in BOARD_ORDER],
        escalations=list(escalations),
        children=[
            ChildLane(
                team=child,
                counts=counts[child.id],  # type: ignore[index]
                open_escalations=open_counts[child.id],  # type: ignore[index]
            )
            for child in children
        ],
    )


def actions_statement(
    *,
    team_id: int | None = None,
    owner_id: int | None = None,
    sprint_id: int | None = None,
    status: ActionStatus | None = None,
    ambition_id: int | None = None,
) -> Select[Any]:
    statement = select(Action)
    for column, value in (
        (Action.team_id, team_id),
        (Action.owner_id, owner_id),
        (Action.sprint_id, sprint_id),
        (Action.status, status),
        (Action.ambition_id, ambition_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    return statement.order_by(col(Action.due_date).is_(None), col(Action.due_date), col(Action.id))  # type: ignore[return-value]


def comments(session: Session, *, action_id: int) -> list[Comment]:
    return list(
        session.exec(
            select(Comment)
            .where(Comment.action_id == action_id)
            .order_by(col(Comment.created_at), col(Comment.id))
        ).all()
    )


def team_escalations(
    session: Session, *, team_id: int, status: EscalationStatus | None
) -> Select[Any]:
    statement = select(Escalation).where(
        (Escalation.from_team_id == team_id) | (Escalation.to_team_id == team_id)
    )
    if status is not None:
        statement = statement.where(Escalation.status == status)
    return statement.order_by(col(Escalation.created_at), col(Escalation.id))  # type: ignore[return-value]


def open_escalations_to(session: Session, *, team_ids: Collection[int]) -> list[Escalation]:
    """Open knelpunten sent to any of these teams, oldest first."""
    if not team_ids:
        return []
    return list(
        session.exec(
            select(Escalation)
            .where(
                col(Escalation.to_team_id).in_(list(team_ids)),
                Escalation.status == EscalationStatus.open,
            )
            .order_by(col(Escalation.created_at), col(Escalation.id))
        ).all()
    )


def last_editor_name(session: Session, *, entity: str, entity_id: int) -> str | None:
    """The name of whoever made the latest recorded change to this object."""
    return session.exec(
        select(User.name)
        .join(AuditEvent, col(AuditEvent.actor_id) == User.id)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()


def lane_ambitions(session: Session, *, referenced: Collection[int]) -> list[Ambition]:
    """The ambitions a board can show a row for: every active one, and any other its actions
    refer to; by title, in one query."""
    condition = col(Ambition.status) == AmbitionStatus.active
    if referenced:
        condition = or_(condition, col(Ambition.id).in_(sorted(referenced)))  # type: ignore[assignment]
    return list(
        session.exec(
            select(Ambition).where(condition).order_by(col(Ambition.title), col(Ambition.id))
        ).all()
    )


def open_goals(
    session: Session,
    *,
    ambition_ids: Collection[int],
    team_id: int,
    including: Collection[int] = (),
) -> dict[int, list[Goal]]:
    """Per ambition, the goals not yet done that belong to no team or to this one, and the
    goals in `including` (those the board's actions already have)."""
    goals: dict[int, list[Goal]] = defaultdict(list)
    if not ambition_ids:
        return goals
    wanted = (col(Goal.is_done).is_(False)) & or_(
        col(Goal.team_id).is_(None), col(Goal.team_id) == team_id
    )
    if including:
        wanted = or_(wanted, col(Goal.id).in_(sorted(including)))  # type: ignore[assignment]
    for goal in session.exec(
        select(Goal)
        .where(col(Goal.ambition_id).in_(sorted(ambition_ids)), wanted)
        .order_by(col(Goal.due).is_(None), col(Goal.due), col(Goal.id))
    ):
        goals[goal.ambition_id].append(goal)
    return goals


def board_writers(session: Session, *, team_id: int) -> list[User]:
    """The active people who may own an action on this board: its members and the
    representatives of its child teams, by name, in one query."""
    return list(
        session.exec(
            select(User)
            .where(col(User.id).in_(board_members(team_id)), col(User.is_active).is_(True))
            .order_by(col(User.name), col(User.id))
        ).all()
    )


@dataclass(frozen=True)
class Neighbours:
    previous: Sprint | None
    following: Sprint | None


_PREVIOUS_SPRINT = (
    select(Sprint)
    .where(col(Sprint.start_date) < bindparam("start"))
    .order_by(col(Sprint.start_date).desc())
    .limit(1)
)
_FOLLOWING_SPRINT = (
    select(Sprint)
    .where(col(Sprint.start_date) > bindparam("start"))
    .order_by(col(Sprint.start_date))
    .limit(1)
)


def neighbour_sprints(session: Session, sprint: Sprint) -> Neighbours:
    """The sprints just before and just after this one, in two queries."""
    start = {"start": sprint.start_date}
    previous = session.exec(_PREVIOUS_SPRINT, params=start).first()  # type: ignore[call-overload]
    following = session.exec(_FOLLOWING_SPRINT, params=start).first()  # type: ignore[call-overload]
    return Neighbours(previous=previous, following=following)


def column_order(session: Session, *, team_id: int, sprint_id: int, status: str) -> list[int]:
    """The ids of one column of a board, top to bottom."""
    return [
        action_id
        for action_id in session.exec(
            select(Action.id)
            .where(
                Action.team_id == team_id,
                Action.sprint_id == sprint_id,
                Action.status == status,
            )
            .order_by(col(Action.position), col(Action.id))
        )
        if action_id is not None
    ]


def drop_index(
    session: Session, action: Action, status: str, *, below: int | None, above: int | None
) -> int | None:
    """Where a dragged card lands in its column: just before the card below it, or after the
    one above it (a row of the board shows only part of a column); None for the bottom."""
    if below is None and above is None:
        return None
    order = [
        other
        for other in column_order(
            session, team_id=action.team_id, sprint_id=action.sprint_id, status=status
        )
        if other != action.id
    ]
    if below in order:
        return order.index(below)
    if above in order:
        return order.index(above) + 1
    return None


def history(session: Session, *, entity: str, entity_id: int) -> list[AuditEvent]:
    """The audit events of one object, oldest first."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(col(AuditEvent.id))
        ).all()
    )


def action_comments_named(session: Session, *, action_id: int) -> list[tuple[Comment, str]]:
    """An action's reacties, oldest first, each with its author's name."""
    rows = session.exec(
        select(Comment, User.name)
        .join(User, col(User.id) == Comment.author_id)
        .where(Comment.action_id == action_id)
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    return [(comment, name) for comment, name in rows]


def child_teams(session: Session, *, team_id: int) -> list[Team]:
    """The teams directly under a team of teams, by name."""
    return list(
        session.exec(
            select(Team).where(Team.parent_id == team_id).order_by(col(Team.name), col(Team.id))
        ).all()
    )


def action_titles(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Titles of these actions, in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Action.id, Action.title).where(col(Action.id).in_(sorted(ids))))
    return {action_id: title for action_id, title in rows if action_id is not None}


def comment_counts(session: Session, ids: Collection[int]) -> dict[int, int]:
    """How many reacties each of these actions has, in one query."""
    if not ids:
        return {}
    rows = session.exec(
        select(Comment.action_id, func.count())
        .where(col(Comment.action_id).in_(sorted(ids)))
        .group_by(col(Comment.action_id))
    )
    return {action_id: number for action_id, number in rows}


@dataclass(frozen=True)
class HistoryNames:
    """Names for the ids an action's history refers to, one query per kind."""

    users: dict[int, str]
    ambitions: dict[int, str]
    goals: dict[int, str]
    teams: dict[int, str]
    sprints: dict[int, tuple[date, date]]  # start and end


def _ids_in(events: Collection[AuditEvent], name: str) -> list[int]:
    found = {
        value
        for event in events
        for value in event.changes.get(name, [])
        if isinstance(value, int) and not isinstance(value, bool)
    }
    return sorted(found)


def _titles(session: Session, model: type[Ambition] | type[Goal], ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(model.id, model.title).where(col(model.id).in_(ids)))
    return {row_id: title for row_id, title in rows if row_id is not None}


def names_in_history(session: Session, events: Collection[AuditEvent]) -> HistoryNames:
    team_ids, sprint_ids = _ids_in(events, "team_id"), _ids_in(events, "sprint_id")
    teams = teams_named(session, team_ids)
    sprints = (
        session.exec(select(Sprint).where(col(Sprint.id).in_(sprint_ids))).all()
        if sprint_ids
        else []
    )
    return HistoryNames(
        # owners named in the changes, and who made them
        users=user_names(session, [*_ids_in(events, "owner_id"), *(e.actor_id for e in events)]),
        ambitions=_titles(session, Ambition, _ids_in(events, "ambition_id")),
        goals=_titles(session, Goal, _ids_in(events, "goal_id")),
        teams={team_id: team.name for team_id, team in teams.items()},
        sprints={s.id: (s.start_date, s.end_date) for s in sprints if s.id is not None},
    )


def ambitions_on_board(session: Session, *, team_id: int, sprint_id: int) -> set[int]:
    """The ambitions the actions of one board refer to, in one query."""
    rows = session.exec(
        select(Action.ambition_id)
        .where(Action.team_id == team_id, Action.sprint_id == sprint_id)
        .distinct()
    )
    return {ambition_id for ambition_id in rows if ambition_id is not None}


@dataclass(frozen=True)
class BoardPage:
    """Everything a board page shows, in a fixed number of queries however many cards."""

    board: Board
    names: dict[int, str]  # owners and those who raised a knelpunt
    ambitions: list[Ambition]  # the rows
    neighbours: Neighbours
    teams: dict[int, Team]  # the parent and the teams of the knelpunten
    titles: dict[int, str]  # the actions the knelpunten were raised from
    comment_counts: dict[int, int]
    writers: list[User]  # who may own an action here (only read for someone who may write)
    goals: dict[int, list[Goal]]  # per row's ambition, the goals an action may take
    # the college and council meetings the cards are tied to, with their municipality
    meetings: dict[int, MeetingInfo] = field(default_factory=dict)
    # the meetings an action may be tied to: from the sprint's start on, and those tied already
    meeting_choices: list[MeetingInfo] = field(default_factory=list)


def board_page(session: Session, *, team: Team, sprint: Sprint, with_choices: bool) -> BoardPage:
    """A team's board for one sprint with what its cards and forms refer to; the choices of
    the forms (owners, goals) only when someone may write on it."""
    assert team.id is not None and sprint.id is not None
    found = board(session, team=team, sprint=sprint)
    actions = [action for _status, cards in found.columns for action in cards]
    escalations = found.escalations
    ambitions = lane_ambitions(
        session, referenced={a.ambition_id for a in actions if a.ambition_id is not None}
    )
    return BoardPage(
        board=found,
        names=user_names(
            session, [a.owner_id for a in actions] + [e.raised_by_id for e in escalations]
        ),
        ambitions=ambitions,
        neighbours=neighbour_sprints(session, sprint),
        teams=teams_named(
            session,
            [team.parent_id, *(e.from_team_id for e in escalations)]
            + [e.to_team_id for e in escalations],
        ),
        titles=action_titles(
            session, sorted({e.action_id for e in escalations if e.action_id is not None})
        ),
        comment_counts=board_comment_counts(session, team_id=team.id, sprint_id=sprint.id),
        writers=board_writers(session, team_id=team.id) if with_choices else [],
        goals=open_goals(
            session,
            ambition_ids=[a.id for a in ambitions if a.id is not None],
            team_id=team.id,
            including={a.goal_id for a in actions if a.goal_id is not None},
        )
        if with_choices
        else {},
        meetings=meetings_named(session, {a.meeting_id for a in actions if a.meeting_id}),
        meeting_choices=upcoming(
            session,
            today=sprint.start_date,
            including={a.meeting_id for a in actions if a.meeting_id},
        )
        if with_choices
        else [],
    )
