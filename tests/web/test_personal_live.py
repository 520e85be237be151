"""The live stream behind Mijn acties: one named event per change to one of my actions."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient

from app.events import ChangeEvent, broker
from app.web.personal import concerns, live_events


def change(
    owner_ids: list[int], *, type_: str = "action.updated", event_id: int = 1
) -> ChangeEvent:
    return ChangeEvent(
        id=event_id,
        type=type_,
        entity_id=40 + event_id,
        team_id=3,
        version=2,
        details={"owner_ids": owner_ids, "action_ids": [40 + event_id]},
    )


def test_a_change_concerns_me_when_i_own_or_owned_the_action():
    assert concerns(change([7]), 7)
    assert concerns(change([5, 7]), 7)  # handed over from 7 to 5: 7's list loses it
    assert not concerns(change([5]), 7)


def test_changes_to_other_things_than_actions_do_not_concern_me():
    assert not concerns(change([7], type_="escalation.created"), 7)
    assert not concerns(
        ChangeEvent(id=1, type="action.updated", entity_id=1, team_id=1, version=1), 7
    )


def test_the_stream_sends_a_named_event_only_for_my_actions_and_stops_on_disconnect():
    async def scenario() -> list[str]:
        disconnected = asyncio.Event()

        async def is_disconnected() -> bool:
            return disconnected.is_set()

        stream = live_events(is_disconnected, user_id=7, keepalive=5)
        sent = [await anext(stream)]  # the retry line; the subscription now exists
        broker.publish(change([5], event_id=1))
        broker.publish(change([7], event_id=2))
        sent.append(await asyncio.wait_for(anext(stream), 2))
        disconnected.set()
        broker.publish(change([7], event_id=3))
        sent.extend([chunk async for chunk in stream])
        return sent

    sent = asyncio.run(scenario())
    assert sent[0].startswith("retry:")
    assert sent[1] == "id: 2\nevent: mijn-acties\ndata: 42\n\n"
    assert all("data: 41" not in chunk for chunk in sent)


def test_the_stream_keeps_the_connection_alive_while_nothing_happens():
    async def scenario() -> str:
        async def never() -> bool:
            return False

        stream = live_events(never, user_id=7, keepalive=0.01)
        await anext(stream)
        chunk = await anext(stream)
        await stream.aclose()
        return chunk

    assert asyncio.run(scenario()) == ": keep-alive\n\n"


def test_the_stream_closes_its_subscription_when_it_ends():
    async def scenario() -> int:
        async def gone() -> bool:
            return True

        before = len(broker._subscriptions)
        async for _ in live_events(gone, user_id=7):
            pass
        return len(broker._subscriptions) - before

    assert asyncio.run(scenario()) == 0


def test_the_stream_needs_a_login(app_for_pages, world):
    response = TestClient(app_for_pages).get("/mijn-acties/live", follow_redirects=False)
    assert response.status_code == 303


def test_a_change_to_my_action_made_elsewhere_reaches_my_stream(world):
    from sqlmodel import Session

    from app.db import writer
    from app.models import ActionStatus
    from tests.integration.service_helpers import edit, new_action

    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = new_action(session, world, "member", title="Bellen")

    def lead_moves_it() -> None:
        with Session(writer(world.engine), expire_on_commit=False) as session:
            edit(session, world, action, "lead", status=ActionStatus.doing)

    async def scenario() -> str:
        async def never() -> bool:
            return False

        stream = live_events(never, user_id=world.ids["member"], keepalive=5)
        await anext(stream)
        await asyncio.to_thread(lead_moves_it)
        chunk = await asyncio.wait_for(anext(stream), 2)
        await stream.aclose()
        return chunk

    assert f"event: mijn-acties\ndata: {action.id}\n" in asyncio.run(scenario())


def test_a_reconnected_stream_asks_for_a_redraw_at_once():
    async def scenario() -> list[str]:
        async def never() -> bool:
            return False

        stream = live_events(never, user_id=7, keepalive=5, reconnected=True)
        sent = [await anext(stream), await anext(stream)]
        await stream.aclose()
        return sent

    assert asyncio.run(scenario())[1].startswith("event: mijn-acties\n")
