"""Presence on the stand-up screen: who has the board open, per office, kept while their stream
is open and told to the stand-up screens as the event "aanwezig"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from app.db import writer
from app.events import Broker, ChangeEvent
from app.models import Location, User
from app.queries.standups import Attendee
from app.web.boards import standup
from app.web.boards.live import Presence, Viewing, Watch, attendee, event_names, live_stream
from tests.support.builders import World

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def person(user_id: int, name: str, office: str | None) -> Attendee:
    return Attendee(user_id=user_id, name=name, location_id=None, location=office)


def viewing(user_id: int, name: str, office: str | None, minutes: int = 0) -> Viewing:
    return Viewing(person(user_id, name, office), T0 + timedelta(minutes=minutes))


def test_presence_lists_each_person_once_per_office_offices_by_name_without_one_last():
    told: list[ChangeEvent] = []
    own = Broker()
    own.publish = told.append  # type: ignore[method-assign]
    presence = Presence(own)
    keys = [
        presence.enter(5, viewing(1, "Zoë", "Utrecht")),
        presence.enter(5, viewing(2, "Bram", None)),
        presence.enter(5, viewing(3, "Anna", "Alphen", minutes=2)),
        presence.enter(5, viewing(3, "Anna", "Alphen", minutes=1)),  # a second tab
        presence.enter(6, viewing(4, "Elders", "Alphen")),
    ]
    now = presence.of(5)
    assert [(o.location, [a.name for a in o.attendees]) for o in now.offices] == [
        ("Alphen", ["Anna"]),
        ("Utrecht", ["Zoë"]),
        (None, ["Bram"]),
    ]
    assert now.count == 3 and now.since[3] == T0 + timedelta(minutes=1)
    assert [(c.type, c.entity_id, c.id) for c in told] == [("presence.updated", 5, 0)] * 4 + [
        ("presence.updated", 6, 0)
    ]

    presence.leave(5, keys[3])
    assert presence.of(5).count == 3  # Anna still has her other tab open
    presence.leave(5, keys[2])
    presence.leave(5, keys[2])  # leaving twice tells nobody twice
    assert [a.name for o in presence.of(5).offices for a in o.attendees] == ["Zoë", "Bram"]
    assert len(told) == 7
    for key in keys[:2]:
        presence.leave(5, key)
    assert presence.of(5).offices == [] and presence.of(6).count == 1


def test_only_a_stand_up_screen_of_that_board_hears_presence():
    change = ChangeEvent(id=0, type="presence.updated", entity_id=3, team_id=3, version=None)
    assert event_names(change, Watch(team_id=3, standup=True)) == ["aanwezig"]
    assert event_names(change, Watch(team_id=3)) == []
    assert event_names(change, Watch(team_id=4, standup=True)) == []


def test_an_open_stream_counts_as_present_until_it_ends_and_its_own_page_hears_it():
    async def scenario() -> tuple[list[str], int, int]:
        own = Broker()
        presence = Presence(own)
        page = Watch(team_id=3, standup=True)
        stream = live_stream(
            lambda: asyncio.sleep(0, result=False),
            page,
            source=own,
            keepalive=5,
            who=person(7, "Kim", "Baarle-Nassau"),
            registry=presence,
        )
        first = await asyncio.wait_for(anext(stream), 2)
        arrived = await asyncio.wait_for(anext(stream), 2)  # its own arrival
        during = presence.of(3).count
        await stream.aclose()
        return [first, arrived], during, presence.of(3).count

    messages, during, after = asyncio.run(scenario())
    assert messages[0] == "retry: 1000\n\n"
    assert messages[1].startswith("event: aanwezig\ndata: ")
    assert "Kim" not in messages[1]  # names go through the partial, never the stream
    assert during == 1 and after == 0


def test_the_viewer_is_named_with_their_office(world: World):
    with Session(writer(world.engine)) as session:
        office = Location(name="Alphen")
        session.add(office)
        session.flush()
        user = session.get(User, world.users["member"].id)
        assert user is not None
        user.location_id = office.id
        session.commit()
        found = attendee(session, user)
        nowhere = attendee(session, session.get(User, world.users["lead"].id))  # type: ignore[arg-type]
    assert (found.name, found.location) == (world.users["member"].name, "Alphen")
    assert nowhere.location is None


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Presence:
    own = Presence(Broker())
    monkeypatch.setattr(standup, "presence", own)
    return own


def test_the_stand_up_screen_lists_who_has_the_board_open_per_office(
    login, world: World, registry: Presence
):
    root = world.team_of_teams.id
    assert root is not None
    registry.enter(root, viewing(101, "Anna Alphen", "Alphen"))
    registry.enter(root, viewing(102, "Bram Zonder", None))
    registry.enter(world.team.id or 0, viewing(103, "Elders Kijker", "Alphen"))
    text = login("member").get(f"/teams/{root}/staand-overleg?team=1").text

    section = text[text.index('<section id="aanwezig"') :]
    section = section[: section.index("</section>")]
    assert f'data-hx-get="/teams/{root}/staand-overleg/aanwezig"' in section
    assert 'data-hx-trigger="sse:aanwezig"' in section
    assert "Wie heeft het bord open" in section
    assert section.index("Alphen (1)") < section.index("Anna Alphen")
    assert section.index("Anna Alphen") < section.index("Zonder vestiging (1)")
    assert section.index("Zonder vestiging (1)") < section.index("Bram Zonder")
    assert "Elders Kijker" not in section  # another board
    # on a child team's screen the list follows the team of teams' own stream
    meeting = text[text.index('class="standup-meeting"') :]
    assert meeting.index('data-sse-connect="/teams/') < meeting.index('id="aanwezig"')


def test_the_presence_partial_answers_alone_and_says_when_nobody_is_there(
    login, world: World, registry: Presence
):
    root = world.team_of_teams.id
    client = login("outsider")  # reading a board is open to everyone
    empty = client.get(f"/teams/{root}/staand-overleg/aanwezig", headers={"HX-Request": "true"})
    assert empty.status_code == 200
    assert empty.text.lstrip().startswith('<section id="aanwezig"')
    assert "Nu heeft niemand anders het bord open." in empty.text
    registry.enter(root or 0, viewing(101, "Anna Alphen", "Alphen"))
    full = client.get(f"/teams/{root}/staand-overleg/aanwezig").text
    assert "Anna Alphen" in full and "niemand" not in full
    assert client.get("/teams/999/staand-overleg/aanwezig").status_code == 404
