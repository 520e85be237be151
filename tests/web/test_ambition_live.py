"""The live ambition page: each change names the part of the page it touched (and only for
the ambition it concerns), and each part can be fetched again on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from app.db import writer
from app.events import ChangeEvent, broker
from app.models import EvaluationWrite, GoalUpdate
from app.services import ambitions, evaluations
from app.web.ambitions_live import AmbitionWatch, ambition_stream, event_names, format_event
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.test_ambitions_pages import escalate, make_action, make_ambition
from tests.web.test_indicator_pages import add_goal, add_indicator, measure


def names_after(world: World, watch: AmbitionWatch, change: Callable[[], object]) -> list[str]:
    """The event names the ambition page hears for what `change` commits (through the real
    broker, as a live page's stream does)."""

    async def scenario() -> list[ChangeEvent]:
        subscription = broker.subscribe()
        try:
            await asyncio.to_thread(change)
            await asyncio.sleep(0.05)  # publishing crosses into this loop with call_soon
            heard = []
            while not subscription.queue.empty():
                heard.append(subscription.queue.get_nowait())
            return heard
        finally:
            subscription.close()

    heard = asyncio.run(scenario())
    return list(dict.fromkeys(name for c in heard for name in event_names(c, watch)))


def test_each_change_names_the_part_it_touched_and_only_on_its_own_ambition(world):
    ambition = make_ambition(world)
    other = make_ambition(world, title="Werk voor iedereen")
    assert ambition.id is not None and other.id is not None
    here = AmbitionWatch(ambition.id, frozenset({world.team.id or 0}))
    there = AmbitionWatch(other.id, frozenset())

    action = None

    def add_action() -> None:
        nonlocal action
        action = make_action(world, ambition, title="Spreekuur in de bibliotheek")

    assert names_after(world, here, add_action) == ["voortgang"]
    assert action is not None
    assert names_after(world, there, lambda: make_action(world, ambition, title="Nog één")) == []

    goal = None

    def goal_added() -> None:
        nonlocal goal
        goal = add_goal(world, ambition.id or 0, "Wachtlijst halveren")

    assert names_after(world, here, goal_added) == ["doelen"]

    def goal_achieved() -> None:
        assert goal is not None and goal.id is not None
        with Session(writer(world.engine)) as session:
            ambitions.update_goal(
                session=session,
                actor=world.access("admin"),
                goal_id=goal.id,
                data=GoalUpdate(is_done=True),
            )

    assert names_after(world, here, goal_achieved) == ["doelen"]
    assert names_after(world, here, lambda: escalate(world, action, "Geen zaal")) == ["knelpunten"]

    indicator = add_indicator(world, ambition.id)
    assert names_after(
        world, here, lambda: measure(world, indicator.id, date(2026, 11, 2), 30)
    ) == [f"metingen-{indicator.id}"]

    def evaluated() -> None:
        with Session(writer(world.engine)) as session:
            evaluations.save_evaluation(
                session=session,
                actor=world.access("lead"),
                team_id=world.team.id or 0,
                sprint_id=world.sprint.id or 0,
                data=EvaluationWrite(highlights="Spreekuur loopt"),
                today=TODAY,
            )

    assert names_after(world, here, evaluated) == ["in-het-licht"]
    assert names_after(world, there, evaluated) == []


def test_each_part_is_fetched_on_its_own_and_alone_is_no_page(login, world):
    ambition = make_ambition(world)
    make_action(world, ambition, title="Spreekuur in de bibliotheek")
    add_goal(world, ambition.id, "Wachtlijst halveren", done=True)
    indicator = add_indicator(world, ambition.id)
    measure(world, indicator.id, date(2026, 11, 2), 30)
    client = login("member")

    page = client.get(f"/ambities/{ambition.id}").text
    assert f'data-sse-connect="/ambities/{ambition.id}/live"' in page
    for part, shows in (
        ("doelen", "Wachtlijst halveren"),
        ("knelpunten", "Er zijn geen open knelpunten"),
        ("voortgang", "Aantal acties per periode"),
    ):
        answer = client.htmx("GET", f"/ambities/{ambition.id}/deel/{part}")
        assert answer.status_code == 200
        assert answer.text.lstrip().startswith(
            f'<section class="ambitie__blok" id="ambitie-{part}"'
        )
        assert shows in answer.text and "<html" not in answer.text
        assert f'data-hx-trigger="sse:{part}"' in answer.text
    measurements = client.htmx(
        "GET", f"/ambities/{ambition.id}/indicatoren/{indicator.id}/metingen"
    )
    assert measurements.status_code == 200
    assert f'id="indicator-metingen-{indicator.id}"' in measurements.text
    assert "30 dagen" in measurements.text and "<html" not in measurements.text

    alone = client.get(f"/ambities/{ambition.id}/deel/doelen", follow_redirects=False)
    assert alone.status_code == 303 and alone.headers["location"] == f"/ambities/{ambition.id}"
    assert client.htmx("GET", f"/ambities/{ambition.id}/deel/bewerken").status_code in (404, 422)


def test_a_page_that_reconnects_fetches_every_part_again_and_events_carry_ids():
    watch = AmbitionWatch(7, frozenset({1}), indicator_ids=(3, 4))

    async def first_messages(reconnected: bool) -> list[str]:
        async def gone() -> bool:
            return True  # the browser leaves right after the opening

        return [m async for m in ambition_stream(gone, watch, reconnected=reconnected)]

    fresh = asyncio.run(first_messages(False))
    again = asyncio.run(first_messages(True))
    assert fresh == ["retry: 1000\n\n"]
    assert [m.split("\n")[0] for m in again[1:]] == [
        "event: voortgang",
        "event: doelen",
        "event: knelpunten",
        "event: in-het-licht",
        "event: metingen-3",
        "event: metingen-4",
    ]
    change = ChangeEvent(id=42, type="goal.updated", entity_id=5, team_id=None, version=None)
    assert format_event("doelen", change).startswith("id: 42\nevent: doelen\n")
