"""Rollover when several requests ask for today's sprint at once after a sprint's end, on SQLite
and on PostgreSQL: exactly one new sprint, every open action carried exactly once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from app.db import read_session, write_session, writer
from app.models import Action, ActionCreate, ActionStatus, AuditEvent, Sprint, TeamSprintClose
from app.services import actions, rhythm, sprints
from app.services.errors import Invalid
from tests.support.builders import World

THREADS = 8


def _open_actions(engine: Engine, world: World, count: int) -> list[int]:
    ids = []
    with write_session(engine) as session:
        for n in range(count):
            status = (ActionStatus.todo, ActionStatus.doing)[n % 2]
            action = actions.create_action(
                session=session,
                actor=world.access("member"),
                data=ActionCreate(title=f"Open {n}", team_id=world.team.id, status=status),
                today=world.today,
            )
            ids.append(action.id)
    return ids


def _together(work, n: int = THREADS) -> list:
    start = threading.Barrier(n)

    def run(_: int):
        start.wait(timeout=20)
        return work()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_requests_racing_after_the_end_make_one_sprint_and_carry_each_action_once(
    engine: Engine, world: World
):
    open_ids = _open_actions(engine, world, 5)
    later = world.sprint.end_date + timedelta(days=1)

    def first_request() -> int:
        with read_session(engine) as session:
            return sprints.current_sprint(session=session, engine=engine, today=later).id

    found = _together(first_request)

    assert len(set(found)) == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Sprint)).one() == 2
        new = session.get(Sprint, found[0])
        assert new.start_date == later
        assert session.get(Sprint, world.sprint.id).closed_at is not None
        for action in session.exec(select(Action).where(col(Action.id).in_(open_ids))):
            assert (action.sprint_id, action.carried_over, action.version) == (new.id, 1, 2)
        moves = session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "action", col(AuditEvent.entity_id).in_(open_ids))
        ).one()
        assert moves == 2 * len(open_ids)  # created, and carried once
        closings = session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "sprint", AuditEvent.verb == "updated")
        ).one()
        assert closings == 1


def test_a_team_closing_twice_at_once_closes_once(engine: Engine, world: World):
    open_ids = _open_actions(engine, world, 3)

    def close() -> str:
        with Session(writer(engine), expire_on_commit=False) as session:
            try:
                rhythm.close_team_sprint(
                    session=session,
                    actor=world.access("member"),
                    team_id=world.team.id,
                    sprint_id=world.sprint.id,
                    data=TeamSprintClose(),
                    today=world.today,
                )
            except Invalid as refused:
                session.rollback()
                return refused.errors["sprint_id"]
            return "closed"

    outcomes = _together(close, 4)

    assert sorted(outcomes) == sorted(["closed", *[rhythm.ALREADY_CLOSED] * 3])
    with Session(engine) as session:
        for action in session.exec(select(Action).where(col(Action.id).in_(open_ids))):
            assert action.carried_over == 1 and action.sprint_id != world.sprint.id


def test_requests_racing_on_an_empty_database_make_one_sprint(engine: Engine):
    today = date(2026, 11, 25)

    def first_request() -> int:
        with read_session(engine) as session:
            return sprints.current_sprint(session=session, engine=engine, today=today).id

    found = _together(first_request)

    assert len(set(found)) == 1
    with Session(engine) as session:
        only = session.exec(select(Sprint)).one()
        assert only.start_date <= today <= only.end_date
