"""Counting SQL statements, and an organisation that grows by bulk inserts.

    with counting_statements(engine) as statements:   # every statement sent while inside
        ...
    statements_for(client, engine, url)                # statements of one GET (after a warm one)

    grown = Growth(world)          # adds a fixed set of things once (ambition, escalation, ...)
    grown.to(10)                   # then about 10 of every kind of listed thing,
    grown.to(500)                  # then about 500: cards, comments, history, escalations, ...

A page or an API list that answers with as many statements after `to(500)` as after `to(10)`
has no N+1: what it costs grows with rows read, not with round trips. The rows are inserted with
Core `insert(...)` (executemany), not through the services, so 500 of everything takes well
under a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, event, insert, select
from sqlmodel import Session, SQLModel

from app import clock
from app.config import get_settings
from app.db import create_db_engine, writer
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionTeam,
    AuditEvent,
    Comment,
    Escalation,
    EscalationStatus,
    EscalationStepRecord,
    Evaluation,
    Goal,
    Indicator,
    Location,
    Measurement,
    Meeting,
    Membership,
    Role,
    Sprint,
    StandupAttendee,
    StandupDecision,
    StandupRecord,
    StandupTurn,
    Team,
    User,
)
from tests.support.builders import World


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent through `engine` while inside (one per execute, an
    executemany counts once)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(
    client: httpx.Client, engine: Engine, url: str, *, headers: dict[str, str] | None = None
) -> int:
    """How many statements one GET of `url` sends. A first GET goes before, uncounted: a first
    visit may write (the session's last use, the current sprint)."""
    assert client.get(url, headers=headers).status_code == 200, url
    with counting_statements(engine) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return len(statements)


NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
STATUSES = [ActionStatus.todo, ActionStatus.doing, ActionStatus.done, ActionStatus.blocked]


def _row(model: type[SQLModel], **fields: Any) -> dict[str, Any]:
    """All columns of a new row, defaults filled in as the model would, without the id."""
    row = model(**fields).model_dump()
    row.pop("id", None)
    return row


def _insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), rows)  # type: ignore[call-overload]


def _new_ids(session: Session, model: Any, after: int) -> list[int]:
    return list(session.scalars(select(model.id).where(model.id > after).order_by(model.id)))


def _last_id(session: Session, model: Any) -> int:
    return max(session.scalars(select(model.id)), default=0)


@dataclass
class Growth:
    """The builder's world, grown in place. The focus rows (one of each) are what single pages
    show: the action page, the ambition page, the knelpunt page, a stand-up record."""

    world: World
    size: int = 0
    location_id: int = 0
    ambition_id: int = 0
    goal_id: int = 0
    indicator_id: int = 0
    action_id: int = 0
    escalation_id: int = 0
    standup_id: int = 0
    meeting_id: int = 0
    past_sprint_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    team_ids: list[int] = field(default_factory=list)

    @property
    def engine(self) -> Engine:
        return self.world.engine

    def to(self, size: int) -> Growth:
        """About `size` of every listed kind of thing (cards, comments, history, people, ...)."""
        with Session(writer(self.engine)) as session:
            if not self.size:
                self._base(session)
            self._grow(session, self.size, size)
            session.commit()
        self.size = size
        return self

    # -- once ---------------------------------------------------------------------------------
    def _base(self, session: Session) -> None:
        w = self.world
        team, top, sprint = w.team.id, w.team_of_teams.id, w.sprint
        admin, member = w.ids["admin"], w.ids["member"]
        assert team is not None and top is not None and sprint.id is not None
        session.add(location := Location(name="Utrechtse Heuvelrug"))
        session.add(ambition := Ambition(title="Zorg dichtbij", owner_team_id=top))
        session.flush()
        assert location.id is not None and ambition.id is not None
        self.location_id, self.ambition_id = location.id, ambition.id
        session.add(AmbitionTeam(ambition_id=ambition.id, team_id=team))
        session.add(meeting := Meeting(location_id=location.id, held_on=w.today + timedelta(20)))
        session.add(goal := Goal(ambition_id=ambition.id, title="Eerste doel", team_id=team))
        session.add(
            indicator := Indicator(
                ambition_id=ambition.id, name="Wachttijd", unit="dagen", target=5
            )
        )
        session.flush()
        assert meeting.id and goal.id and indicator.id
        self.meeting_id, self.goal_id, self.indicator_id = meeting.id, goal.id, indicator.id
        action = Action(
            title="Woning zoeken met de wijkteams",
            team_id=team,
            owner_id=member,
            sprint_id=sprint.id,
            ambition_id=ambition.id,
            goal_id=goal.id,
            status=ActionStatus.blocked,
            blocked_reason="Wacht op het besluit",
            due_date=w.today + timedelta(3),
            created_by_id=member,
            meeting_id=meeting.id,
        )
        session.add(action)
        session.flush()
        assert action.id is not None
        self.action_id = action.id
        escalation = Escalation(
            action_id=action.id,
            from_team_id=team,
            to_team_id=top,
            note="We hebben een besluit nodig",
            raised_by_id=member,
            owner_id=w.ids["representative"],
            needed_by=w.today + timedelta(5),
        )
        session.add(escalation)
        session.add(Evaluation(team_id=team, sprint_id=sprint.id, goes_well="Goed", highlights="a"))
        session.add(
            standup := StandupRecord(team_id=top, held_on=w.today, notes="", created_by_id=admin)
        )
        session.flush()
        assert escalation.id is not None and standup.id is not None
        self.escalation_id, self.standup_id = escalation.id, standup.id
        session.add(
            EscalationStepRecord(
                escalation_id=escalation.id, kind="raised", team_id=top, actor_id=member
            )
        )
        # one closed sprint before the current one, with work in it
        self._past_sprints(session, 1)

    def _past_sprints(self, session: Session, count: int) -> None:
        current = self.world.sprint
        for _ in range(count):
            back = 14 * (len(self.past_sprint_ids) + 1)
            start = current.start_date - timedelta(back)
            sprint = Sprint(
                start_date=start, end_date=start + timedelta(13), closed_at=NOW - timedelta(back)
            )
            session.add(sprint)
            session.flush()
            assert sprint.id is not None
            self.past_sprint_ids.append(sprint.id)

    # -- per size -----------------------------------------------------------------------------
    def _grow(self, session: Session, old: int, new: int) -> None:
        w = self.world
        team, other, top = w.team.id, w.other_team.id, w.team_of_teams.id
        assert team is not None and other is not None and top is not None
        owners = [w.ids["member"], w.ids["lead"], w.ids["representative"]]
        extra = range(old, new)

        # past sprints (one per 50), people in the team (one per 5), child teams (one per 25)
        self._past_sprints(session, new // 50 - old // 50)
        before = _last_id(session, User)
        _insert(
            session,
            User,
            [
                _row(
                    User,
                    name=f"Collega {n}",
                    email=f"collega{n}@example.org",
                    location_id=self.location_id,
                )
                for n in range(old // 5, new // 5)
            ],
        )
        users = _new_ids(session, User, before)
        self.user_ids += users
        _insert(
            session,
            Membership,
            [_row(Membership, team_id=team, user_id=user, role=Role.member) for user in users],
        )
        before = _last_id(session, Team)
        _insert(
            session,
            Team,
            [_row(Team, name=f"Buurtteam {n}", parent_id=top) for n in range(old // 25, new // 25)],
        )
        teams = _new_ids(session, Team, before)
        self.team_ids += teams
        _insert(
            session,
            Membership,
            [
                _row(Membership, team_id=child, user_id=owners[0], role=Role.member)
                for child in teams
            ],
        )

        # ambitions (one per 25) with a goal, an indicator and the team; goals of the focus one
        before = _last_id(session, Ambition)
        _insert(
            session,
            Ambition,
            [
                _row(Ambition, title=f"Ambitie {n}", owner_team_id=top)
                for n in range(old // 25, new // 25)
            ],
        )
        ambitions = _new_ids(session, Ambition, before)
        _insert(session, AmbitionTeam, [{"ambition_id": a, "team_id": team} for a in ambitions])
        _insert(
            session,
            Goal,
            [_row(Goal, ambition_id=a, title="Doel", team_id=team) for a in ambitions]
            + [
                _row(
                    Goal,
                    ambition_id=self.ambition_id,
                    title=f"Doel {n}",
                    team_id=team,
                    is_done=n % 2 == 0,
                )
                for n in range(old // 10, new // 10)
            ],
        )
        _insert(
            session,
            Indicator,
            [_row(Indicator, ambition_id=a, name="Tevredenheid", target=8) for a in ambitions],
        )
        _insert(
            session,
            Measurement,
            [
                _row(
                    Measurement,
                    indicator_id=self.indicator_id,
                    value=n % 9,
                    measured_on=w.today - timedelta(n),
                )
                for n in range(old // 2, new // 2)
            ],
        )

        # cards: in the team's current sprint, the sibling team's and the closed sprints
        sprint = w.sprint.id
        assert sprint is not None
        rows = []
        for n in extra:
            status = STATUSES[n % 4]
            rows.append(
                _row(
                    Action,
                    title=f"Woning {n}",
                    description="Met de wijkteams" if n % 3 else "",
                    team_id=team,
                    owner_id=owners[n % 3] if n % 7 else (users or self.user_ids or owners)[0],
                    sprint_id=sprint,
                    ambition_id=self.ambition_id if n % 2 else next(iter(ambitions), None),
                    goal_id=self.goal_id if n % 4 == 1 else None,
                    status=status,
                    blocked_reason="Wacht" if status == ActionStatus.blocked else None,
                    due_date=w.today + timedelta(n % 20 - 10),
                    position=n,
                    carried_over=int(n % 3 == 0),
                    created_by_id=owners[n % 3],
                    meeting_id=self.meeting_id if n % 10 == 5 else None,
                    done_at=NOW if status == ActionStatus.done else None,
                )
            )
        for n in range(old // 5, new // 5):
            rows.append(
                _row(
                    Action,
                    title=f"Werk {n}",
                    team_id=other,
                    owner_id=w.ids["outsider"],
                    sprint_id=sprint,
                    status=STATUSES[n % 4],
                    blocked_reason="Wacht" if n % 4 == 3 else None,
                    ambition_id=self.ambition_id,
                )
            )
            for past in self.past_sprint_ids:
                rows.append(
                    _row(
                        Action,
                        title=f"Vroeger {n}",
                        team_id=team,
                        owner_id=owners[n % 3],
                        sprint_id=past,
                        status=STATUSES[n % 3],
                        ambition_id=self.ambition_id,
                        done_at=NOW - timedelta(30),
                    )
                )
        for child in teams:
            rows.append(
                _row(
                    Action,
                    title="Buurt",
                    team_id=child,
                    owner_id=owners[0],
                    sprint_id=sprint,
                    status=ActionStatus.blocked,
                    blocked_reason="Wacht",
                )
            )
        before = _last_id(session, Action)
        _insert(session, Action, rows)
        actions = _new_ids(session, Action, before)

        # history: a creation per new card, and changes of the focus action
        events = [
            _row(
                AuditEvent,
                occurred_at=NOW,
                actor_id=owners[0],
                entity="action",
                entity_id=a,
                verb="created",
                team_id=team,
                version=1,
                changes={"title": [None, "Woning"]},
            )
            for a in actions
        ]
        for n in extra:
            changes = [
                {"status": ["todo", "doing"]},
                {"owner_id": [owners[0], owners[1]]},
                {"title": ["Oud", "Nieuw"], "due_date": [None, "2026-12-01"]},
                {"ambition_id": [None, self.ambition_id]},
                {"blocked_reason": [None, "Wacht"], "status": ["doing", "blocked"]},
            ][n % 5]
            events.append(
                _row(
                    AuditEvent,
                    occurred_at=NOW + timedelta(minutes=n),
                    actor_id=owners[n % 3],
                    entity="action",
                    entity_id=self.action_id,
                    verb="updated",
                    team_id=team,
                    version=n + 2,
                    changes=changes,
                )
            )
        _insert(session, AuditEvent, events)

        # comments on the focus action (and one on every new card)
        _insert(
            session,
            Comment,
            [
                _row(
                    Comment,
                    action_id=self.action_id,
                    author_id=owners[n % 3],
                    body=f"Reactie {n}",
                    created_at=NOW + timedelta(minutes=n),
                )
                for n in extra
            ]
            + [_row(Comment, action_id=a, author_id=owners[0], body="Goed") for a in actions[:50]],
        )

        # escalations (one per 5) from the team and the children to the team of teams
        before = _last_id(session, Escalation)
        raised = []
        for n in range(old // 5, new // 5):
            answered = n % 3 == 2
            raised.append(
                _row(
                    Escalation,
                    action_id=actions[n % len(actions)] if actions else None,
                    from_team_id=team if n % 2 else (teams or self.team_ids or [team])[0],
                    to_team_id=top,
                    note=f"Knelpunt {n}",
                    status=EscalationStatus.resolved if answered else EscalationStatus.open,
                    owner_id=owners[2] if n % 2 else None,
                    needed_by=w.today + timedelta(n % 10),
                    resolution="Besloten" if answered else None,
                    raised_by_id=owners[n % 3],
                    resolved_by_id=w.ids["admin"] if answered else None,
                    resolved_at=NOW if answered else None,
                    type=["help", "decision", "capacity"][n % 3],
                )
            )
        _insert(session, Escalation, raised)
        escalations = _new_ids(session, Escalation, before)
        _insert(
            session,
            EscalationStepRecord,
            [
                _row(
                    EscalationStepRecord,
                    escalation_id=e,
                    kind="raised",
                    team_id=top,
                    actor_id=owners[0],
                )
                for e in escalations
            ]
            + [
                _row(
                    EscalationStepRecord,
                    escalation_id=self.escalation_id,
                    kind="forwarded",
                    team_id=top,
                    actor_id=owners[2],
                    note=f"Verder {n}",
                )
                for n in range(old // 25, new // 25)
            ],
        )

        # stand-up records (one per 25) of the team of teams, and evaluations of closed sprints
        before = _last_id(session, StandupRecord)
        _insert(
            session,
            StandupRecord,
            [
                _row(
                    StandupRecord,
                    team_id=top,
                    held_on=w.today - timedelta(n + 1),
                    created_by_id=w.ids["admin"],
                )
                for n in range(old // 25, new // 25)
            ],
        )
        standups = [self.standup_id] if not old else []
        standups += _new_ids(session, StandupRecord, before)
        _insert(
            session,
            StandupAttendee,
            [
                {"standup_id": s, "user_id": u, "location_id": self.location_id}
                for s in standups
                for u in owners
            ]
            + [
                {"standup_id": self.standup_id, "user_id": u, "location_id": self.location_id}
                for u in users
            ],
        )
        _insert(
            session,
            StandupTurn,
            [
                {"standup_id": s, "team_id": t, "position": i, "seconds": 60}
                for s in standups
                for i, t in enumerate([team, other])
            ]
            + [
                {"standup_id": self.standup_id, "team_id": t, "position": 9, "seconds": 30}
                for t in teams
            ],
        )
        _insert(
            session,
            StandupDecision,
            [
                _row(
                    StandupDecision,
                    standup_id=self.standup_id,
                    text=f"Besluit {n}",
                    escalation_id=escalations[n % len(escalations)] if escalations else None,
                    action_id=actions[n % len(actions)] if actions else None,
                )
                for n in range(old // 10, new // 10)
            ]
            + [_row(StandupDecision, standup_id=s, text="Besluit") for s in standups],
        )
        done = {row[0] for row in session.execute(select(Evaluation.sprint_id))}
        _insert(
            session,
            Evaluation,
            [
                _row(
                    Evaluation,
                    team_id=team,
                    sprint_id=s,
                    goes_well="Goed",
                    highlights="Gevierd\nNog een",
                )
                for s in self.past_sprint_ids
                if s not in done
            ],
        )
        _insert(
            session,
            Meeting,
            [
                _row(
                    Meeting,
                    location_id=self.location_id,
                    held_on=w.today + timedelta(n + 1),
                    title=f"Raad {n}",
                    body="council" if n % 2 else "college",
                )
                for n in range(old // 10, new // 10)
            ],
        )


@contextmanager
def site_on_copy(templates: Any, folder: Path) -> Iterator[tuple[World, FastAPI]]:
    """The builder's world (copied from the session's template) and the app on it, for a whole
    module: the tests of one module share one grown database and count against it. `templates`
    is the session's `_templates` fixture (tests/conftest.py)."""
    from tests.conftest import TODAY, _copy, _load_world, _no_fsync
    from tests.support.clients import create_test_app  # the whole app: only where it is used

    with pytest.MonkeyPatch.context() as env:
        env.setenv("VERBETERBORD_DATA_DIR", str(folder))
        env.setenv("VERBETERBORD_SECRET_KEY", "test-secret-key")
        env.delenv("VERBETERBORD_DATABASE_URL", raising=False)
        env.setattr(clock, "today", lambda: TODAY)
        get_settings.cache_clear()
        settings = get_settings()
        _copy(templates.world, settings.data_dir / "verbeterbord.db")
        engine = create_db_engine(settings)
        event.listen(engine, "connect", _no_fsync)
        try:
            yield _load_world(engine, templates.world_ids), create_test_app(settings, engine)
        finally:
            engine.dispose()
            get_settings.cache_clear()


@dataclass
class Counted:
    url: str
    few: int | None = None
    many: int | None = None
    problem: str = ""

    def check(self) -> None:
        print(f"{self.few} / {self.many} statements: {self.url}")  # shown with -s
        assert not self.problem, self.problem
        assert self.few == self.many, f"{self.url}: {self.few} for 10, {self.many} for 500"


def count_twice(
    grown: Growth,
    urls: dict[str, str],
    clients: dict[str, httpx.Client],
    who: dict[str, str],
    headers: dict[str, dict[str, str]] | None = None,
) -> dict[str, Counted]:
    """Each url's statements with about 10 of everything, then with about 500. `who[key]`
    names the client (and the headers) a url is asked with."""
    counted = {key: Counted(url) for key, url in urls.items()}

    def count_all(attribute: str) -> None:
        for key, url in urls.items():
            if counted[key].problem:
                continue
            try:
                number = statements_for(
                    clients[who[key]], grown.engine, url, headers=(headers or {}).get(who[key])
                )
            except AssertionError as problem:
                counted[key].problem = str(problem)
            else:
                setattr(counted[key], attribute, number)

    count_all("few")
    grown.to(500)
    count_all("many")
    return counted
