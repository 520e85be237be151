"""Read models for mentions and people: who can be named, "Voor mij", suggestions as you type,
and a colleague's page."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain.mentions import Names, name_key, suggestion_fits
from app.models import (
    Action,
    Comment,
    Escalation,
    Location,
    Membership,
    Mention,
    Role,
    Team,
    User,
)

SUGGESTIONS = 8


def active_people(session: Session) -> list[tuple[int, str]]:
    """Every active user's id and name, in one query (the names a mention can use)."""
    rows = session.exec(select(User.id, User.name).where(col(User.is_active).is_(True)))
    return [(user_id, name) for user_id, name in rows if user_id is not None]


@dataclass(frozen=True)
class Directory:
    """The active colleagues by name_key (a name two people share holds both), and the Names
    the domain matches a text against."""

    by_key: dict[str, list[int]]
    names: Names

    @classmethod
    def of(cls, people: Collection[tuple[int, str]]) -> Directory:
        by_key: dict[str, list[int]] = {}
        for user_id, name in sorted(people):
            by_key.setdefault(name_key(name), []).append(user_id)
        return cls(by_key=by_key, names=Names(name for _, name in people))


class LazyDirectory:
    """The directory for a page, read on first use only: a page whose texts hold no @ asks
    nothing of the database (the `mentions` template filter)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._directory: Directory | None = None

    def __call__(self) -> Directory:
        if self._directory is None:
            self._directory = Directory.of(active_people(self._session))
        return self._directory


# --- Voor mij -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MentionItem:
    """One mention of me, with what its line and link need."""

    mention: Mention
    author: str
    text: str  # the comment or the knelpunt's text it was made in
    action_title: str | None
    team_id: int | None  # the action's team (for the link to a comment)

    @property
    def url(self) -> str:
        mention = self.mention
        if mention.comment_id is not None and mention.action_id is not None:
            return f"/teams/{self.team_id}/acties/{mention.action_id}#reactie-{mention.comment_id}"
        return f"/knelpunten/{mention.escalation_id}"

    @property
    def in_comment(self) -> bool:
        return self.mention.comment_id is not None


def mentions_of(
    session: Session,
    *,
    user_id: int,
    seen: bool | None = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[MentionItem], int]:
    """A user's mentions, newest first (seen=False: not yet seen; None: all), and how many
    there are. Two queries."""
    wanted = [col(Mention.user_id) == user_id]
    if seen is not None:
        wanted.append(col(Mention.seen_at).is_not(None) if seen else col(Mention.seen_at).is_(None))
    total = session.exec(select(func.count()).select_from(Mention).where(*wanted)).one()
    author = User.__table__.alias("author")  # type: ignore[attr-defined]
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Mention,
            author.c.name,
            Comment.body,
            Escalation.note,
            Action.title,
            Action.team_id,
        )
        .join(author, author.c.id == Mention.author_id)
        .outerjoin(Comment, col(Comment.id) == Mention.comment_id)
        .outerjoin(Escalation, col(Escalation.id) == Mention.escalation_id)
        .outerjoin(Action, col(Action.id) == Mention.action_id)
        .where(*wanted)
        .order_by(col(Mention.created_at).desc(), col(Mention.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    items = [
        MentionItem(
            mention=mention,
            author=author_name,
            text=body if body is not None else (note or ""),
            action_title=title,
            team_id=team_id,
        )
        for mention, author_name, body, note, title, team_id in rows
    ]
    return items, total


# --- Suggestions --------------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    id: int
    name: str
    office: str | None
    in_my_teams: bool


def suggestions(
    session: Session, *, query: str, viewer_id: int, team_ids: Collection[int]
) -> list[Suggestion]:
    """Active colleagues whose name fits what was typed after the @ (the viewer left out), at
    most SUGGESTIONS: those in the viewer's teams first, then by name. Two queries; the fit is
    decided in Python, so case and accents compare the same on every database."""
    if not name_key(query):
        return []
    rows = session.exec(
        select(User.id, User.name, Location.name)
        .outerjoin(Location, col(Location.id) == User.location_id)
        .where(col(User.is_active).is_(True), User.id != viewer_id)
    ).all()
    fitting = [(i, name, office) for i, name, office in rows if suggestion_fits(name, query)]
    if not fitting:
        return []
    close: set[int] = set()
    if team_ids:
        close = set(
            session.exec(
                select(Membership.user_id).where(
                    col(Membership.team_id).in_(sorted(team_ids)),
                    col(Membership.user_id).in_([i for i, _, _ in fitting]),
                )
            ).all()
        )
    found = [
        Suggestion(id=i, name=name, office=office, in_my_teams=i in close)
        for i, name, office in fitting
        if i is not None
    ]
    found.sort(key=lambda s: (not s.in_my_teams, s.name.casefold(), s.id))
    return found[:SUGGESTIONS]


# --- A person's page ----------------------------------------------------------------------
@dataclass(frozen=True)
class PersonTeam:
    team: Team
    role: Role


@dataclass(frozen=True)
class Person:
    user: User
    office: str | None
    teams: list[PersonTeam]


def person(session: Session, *, user_id: int) -> Person | None:
    """A colleague: name, office and teams (by name). Two queries."""
    row = session.exec(
        select(User, Location.name)
        .outerjoin(Location, col(Location.id) == User.location_id)
        .where(User.id == user_id)
    ).first()
    if row is None:
        return None
    user, office = row
    teams = session.exec(
        select(Team, Membership.role)
        .join(Membership, col(Membership.team_id) == Team.id)
        .where(Membership.user_id == user_id)
        .order_by(func.lower(Team.name), col(Team.id))
    ).all()
    return Person(
        user=user,
        office=office,
        teams=[PersonTeam(team=team, role=Role(role)) for team, role in teams],
    )
