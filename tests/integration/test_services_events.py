"""Live events: published after a commit, never for a change that was rolled back."""

import asyncio

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app import events
from app.db import write_session
from app.events import ChangeEvent, queue_after_commit
from app.models import ActionStatus
from app.services.errors import Invalid
from tests.integration.service_helpers import edit, new_action
from tests.support.builders import World


class RecordingBroker:
    def __init__(self) -> None:
        self.published: list[ChangeEvent] = []

    def publish(self, change: ChangeEvent) -> None:
        self.published.append(change)


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> RecordingBroker:
    recording = RecordingBroker()
    monkeypatch.setattr(events, "broker", recording)
    return recording


def change(number: int) -> ChangeEvent:
    return ChangeEvent(id=number, type="action.updated", entity_id=12, team_id=3, version=4)


def test_a_queued_event_is_published_only_when_the_session_commits(
    session: Session, broker: RecordingBroker
):
    queue_after_commit(session, change(1))
    assert broker.published == []
    session.commit()
    assert broker.published == [change(1)]
    session.commit()
    assert broker.published == [change(1)]  # once


def test_a_rolled_back_event_is_never_published_not_even_by_a_later_commit(
    session: Session, broker: RecordingBroker
):
    session.connection()  # services queue their events inside the transaction they write in
    queue_after_commit(session, change(1))
    session.rollback()
    queue_after_commit(session, change(2))
    session.commit()
    assert broker.published == [change(2)]


def test_a_service_call_publishes_one_event_per_history_row_after_its_commit(
    world: World, session: Session, broker: RecordingBroker
):
    action = new_action(session, world)
    edit(session, world, action, status=ActionStatus.doing)
    assert [(c.type, c.entity_id, c.team_id, c.version) for c in broker.published] == [
        ("action.created", action.id, world.team.id, 1),
        ("action.updated", action.id, world.team.id, 2),
    ]
    assert broker.published[1].payload() == {
        "type": "action.updated",
        "id": action.id,
        "team_id": world.team.id,
        "version": 2,
    }


def test_a_refused_service_call_publishes_nothing(
    world: World, session: Session, broker: RecordingBroker
):
    action = new_action(session, world)
    broker.published.clear()
    with pytest.raises(Invalid), write_session(world.engine) as other:
        edit(other, world, action, status=ActionStatus.blocked)
    assert broker.published == []


def test_a_service_call_whose_commit_fails_publishes_nothing(
    world: World, session: Session, broker: RecordingBroker
):
    action = new_action(session, world)
    broker.published.clear()

    def disk_full(_session: Session) -> None:
        raise RuntimeError("de schijf is vol")

    with pytest.raises(RuntimeError), write_session(world.engine) as other:
        event.listen(other, "before_commit", disk_full)
        edit(other, world, action, title="Nooit opgeslagen")
    assert broker.published == []
    # and the next change on a healthy session is published on its own
    edit(session, world, action, title="Wel opgeslagen")
    assert [c.version for c in broker.published] == [2]


def test_a_subscriber_of_a_team_hears_that_teams_changes_and_nothing_else(
    world: World, session: Session
):
    async def listen() -> tuple[ChangeEvent, bool, ChangeEvent]:
        mine = events.broker.subscribe(team_id=world.team.id)
        theirs = events.broker.subscribe(team_id=world.other_team.id)
        everything = events.broker.subscribe()
        try:
            action = new_action(session, world)
            heard = await asyncio.wait_for(mine.queue.get(), timeout=2)
            seen_all = await asyncio.wait_for(everything.queue.get(), timeout=2)
            await asyncio.sleep(0)
            assert heard.entity_id == action.id
            return heard, theirs.queue.empty(), seen_all
        finally:
            for subscription in (mine, theirs, everything):
                subscription.close()

    heard, others_heard_nothing, seen_all = asyncio.run(listen())
    assert (heard.type, heard.team_id, heard.version) == ("action.created", world.team.id, 1)
    assert others_heard_nothing
    assert seen_all == heard


def test_a_subscriber_hears_nothing_of_a_rolled_back_change(world: World, session: Session):
    action = new_action(session, world)

    async def listen() -> bool:
        subscription = events.broker.subscribe(team_id=world.team.id)
        try:
            with pytest.raises(Invalid), write_session(world.engine) as other:
                edit(other, world, action, status=ActionStatus.blocked)
            await asyncio.sleep(0.05)
            return subscription.queue.empty()
        finally:
            subscription.close()

    assert asyncio.run(listen())
