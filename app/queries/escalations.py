"""Read models for knelpunten: what a board shows of them (lying here, passed on from here,
raised here, answers not yet read) and one knelpunt's page with its timeline. Each in a fixed
number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import CompoundSelect, or_, union
from sqlmodel import Session, col, select

from app.domain import escalations as rules
from app.models import (
    Action,
    Escalation,
    EscalationStatus,
    EscalationStep,
    EscalationStepRecord,
    Team,
    User,
)
from app.queries.boards import board_writers
from app.queries.common import teams_named, user_names


def steps_of(session: Session, escalation_id: int) -> list[EscalationStepRecord]:
    """Its timeline, oldest first."""
    return list(
        session.exec(
            select(EscalationStepRecord)
            .where(EscalationStepRecord.escalation_id == escalation_id)
            .order_by(col(EscalationStepRecord.id))
        ).all()
    )


@dataclass
class Step:
    record: EscalationStepRecord
    actor: str
    team: Team | None


@dataclass
class Knelpunt:
    """One knelpunt as a board or its page shows it."""

    escalation: Escalation
    action_title: str
    action_team_id: int | None
    from_team: Team | None
    to_team: Team | None
    raised_by: str
    owner: str | None  # None: nobody chosen yet
    answered_by: str | None
    days_waited: int  # since it was raised (until answered)
    arrived_at: datetime  # when it reached the team of teams it lies with
    days_here: int  # since it arrived there
    path: list[int]  # the teams of teams it lay with, in order
    steps: list[Step] = field(default_factory=list)
    # answered with its step on the timeline: answers from before the loop had steps are not
    # brought back to the team to read
    answered_in_loop: bool = False

    @property
    def id(self) -> int:
        assert self.escalation.id is not None
        return self.escalation.id

    @property
    def is_open(self) -> bool:
        return self.escalation.status == EscalationStatus.open

    @property
    def awaits_reading(self) -> bool:
        return self.answered_in_loop and rules.awaits_reading(
            status=EscalationStatus(self.escalation.status),
            acknowledged=self.escalation.acknowledged_at is not None,
        )

    @property
    def was_forwarded(self) -> bool:
        return len(self.path) > 1

    def passed(self, team_id: int) -> bool:
        """It lay with this team of teams and went further up from there."""
        return team_id in self.path and team_id != self.escalation.to_team_id


def _knelpunten(
    session: Session, escalations: list[Escalation], *, today: date, with_steps: bool = False
) -> list[Knelpunt]:
    """The escalations with what they refer to, in four more queries however many."""
    ids = [e.id for e in escalations if e.id is not None]
    records: dict[int, list[EscalationStepRecord]] = {i: [] for i in ids}
    if ids:
        for record in session.exec(
            select(EscalationStepRecord)
            .where(col(EscalationStepRecord.escalation_id).in_(ids))
            .order_by(col(EscalationStepRecord.id))
        ):
            records[record.escalation_id].append(record)
    people = [
        person
        for e in escalations
        for person in (e.raised_by_id, e.owner_id, e.resolved_by_id, e.acknowledged_by_id)
    ] + [r.actor_id for rs in records.values() for r in rs]
    names = user_names(session, people)
    teams = teams_named(
        session,
        [t for e in escalations for t in (e.from_team_id, e.to_team_id)]
        + [r.team_id for rs in records.values() for r in rs],
    )
    actions = {
        action_id: (title, team_id)
        for action_id, title, team_id in session.exec(
            select(Action.id, Action.title, Action.team_id).where(
                col(Action.id).in_(sorted({e.action_id for e in escalations if e.action_id}))
            )
        )
        if action_id is not None
    }
    gone = "verwijderde gebruiker"
    found: list[Knelpunt] = []
    for e in escalations:
        steps = records.get(e.id or 0, [])
        arrived = rules.arrived([(r.kind, r.created_at, r.team_id) for r in steps], e.to_team_id)
        arrived = arrived or e.created_at
        # an answered knelpunt waited until it was answered
        until = rules.day_of(e.resolved_at) if e.resolved_at else today
        title, action_team = actions.get(e.action_id or 0, ("", None))
        found.append(
            Knelpunt(
                escalation=e,
                action_title=title,
                action_team_id=action_team,
                from_team=teams.get(e.from_team_id),
                to_team=teams.get(e.to_team_id),
                raised_by=names.get(e.raised_by_id, gone),
                owner=names.get(e.owner_id) if e.owner_id else None,
                answered_by=names.get(e.resolved_by_id) if e.resolved_by_id else None,
                days_waited=rules.days_waited(e.created_at, until),
                arrived_at=arrived,
                days_here=rules.days_waited(arrived, until),
                path=rules.path([(r.kind, r.team_id) for r in steps]) or [e.to_team_id],
                answered_in_loop=any(r.kind == EscalationStep.answered for r in steps),
                steps=[
                    Step(
                        r, names.get(r.actor_id, gone) if r.actor_id else gone, teams.get(r.team_id)
                    )
                    for r in steps
                ]
                if with_steps
                else [],
            )
        )
    return found


@dataclass
class BoardKnelpunten:
    """What one board shows of knelpunten."""

    here: list[Knelpunt]  # open, lying with this team of teams
    passed: list[Knelpunt]  # passed further up from here: open, or answered and not yet read
    raised: list[Knelpunt]  # raised by this team: open, or answered and not yet read
    owners: list[User]  # who may answer one lying here (only read for someone who may write)

    @property
    def answers(self) -> dict[int, Knelpunt]:
        """Per action of this team: the answer its team has not read yet."""
        return {
            k.escalation.action_id: k
            for k in self.raised
            if k.awaits_reading and k.escalation.action_id is not None
        }

    @property
    def any(self) -> bool:
        return bool(self.here or self.passed or self.raised)


def board_knelpunten(
    session: Session, *, team_id: int, today: date, with_owners: bool = False
) -> BoardKnelpunten:
    """The knelpunten a board shows, oldest first, in six queries at most.

    Each database reaches them through indexes (tests/integration/test_query_plans.py): the
    ids come from three searches (raised by the team, sent to it, passed through it) joined by
    UNION, not from one OR over them that PostgreSQL can only answer with a full scan; an
    answer is looked up per knelpunt by its id, not by listing every answered step."""
    still_shown = or_(
        col(Escalation.status) == EscalationStatus.open, col(Escalation.acknowledged_at).is_(None)
    )
    concerned: CompoundSelect[int | None] = union(
        select(Escalation.id).where(Escalation.from_team_id == team_id, still_shown),
        select(Escalation.id).where(Escalation.to_team_id == team_id, still_shown),
        select(EscalationStepRecord.escalation_id).where(EscalationStepRecord.team_id == team_id),
    )
    answered = (
        select(EscalationStepRecord.id)
        .where(
            EscalationStepRecord.escalation_id == Escalation.id,
            EscalationStepRecord.kind == EscalationStep.answered,
        )
        .exists()
    )
    escalations = list(
        session.exec(
            select(Escalation)
            .where(
                col(Escalation.id).in_(concerned),
                or_(
                    col(Escalation.status) == EscalationStatus.open,
                    col(Escalation.acknowledged_at).is_(None) & answered,
                ),
            )
            .order_by(col(Escalation.created_at), col(Escalation.id))
        ).all()
    )
    rows = _knelpunten(session, escalations, today=today)
    here = [k for k in rows if k.is_open and k.escalation.to_team_id == team_id]
    return BoardKnelpunten(
        here=here,
        passed=[
            k
            for k in rows
            if k.passed(team_id)
            and k.escalation.from_team_id != team_id
            and (k.is_open or k.awaits_reading)
        ],
        raised=[k for k in rows if k.escalation.from_team_id == team_id],
        owners=board_writers(session, team_id=team_id) if with_owners and here else [],
    )


@dataclass
class KnelpuntPage:
    knelpunt: Knelpunt
    parent: Team | None  # where it would go when passed further up
    owners: list[User]  # members of the team of teams it lies with, to choose from


def knelpunt_page(
    session: Session, *, escalation: Escalation, today: date, with_owners: bool
) -> KnelpuntPage:
    """One knelpunt with its timeline, in a fixed number of queries."""
    [knelpunt] = _knelpunten(session, [escalation], today=today, with_steps=True)
    here = knelpunt.to_team
    parent = session.get(Team, here.parent_id) if here and here.parent_id else None
    return KnelpuntPage(
        knelpunt=knelpunt,
        parent=parent,
        owners=board_writers(session, team_id=escalation.to_team_id) if with_owners else [],
    )


def action_knelpunten(session: Session, *, action_id: int, today: date) -> list[Knelpunt]:
    """The knelpunten raised from one action, newest first (for its detail)."""
    escalations = list(
        session.exec(
            select(Escalation)
            .where(Escalation.action_id == action_id)
            .order_by(col(Escalation.created_at).desc(), col(Escalation.id).desc())
        ).all()
    )
    return _knelpunten(session, escalations, today=today)
