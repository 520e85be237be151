"""Replay by Last-Event-ID when changes commit out of id order (app.notify).

On PostgreSQL an audit id is taken when the row is written, not when it commits: id 11 can
commit after 12. A stream sends changes in commit order (12, then 11), and a client that
reconnects with Last-Event-ID 12 must still get 11, which a replay of ``id > 12`` would miss."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import clock, notify
from app.api.events import missed_since
from app.config import Settings
from app.db import create_db_engine
from app.events import PENDING_KEY, ChangeEvent
from app.main import create_app
from app.migrate import migrate_to_head
from app.services import audit
from tests.concurrency.test_event_stream import EventStream
from tests.support.builders import World, build_world
from tests.support.server import serve_in_thread


def change(id: int, team_id: int | None = None, **details: Any) -> ChangeEvent:
    return ChangeEvent(
        id=id, type="action.updated", entity_id=1, team_id=team_id, version=2, details=details
    )


# --- the commit log and the notification's payload, without a database ----------------------
def test_the_commit_log_replays_what_committed_after_the_last_id_seen_in_commit_order() -> None:
    log = notify.CommitLog(size=5)
    for id, team in ((10, 1), (12, 1), (11, 2), (13, None), (14, 1)):
        log.append(change(id, team))

    assert [c.id for c in log.after(12, None, 100) or []] == [11, 13, 14]
    assert [c.id for c in log.after(12, 1, 100) or []] == [13, 14]  # team 1 and no team
    assert [c.id for c in log.after(12, None, 2) or []] == [11, 13]
    assert log.after(14, None, 100) == []
    assert log.after(9, None, 100) is None  # unknown here: the caller replays by id

    log.append(change(15))
    assert log.after(10, None, 100) is None  # dropped out of the log


def test_a_notification_carries_the_whole_change_or_only_its_id_when_that_is_too_long() -> None:
    small = change(7, 3, owner_ids=[4], statuses=["doing"], ambition_ids=[0])
    decoded = notify.decode(notify.encode(small), lambda _id: None)
    assert decoded == small
    assert decoded is not None and decoded.details == small.details

    big = change(8, 3, action_ids=list(range(3000)))
    payload = notify.encode(big)
    assert len(payload) < 100
    assert notify.decode(payload, lambda id: change(id, 3)) == change(8, 3)


def test_on_sqlite_a_change_is_published_in_process_after_the_commit(
    sqlite_engine: Engine,
) -> None:
    with Session(sqlite_engine) as session:
        event = audit.record(
            session, actor_id=None, entity="action", entity_id=1, verb="updated", changes={}
        )
        pending = session.info[PENDING_KEY]
        assert [c.id for c in pending] == [event.id]
        session.rollback()


# --- PostgreSQL: two transactions that commit out of id order -----------------------------
@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    migrate_to_head(postgres_url)
    engine = create_db_engine(Settings(), url=postgres_url)
    yield engine
    engine.dispose()


class _Server:
    """What EventStream needs of a server: a client for one of the world's users."""

    def __init__(self, url: str, world: World) -> None:
        self.url = url
        self.world = world

    def client(self, who: str, timeout: httpx.Timeout | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers=self.world.headers(who), timeout=timeout or 10.0
        )


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.01)


def in_log(id: int) -> Callable[[], bool]:
    return lambda: notify.commit_log.after(id, None, 1) is not None


def record(session: Session, team_id: int | None) -> int:
    event = audit.record(
        session,
        actor_id=None,
        entity="action",
        entity_id=1,
        verb="updated",
        changes={"title": ["a", "b"]},
        team_id=team_id,
    )
    assert event.id is not None
    return event.id


@pytest.mark.postgres
def test_a_change_that_commits_after_a_higher_id_is_streamed_and_replayed(
    pg_engine: Engine, settings: Settings
) -> None:
    world = build_world(pg_engine, today=clock.today())
    app = create_app(settings, engine=pg_engine)
    with serve_in_thread(app) as url:
        server = _Server(url, world)
        with EventStream(server, "member") as stream:  # type: ignore[arg-type]
            with Session(pg_engine) as slow, Session(pg_engine) as quick:
                eleven = record(slow, world.team.id)  # written first, committed last
                twelve = record(quick, world.team.id)
                quick.commit()
                wait_for(in_log(twelve))
                slow.commit()
            wait_for(in_log(eleven))
            live = [stream.next().id, stream.next().id]
        assert eleven < twelve
        assert live == [twelve, eleven]  # in commit order, each once

        # today's replay by id would miss eleven
        assert eleven not in {c.id for c in missed_since(pg_engine, twelve, None)}

        # a client that saw twelve last reconnects: it gets eleven, and nothing twice
        with EventStream(server, "member", last_event_id=twelve) as stream:  # type: ignore[arg-type]
            replayed = stream.next()
            assert stream.quiet(0.3) == []
        assert replayed.id == eleven
        assert replayed.data == {
            "type": "action.updated",
            "id": 1,
            "team_id": world.team.id,
            "version": None,
        }

        # and one that saw eleven last (the very last) gets nothing again
        with EventStream(server, "member", last_event_id=eleven) as stream:  # type: ignore[arg-type]
            assert stream.quiet(0.3) == []
