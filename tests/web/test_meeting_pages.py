"""The admin page for the governing bodies' calendars, and meetings on the board: the
"Vergadering" choice of the action forms, the due date it sets and the card that names the
municipality, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event
from sqlmodel import Session, select

from app.db import writer
from app.models import Action, Location, LocationCreate, Meeting, MeetingCreate
from app.services import meetings, org
from tests.support.builders import World
from tests.web.board_support import add_action


def add_location(world: World, name: str = "Baarle-Nassau") -> Location:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return org.create_location(
            session=session, actor=world.access("admin"), data=LocationCreate(name=name)
        )


def add_meeting(world: World, location_id: int, held_on: date, body: str = "council") -> Meeting:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return meetings.add_meeting(
            session=session,
            actor=world.access("admin"),
            location_id=location_id,
            data=MeetingCreate(body=body, date=held_on, title="Begroting 2027"),
        )


def stored_meetings(world: World) -> list[Meeting]:
    with Session(world.engine) as session:
        return list(session.exec(select(Meeting)).all())


# --- the admin page ----------------------------------------------------------------------------


def test_the_admin_sees_each_municipality_with_its_meetings_and_their_deadlines(login, world):
    place = add_location(world)
    council = add_meeting(world, place.id, date(2026, 12, 10))
    page = login("admin").get("/beheer/vergaderingen").text
    assert "Baarle-Nassau" in page and f'id="vergadering-{council.id}"' in page
    row = page.split(f'id="vergadering-{council.id}"')[1].split("</tr>")[0]
    assert "Gemeenteraad" in row and "do 10 dec." in row and "ma 30 nov." in row
    assert 'aria-current="page">Vergaderingen' in page


def test_the_admin_adds_a_meeting_and_each_wrong_field_gets_a_dutch_message(login, world):
    place = add_location(world)
    client = login("admin")
    refused = client.post(
        "/beheer/vergaderingen",
        data={"csrf_token": client.csrf_token, "location_id": "", "body": "", "date": "morgen"},
    )
    assert refused.status_code == 422
    assert "Kies een gemeente uit de lijst." in refused.text
    assert "Kies college of raad" in refused.text
    assert "Vul een geldige datum in" in refused.text
    added = client.post(
        "/beheer/vergaderingen",
        data={
            "csrf_token": client.csrf_token,
            "location_id": str(place.id),
            "body": "college",
            "date": "2027-01-12",
            "title": "Collegevergadering",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    [meeting] = stored_meetings(world)
    assert (meeting.body, meeting.held_on, meeting.title) == (
        "college",
        date(2027, 1, 12),
        "Collegevergadering",
    )
    removed = client.post(
        f"/beheer/vergaderingen/{meeting.id}/verwijderen",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert removed.status_code == 303 and stored_meetings(world) == []


def test_the_admin_sets_the_lead_time_and_a_wrong_one_is_refused_on_its_field(login, world):
    place = add_location(world)
    client = login("admin")
    url = f"/beheer/gemeenten/{place.id}/inleverdagen"
    refused = client.post(url, data={"csrf_token": client.csrf_token, "deadline_lead_days": "91"})
    assert refused.status_code == 422
    assert f'id="fout-inleverdagen-{place.id}"' in refused.text
    assert "van 0 tot en met 90" in refused.text and 'value="91"' in refused.text
    saved = client.htmx("POST", url, data={"deadline_lead_days": "14"})
    assert saved.status_code == 200 and "14 dagen" in saved.text
    with Session(world.engine) as session:
        assert session.get(Location, place.id).deadline_lead_days == 14  # type: ignore[union-attr]


def test_only_admins_reach_the_calendar(login, world):
    place = add_location(world)
    meeting = add_meeting(world, place.id, date(2026, 12, 10))
    client = login("lead")
    assert client.get("/beheer/vergaderingen").status_code == 403
    assert client.htmx("POST", f"/beheer/vergaderingen/{meeting.id}/verwijderen").status_code == 403
    assert len(stored_meetings(world)) == 1


# --- meetings on the board ---------------------------------------------------------------------


def test_an_action_added_for_a_council_meeting_is_due_on_its_deadline_and_names_it(login, world):
    place = add_location(world)
    council = add_meeting(world, place.id, date(2026, 12, 10))
    client = login("member")
    board = client.get(f"/teams/{world.team.id}").text
    assert 'name="meeting_id"' in board and '<optgroup label="Baarle-Nassau">' in board
    answer = client.post(
        f"/teams/{world.team.id}/acties",
        data={
            "csrf_token": client.csrf_token,
            "title": "Raadsvoorstel schrijven",
            "owner_id": str(world.ids["member"]),
            "due_date": "",
            "doel": "",
            "meeting_id": str(council.id),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    with Session(world.engine) as session:
        action = session.exec(select(Action).where(Action.title == "Raadsvoorstel schrijven")).one()
    assert (action.meeting_id, action.due_date) == (council.id, date(2026, 11, 30))
    card = client.get(f"/teams/{world.team.id}").text.split(f'id="action-{action.id}"')[1]
    card = card.split("</article>")[0]
    assert "streefdatum ma 30 nov." in card and "Raad Baarle-Nassau 10 dec." in card


def test_a_meeting_that_is_no_choice_is_a_message_on_the_field(login, world):
    client = login("member")
    answer = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties",
        data={"title": "Actie", "owner_id": str(world.ids["member"]), "meeting_id": "x1"},
    )
    assert answer.status_code == 422 and "Kies een vergadering uit de lijst." in answer.text


def test_the_board_reads_the_meetings_of_its_cards_in_a_fixed_number_of_queries(login, world):
    place, other = add_location(world), add_location(world, "Gilze en Rijen")
    tied = [
        add_meeting(world, place.id, date(2026, 12, 10)),
        add_meeting(world, other.id, date(2026, 12, 15), body="college"),
    ]
    client = login("member")
    url = f"/teams/{world.team.id}"

    def fill(count: int) -> None:
        for n in range(count):
            add_action(world, title=f"Actie {n}", meeting_id=tied[n % 2].id)

    def statements() -> int:
        client.get(url)
        seen: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        event.listen(world.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(world.engine, "before_cursor_execute", count)
        return len(seen)

    fill(4)
    few = statements()
    fill(30)
    assert statements() == few


def test_the_lead_ties_a_new_goal_to_a_meeting_on_the_ambition_page(login, world):
    from app.models import Goal
    from tests.web.test_ambitions_pages import make_ambition

    place = add_location(world)
    council = add_meeting(world, place.id, date(2026, 12, 10))
    ambition = make_ambition(world)
    client = login("lead")
    page = client.get(f"/ambities/{ambition.id}").text
    assert 'id="doel-vergadering"' in page and '<optgroup label="Baarle-Nassau">' in page
    answer = client.htmx(
        "POST",
        f"/ambities/{ambition.id}/doelen",
        data={"title": "Raadsvoorstel klaar", "due": "", "meeting_id": str(council.id)},
    )
    assert answer.status_code == 200
    assert "voor Gemeenteraad Baarle-Nassau 10 dec. (stukken uiterlijk 30 nov.)" in answer.text
    with Session(world.engine) as session:
        goal = session.exec(select(Goal).where(Goal.title == "Raadsvoorstel klaar")).one()
    assert (goal.meeting_id, goal.due) == (council.id, date(2026, 11, 30))
    wrong = client.htmx(
        "POST", f"/ambities/{ambition.id}/doelen", data={"title": "Doel", "meeting_id": "9999"}
    )
    assert wrong.status_code == 422 and "Deze vergadering bestaat niet" in wrong.text


def test_the_action_page_names_the_meeting_it_is_for(login, world):
    place = add_location(world)
    council = add_meeting(world, place.id, date(2026, 12, 10))
    action = add_action(world, title="Raadsvoorstel", meeting_id=council.id)
    page = login("member").get(f"/teams/{world.team.id}/acties/{action.id}").text
    assert "Vergadering" in page
    assert "Gemeenteraad Baarle-Nassau 10 dec. (stukken uiterlijk 30 nov.)" in page
