"""Reading stand-up records: a team of teams' list, one record whole, and what the form offers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import (
    Action,
    Escalation,
    EscalationStatus,
    Location,
    StandupAttendee,
    StandupDecision,
    StandupRecord,
    StandupTurn,
    Team,
    User,
)
from app.queries.org import board_members


@dataclass(frozen=True)
class Attendee:
    user_id: int
    name: str
    location_id: int | None
    location: str | None


@dataclass(frozen=True)
class Turn:
    team_id: int
    team: str
    position: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    id: int
    text: str
    action_id: int | None
    action_title: str | None
    action_team_id: int | None
    owner: str | None
    escalation_id: int | None
    escalation_note: str | None
    escalation_team: str | None


@dataclass
class StandupDetails:
    record: StandupRecord
    attendees: list[Attendee] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def total_seconds(self) -> int:
        return sum(turn.seconds for turn in self.turns)


@dataclass(frozen=True)
class Office:
    """The attendees of one office (a location; None: no office known)."""

    location: str | None
    attendees: list[Attendee]


def by_office(attendees: Sequence[Attendee]) -> list[Office]:
    """Attendees grouped per office, offices by name (those without one last), names sorted."""
    groups: dict[str | None, list[Attendee]] = defaultdict(list)
    for attendee in attendees:
        groups[attendee.location].append(attendee)
    keys = sorted(groups, key=lambda name: (name is None, (name or "").casefold()))
    return [
        Office(key, sorted(groups[key], key=lambda a: (a.name.casefold(), a.user_id)))
        for key in keys
    ]


def records_statement(team_id: int) -> SelectOfScalar[StandupRecord]:
    """A team of teams' stand-ups, latest first."""
    return (
        select(StandupRecord)
        .where(StandupRecord.team_id == team_id)
        .order_by(col(StandupRecord.held_on).desc(), col(StandupRecord.id).desc())
    )


def records_of(session: Session, *, team_id: int, limit: int = 100) -> list[StandupRecord]:
    return list(session.exec(records_statement(team_id).limit(limit)).all())


def details(session: Session, records: Sequence[StandupRecord]) -> list[StandupDetails]:
    """The records with their attendees, turns and decisions, in four queries whatever their
    number."""
    ids = sorted(record.id for record in records if record.id is not None)
    found = {record.id: StandupDetails(record) for record in records}
    if not ids:
        return list(found.values())
    attendees = session.exec(
        select(StandupAttendee, User, Location)
        .join(User, col(User.id) == StandupAttendee.user_id)
        .outerjoin(Location, col(Location.id) == StandupAttendee.location_id)
        .where(col(StandupAttendee.standup_id).in_(ids))
        .order_by(col(User.name), col(User.id))
    )
    for attendee, user, location in attendees:
        assert user.id is not None
        found[attendee.standup_id].attendees.append(
            Attendee(
                user_id=user.id,
                name=user.name,
                location_id=attendee.location_id,
                location=location.name if location is not None else None,
            )
        )
    turns = session.exec(
        select(StandupTurn, Team)
        .join(Team, col(Team.id) == StandupTurn.team_id)
        .where(col(StandupTurn.standup_id).in_(ids))
        .order_by(col(StandupTurn.position), col(Team.name))
    )
    for turn, team in turns:
        found[turn.standup_id].turns.append(
            Turn(team_id=turn.team_id, team=team.name, position=turn.position, seconds=turn.seconds)
        )
    decisions = session.execute(
        sa_select(StandupDecision, Action, User, Escalation, Team)
        .outerjoin(Action, col(Action.id) == StandupDecision.action_id)
        .outerjoin(User, col(User.id) == Action.owner_id)
        .outerjoin(Escalation, col(Escalation.id) == StandupDecision.escalation_id)
        .outerjoin(Team, col(Team.id) == Escalation.from_team_id)
        .where(col(StandupDecision.standup_id).in_(ids))
        .order_by(col(StandupDecision.id))
    )
    for decision, action, owner, escalation, from_team in decisions:
        assert decision.id is not None
        found[decision.standup_id].decisions.append(
            Decision(
                id=decision.id,
                text=decision.text,
                action_id=decision.action_id,
                action_title=action.title if action is not None else None,
                action_team_id=action.team_id if action is not None else None,
                owner=owner.name if owner is not None else None,
                escalation_id=decision.escalation_id,
                escalation_note=escalation.note if escalation is not None else None,
                escalation_team=from_team.name if from_team is not None else None,
            )
        )
    return [found[record.id] for record in records]


def candidates(session: Session, *, team_id: int) -> list[Attendee]:
    """Who may be ticked as attending: the team of teams' board members (its own members and
    the representatives and deputies of its teams), active, with their office."""
    rows = session.exec(
        select(User, Location)
        .outerjoin(Location, col(Location.id) == User.location_id)
        .where(col(User.id).in_(board_members(team_id)), col(User.is_active).is_(True))
        .order_by(col(User.name), col(User.id))
    )
    return [
        Attendee(
            user_id=user.id,  # type: ignore[arg-type]
            name=user.name,
            location_id=user.location_id,
            location=location.name if location is not None else None,
        )
        for user, location in rows
    ]


@dataclass(frozen=True)
class OpenEscalation:
    id: int
    note: str
    from_team: str
    action_title: str | None


def open_escalations(session: Session, *, team_id: int) -> list[OpenEscalation]:
    """The open knelpunten sent to this team of teams, oldest first: what a decision may
    answer."""
    rows = session.exec(
        select(Escalation, Team, Action)
        .join(Team, col(Team.id) == Escalation.from_team_id)
        .outerjoin(Action, col(Action.id) == Escalation.action_id)
        .where(Escalation.to_team_id == team_id, Escalation.status == EscalationStatus.open)
        .order_by(col(Escalation.created_at), col(Escalation.id))
    )
    return [
        OpenEscalation(
            id=escalation.id,  # type: ignore[arg-type]
            note=escalation.note,
            from_team=team.name,
            action_title=action.title if action is not None else None,
        )
        for escalation, team, action in rows
    ]


def answered_on(session: Session, *, team_id: int, day: date) -> list[Escalation]:
    """The knelpunten this team of teams answered on that day (UTC) outside a stand-up record,
    e.g. on the stand-up's own screen, that no record holds yet: they belong to that day's
    record."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    recorded = select(StandupDecision.escalation_id).where(
        col(StandupDecision.escalation_id).is_not(None)
    )
    return list(
        session.exec(
            select(Escalation)
            .where(
                Escalation.to_team_id == team_id,
                Escalation.status == EscalationStatus.resolved,
                col(Escalation.resolved_at) >= start,
                col(Escalation.resolved_at) < start + timedelta(days=1),
                col(Escalation.id).not_in(recorded),
            )
            .order_by(col(Escalation.resolved_at), col(Escalation.id))
        ).all()
    )
