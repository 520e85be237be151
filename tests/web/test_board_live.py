"""Live boards: which named event a change means for an open page, the stream itself, and a
change arriving at a real server's stream within a second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from app.events import Broker, ChangeEvent, broker
from app.models import ActionStatus
from app.web.boards import live
from app.web.boards.live import Watch, event_names, format_event, live_stream, watch_for
from tests.support.builders import World
from tests.support.clients import log_in
from tests.support.server import serve_in_thread
from tests.web.board_support import add_action, add_ambition, change_action, raise_knelpunt

TEAM, CHILD, OTHER, SPRINT = 3, 4, 9, 7


def change(kind: str, team_id: int | None = TEAM, entity_id: int = 12, **details) -> ChangeEvent:
    return ChangeEvent(
        id=1, type=kind, entity_id=entity_id, team_id=team_id, version=2, details=details
    )


def watch(**fields) -> Watch:
    fields.setdefault("team_id", TEAM)
    fields.setdefault("sprint_id", SPRINT)
    fields.setdefault("lanes", {"zonder", "a5", "a6"})
    return Watch(**fields)


# --- which event for which change --------------------------------------------------------------


def test_a_moved_card_redraws_its_row_which_holds_its_old_and_new_column():
    moved = change(
        "action.updated", statuses=["doing", "todo"], sprint_ids=[SPRINT], ambition_ids=[5]
    )
    assert event_names(moved, watch()) == ["row-a5"]


def test_a_card_without_ambition_redraws_the_row_zonder():
    added = change("action.created", sprint_ids=[SPRINT], ambition_ids=[0])
    assert event_names(added, watch()) == ["row-zonder"]


def test_a_card_moved_to_another_ambition_redraws_both_rows():
    moved = change("action.updated", sprint_ids=[SPRINT], ambition_ids=[5, 6])
    assert event_names(moved, watch()) == ["row-a5", "row-a6"]


def test_a_card_landing_in_a_row_the_page_lacks_redraws_the_whole_board_once():
    page = watch()
    added = change("action.created", sprint_ids=[SPRINT], ambition_ids=[8])
    assert event_names(added, page) == ["bord"]
    assert "a8" in page.lanes  # the redrawn board has that row now
    assert event_names(added, page) == ["row-a8"]


def test_a_change_that_does_not_name_its_row_redraws_the_board():
    carried = change("action.updated", sprint_ids=[SPRINT - 1, SPRINT], statuses=["todo"])
    assert event_names(carried, watch()) == ["bord"]


def test_a_change_in_another_sprint_is_not_sent():
    elsewhere = change("action.updated", sprint_ids=[SPRINT + 1], ambition_ids=[5])
    assert event_names(elsewhere, watch()) == []


def test_a_reactie_redraws_the_reacties_of_its_action():
    assert event_names(change("comment.created", action_ids=[12]), watch()) == ["reacties-12"]


def test_a_knelpunt_redraws_the_knelpunten_and_the_row_of_its_card():
    raised = change("escalation.created", action_ids=[12], ambition_ids=[5])
    assert event_names(raised, watch()) == ["knelpunten", "row-a5"]
    without_ambition = change("escalation.resolved", action_ids=[12], ambition_ids=[])
    assert event_names(without_ambition, watch()) == ["knelpunten", "row-zonder"]
    assert event_names(change("escalation.created", action_ids=[]), watch()) == ["knelpunten"]


def test_a_change_in_a_child_team_redraws_the_lanes_of_the_team_of_teams():
    page = watch(child_ids=frozenset({CHILD}))
    moved = change("action.updated", team_id=CHILD, sprint_ids=[SPRINT], ambition_ids=[5])
    raised = change("escalation.created", team_id=CHILD, action_ids=[12])
    assert event_names(moved, page) == ["lanes"]
    assert event_names(raised, page) == ["lanes"]
    assert event_names(change("action.updated", team_id=OTHER, ambition_ids=[5]), page) == []


def test_an_event_is_named_and_carries_a_small_json_data_line():
    text = format_event("row-a5", change("action.updated"))
    assert text == 'id: 1\nevent: row-a5\ndata: {"type": "action.updated", "id": 12}\n\n'
    assert "<" not in text
    presence = ChangeEvent(id=0, type="presence.updated", entity_id=3, team_id=3, version=None)
    assert format_event("aanwezig", presence).startswith("event: aanwezig\n")  # no id: no change


def test_a_board_that_reconnects_fetches_every_part_again():
    async def first_messages(page: Watch, reconnected: bool) -> list[str]:
        async def gone() -> bool:
            return True  # the browser leaves right after the opening

        stream = live_stream(gone, page, source=Broker(), reconnected=reconnected)
        return [message async for message in stream]

    team = watch()
    team_of_teams = watch(child_ids=frozenset({CHILD}), standup=True)
    assert asyncio.run(first_messages(team, False)) == ["retry: 1000\n\n"]
    names = [m.split("\n")[0] for m in asyncio.run(first_messages(team, True))[1:]]
    assert names == ["event: bord", "event: knelpunten"]
    names = [m.split("\n")[0] for m in asyncio.run(first_messages(team_of_teams, True))[1:]]
    assert names == ["event: bord", "event: knelpunten", "event: lanes", "event: aanwezig"]


def test_the_page_is_watched_for_the_rows_and_child_teams_it_shows(world: World):
    ambition = add_ambition(world)
    from sqlmodel import Session

    with Session(world.engine) as session:
        parent = watch_for(session, world.team_of_teams.id, world.sprint.id)
        child = watch_for(session, world.team.id, world.sprint.id)
    assert parent.child_ids == {world.team.id, world.other_team.id}
    assert child.child_ids == frozenset()
    assert child.lanes == {"zonder", f"a{ambition.id}"}


# --- the stream ----------------------------------------------------------------------------------


def test_the_stream_sends_the_named_event_of_a_committed_change_and_then_cleans_up(world: World):
    async def scenario() -> tuple[str, str, int, int]:
        gone = False

        async def is_disconnected() -> bool:
            return gone

        before = len(broker._subscriptions)
        page = Watch(team_id=world.team.id, sprint_id=world.sprint.id)
        stream = live_stream(is_disconnected, page, keepalive=0.2)
        first = await asyncio.wait_for(anext(stream), 2)
        during = len(broker._subscriptions)
        await asyncio.to_thread(add_action, world, title="Live erbij")
        event = await asyncio.wait_for(anext(stream), 2)
        gone = True
        with pytest.raises(StopAsyncIteration):
            while True:  # a keep-alive at most, then the stream sees the browser has gone
                await asyncio.wait_for(anext(stream), 2)
        return first, event, during - before, len(broker._subscriptions) - before

    first, event, subscribed, left = asyncio.run(scenario())
    assert first == "retry: 1000\n\n"
    assert event.startswith("id: ") and "\nevent: row-zonder\ndata: " in event
    assert subscribed == 1 and left == 0


def test_the_stream_of_a_team_of_teams_hears_its_child_teams(world: World):
    async def scenario() -> str:
        own = Broker()
        page = Watch(
            team_id=world.team_of_teams.id,
            child_ids=frozenset({world.team.id}),
            sprint_id=world.sprint.id,
        )
        stream = live_stream(lambda: asyncio.sleep(0, result=False), page, source=own, keepalive=1)
        await asyncio.wait_for(anext(stream), 2)
        own.publish(change("action.updated", team_id=world.team.id, sprint_ids=[world.sprint.id]))
        event = await asyncio.wait_for(anext(stream), 2)
        await stream.aclose()
        return event

    assert "\nevent: lanes\n" in asyncio.run(scenario())


# --- a real server -------------------------------------------------------------------------------


@pytest.fixture
def server(app_for_pages, world: World, monkeypatch) -> Iterator[str]:
    # In this process, not a server process: the tests look at the broker's subscriptions, and
    # the app is the page tests' one (their database, their today).
    monkeypatch.setattr(live, "KEEPALIVE_SECONDS", 0.25)  # a closed stream ends quickly
    with serve_in_thread(app_for_pages) as url:
        yield url


def _logged_in(base: str, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=5)
    return client, log_in(client, email)


def test_a_move_elsewhere_reaches_an_open_board_within_a_second(server: str, world: World):
    action = add_action(world)
    viewer, _ = _logged_in(server, "outsider@example.org")
    mover, token = _logged_in(server, "member@example.org")
    with viewer.stream(
        "GET", f"/teams/{world.team.id}/live?sprint_id={world.sprint.id}", timeout=5
    ) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines) == "retry: 1000"
        moved = mover.post(
            f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
            data={"status": "doing", "version": "1"},
            headers={"HX-Request": "true", "X-CSRF-Token": token},
        )
        assert moved.status_code == 200
        sent = time.monotonic()
        event = next(line for line in lines if line.startswith("event:"))
        assert event == "event: row-zonder"
        assert time.monotonic() - sent < 1.0
    viewer.close()
    mover.close()


def test_the_live_stream_needs_a_login(server: str, world: World):
    response = httpx.get(f"{server}/teams/{world.team.id}/live", follow_redirects=False, timeout=5)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_closing_the_page_ends_its_subscription(server: str, world: World):
    viewer, _ = _logged_in(server, "member@example.org")
    before = len(broker._subscriptions)
    with viewer.stream("GET", f"/teams/{world.team.id}/live", timeout=5) as stream:
        assert stream.status_code == 200
        lines = stream.iter_lines()  # (kept: a dropped iterator closes the connection)
        assert next(lines) == "retry: 1000"
        assert len(broker._subscriptions) == before + 1
    viewer.close()
    deadline = time.monotonic() + 5
    while len(broker._subscriptions) > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(broker._subscriptions) == before


def test_the_services_say_which_row_and_columns_a_change_touched(world: World):
    ambition = add_ambition(world)
    action = add_action(world, ambition_id=ambition.id)
    seen: list[ChangeEvent] = []

    async def scenario() -> None:
        subscription = broker.subscribe(world.team.id)
        await asyncio.to_thread(change_action, world, action, status=ActionStatus.doing)
        seen.append(await asyncio.wait_for(subscription.queue.get(), 2))
        subscription.close()

    asyncio.run(scenario())
    assert seen[0].details["ambition_ids"] == [ambition.id]
    assert seen[0].details["statuses"] == ["doing", "todo"]


def test_a_knelpunt_names_the_card_it_came_from(world: World):
    action = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    seen: list[ChangeEvent] = []

    async def scenario() -> None:
        subscription = broker.subscribe(world.team.id)
        await asyncio.to_thread(raise_knelpunt, world, action)
        seen.append(await asyncio.wait_for(subscription.queue.get(), 2))
        subscription.close()

    asyncio.run(scenario())
    assert seen[0].type == "escalation.created"
    assert seen[0].details["action_ids"] == [action.id]
