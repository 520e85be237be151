"""Across teams (/overzicht): every blocked, late or escalated action of the organisation, with
filters and a search over titles and descriptions, in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, column, exists, false, func, or_, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.domain.due import is_overdue
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    Escalation,
    EscalationStatus,
    Location,
    Sprint,
    Team,
    User,
)

SHOWN = 200  # at most this many actions on the page; a narrower filter finds the rest
MAX_WORDS = 10  # a longer search is cut here: every word is one more condition in the index

# A word is a run of letters and digits: what both databases index. Taking only these words out
# of what someone typed makes the search safe to hand to FTS5 (quotes, AND, NEAR, * and column
# filters are its syntax) and means the same on both databases.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Filters:
    """What the page narrows the list to; None (or "") for no filter."""

    team_id: int | None = None
    owner_id: int | None = None
    ambition_id: int | None = None
    location_id: int | None = None  # the owner's home location (gemeente / vestiging)
    status: ActionStatus | None = None
    search: str = ""


@dataclass(frozen=True)
class OpenEscalation:
    escalation: Escalation
    to_team: Team


@dataclass(frozen=True)
class Concern:
    """One action that needs attention, with why: blocked, late, escalated (or several)."""

    action: Action
    team: Team
    owner: User
    location: Location | None
    ambition: Ambition | None
    is_blocked: bool
    is_overdue: bool
    escalations: list[OpenEscalation] = field(default_factory=list)


@dataclass(frozen=True)
class Overview:
    items: list[Concern]
    more: bool  # more than SHOWN actions matched


@dataclass(frozen=True)
class Choices:
    """What the filter lists offer."""

    teams: list[Team]
    owners: list[User]
    ambitions: list[Ambition]
    locations: list[Location]


def search_words(typed: str) -> list[str]:
    """The words of a search, as both databases see them (at most MAX_WORDS)."""
    return _WORD.findall(typed)[:MAX_WORDS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression in which every word is a quoted prefix: "woning"* finds
    "woningen". Quoted, a word is never read as FTS5 syntax; it holds no quote of its own."""
    return " ".join(f'"{word}"*' for word in words)


def _matches(session: Session, words: list[str]) -> ColumnElement[bool]:
    if not words:
        return false()
    if session.get_bind().dialect.name == "postgresql":
        # the GIN index ix_action_search is on exactly this expression (app/db.py)
        return text(  # type: ignore[return-value]
            "to_tsvector('dutch'::regconfig, (action.title || ' ') || action.description)"
            " @@ plainto_tsquery('dutch'::regconfig, :across_search)"
        ).bindparams(across_search=" ".join(words))
    # SQLite: the FTS5 table action_search holds the action's id as its rowid
    found = (
        text("SELECT rowid FROM action_search WHERE action_search MATCH :across_search")
        .bindparams(across_search=fts5_query(words))
        .columns(column("rowid", Integer))
    )
    return col(Action.id).in_(found)


def _needs_attention(sprint_id: int, today: date) -> ColumnElement[bool]:
    """Blocked or escalated in the current sprint, or late in any open sprint."""
    escalated = exists().where(
        col(Escalation.action_id) == col(Action.id),
        col(Escalation.status) == EscalationStatus.open,
    )
    late = and_(
        col(Action.status).not_in([ActionStatus.done, ActionStatus.dropped]),
        col(Action.due_date) < today,
        col(Sprint.closed_at).is_(None),
    )
    current = and_(
        col(Action.sprint_id) == sprint_id,
        or_(col(Action.status) == ActionStatus.blocked, escalated),
    )
    # Implied by the two above, and what lets both databases search the action table by sprint
    # (a handful of open sprints) instead of reading all history (tests/integration/
    # test_query_plans.py)
    in_open_sprint = col(Action.sprint_id).in_(
        select(Sprint.id).where(or_(col(Sprint.closed_at).is_(None), col(Sprint.id) == sprint_id))
    )
    return and_(in_open_sprint, or_(current, late))


def _filtered(session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[Any] = []
    if filters.team_id is not None:
        conditions.append(col(Action.team_id) == filters.team_id)
    if filters.owner_id is not None:
        conditions.append(col(Action.owner_id) == filters.owner_id)
    if filters.ambition_id is not None:
        conditions.append(col(Action.ambition_id) == filters.ambition_id)
    if filters.location_id is not None:
        conditions.append(col(User.location_id) == filters.location_id)
    if filters.status is not None:
        conditions.append(col(Action.status) == filters.status)
    if filters.search.strip():
        conditions.append(_matches(session, search_words(filters.search)))
    return conditions


def across_teams(
    session: Session, *, sprint_id: int, today: date, filters: Filters, shown: int = SHOWN
) -> Overview:
    """The actions that need attention across every team, late first by due date, then by team.
    Two queries: the actions with their team, owner, location and ambition; their open
    escalations."""
    # sqlmodel's select is typed for up to four entities; SQLAlchemy's takes five
    rows = (
        session.execute(
            sa_select(Action, Team, User, Location, Ambition)
            .join(Team, col(Team.id) == col(Action.team_id))
            .join(Sprint, col(Sprint.id) == col(Action.sprint_id))
            .join(User, col(User.id) == col(Action.owner_id))
            .outerjoin(Location, col(Location.id) == col(User.location_id))
            .outerjoin(Ambition, col(Ambition.id) == col(Action.ambition_id))
            .where(_needs_attention(sprint_id, today), *_filtered(session, filters))
            .order_by(
                col(Action.due_date).is_(None),
                col(Action.due_date),
                func.lower(col(Team.name)),
                col(Action.id),
            )
            .limit(shown + 1)
        )
        .tuples()
        .all()
    )
    escalations = _open_escalations(session, [action.id for action, *_ in rows[:shown]])
    items = [
        Concern(
            action=action,
            team=team,
            owner=owner,
            location=location,
            ambition=ambition,
            is_blocked=action.status == ActionStatus.blocked,
            is_overdue=is_overdue(status=action.status, due_date=action.due_date, today=today),
            escalations=escalations.get(action.id or 0, []),
        )
        for action, team, owner, location, ambition in rows[:shown]
    ]
    return Overview(items=items, more=len(rows) > shown)


def _open_escalations(
    session: Session, action_ids: list[int | None]
) -> dict[int, list[OpenEscalation]]:
    wanted = [i for i in action_ids if i is not None]
    if not wanted:
        return {}
    found: dict[int, list[OpenEscalation]] = {}
    for escalation, to_team in session.exec(
        select(Escalation, Team)
        .join(Team, col(Team.id) == col(Escalation.to_team_id))
        .where(
            col(Escalation.action_id).in_(wanted),
            col(Escalation.status) == EscalationStatus.open,
        )
        .order_by(col(Escalation.created_at), col(Escalation.id))
    ):
        assert escalation.action_id is not None
        found.setdefault(escalation.action_id, []).append(OpenEscalation(escalation, to_team))
    return found


def filter_choices(session: Session) -> Choices:
    """Every team, staff member, ambition and location, by name: four queries."""

    def by_name(model: Any, name: Any) -> list[Any]:
        return list(session.exec(select(model).order_by(func.lower(col(name)), col(model.id))))

    return Choices(
        teams=by_name(Team, Team.name),
        owners=by_name(User, User.name),
        ambitions=by_name(Ambition, Ambition.title),
        locations=by_name(Location, Location.name),
    )
