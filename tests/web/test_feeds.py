"""Calendar feeds for Outlook: the secret link is made on Mijn acties → agenda (or a team's
agenda page), and the feed answers without a session; parsed here as a calendar would."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session, select

from app.db import writer
from app.models import Action, ActionStatus, CalendarFeed, Membership, User
from tests.conftest import TODAY
from tests.integration.service_helpers import new_action
from tests.support.builders import World

LINK = re.compile(r'id="agenda-link" type="text" readonly value="(http[^"]+)"')


def make(world: World, who: str = "member", **fields) -> Action:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return new_action(session, world, who, **fields)


def set_status(world: World, action: Action, status: ActionStatus) -> None:
    with Session(writer(world.engine)) as session:
        stored = session.get_one(Action, action.id)
        stored.status = status
        session.add(stored)
        session.commit()


def new_link(client, path: str = "/mijn-acties/agenda") -> str:
    page = client.post(path, data={"csrf_token": client.csrf_token})
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = LINK.search(page.text)
    assert found, page.text
    return found.group(1)


def fetch(app, url: str):
    """The feed as a calendar program asks for it: no cookies, no session."""
    with TestClient(app) as anonymous:
        return anonymous.get(url.removeprefix("http://testserver"))


def events(body: bytes) -> dict[str, dict]:
    calendar = Calendar.from_ical(body)
    found = {}
    for event in calendar.walk("VEVENT"):
        found[str(event["SUMMARY"])] = {
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "uid": str(event["UID"]),
            "url": str(event["URL"]),
            "description": str(event["DESCRIPTION"]),
            "dtstamp": event.decoded("DTSTAMP"),
        }
    return found


def test_my_feed_holds_my_open_actions_as_all_day_events(login, world, app_for_pages):
    mine = make(world, title="Brief aan de wethouder", due_date=TODAY + timedelta(days=3))
    blocked = make(world, title="Wacht op budget", due_date=TODAY - timedelta(days=1))
    set_status(world, blocked, ActionStatus.blocked)
    make(world, title="Zonder datum")
    done = make(world, title="Al klaar", due_date=TODAY)
    set_status(world, done, ActionStatus.done)
    dropped = make(world, title="Laten vallen", due_date=TODAY)
    set_status(world, dropped, ActionStatus.dropped)
    make(world, title="Van een ander", owner_id=world.ids["lead"], due_date=TODAY)

    url = new_link(login("member"))
    assert re.fullmatch(r"http://testserver/agenda/[A-Za-z0-9_-]{43}\.ics", url)
    answer = fetch(app_for_pages, url)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Mijn acties – Verbeterbord"
    assert calendar.walk("VTODO") == []
    found = events(answer.content)
    assert set(found) == {"Brief aan de wethouder", "Wacht op budget"}
    event = found["Brief aan de wethouder"]
    assert event["start"] == TODAY + timedelta(days=3) and type(event["start"]) is date
    assert event["end"] == TODAY + timedelta(days=4)
    assert event["uid"] == f"action-{mine.id}@testserver"
    assert event["url"] == f"http://testserver/teams/{world.team.id}/acties/{mine.id}"
    assert "Team: Jeugd" in event["description"] and "Status: Te doen" in event["description"]
    assert event["url"] in event["description"]
    assert "Status: Geblokkeerd" in found["Wacht op budget"]["description"]
    assert b"DTSTART;VALUE=DATE:" in answer.content
    assert b"X-PUBLISHED-TTL:PT1H" in answer.content
    # the same action keeps its UID on the next fetch, so Outlook updates instead of doubling
    again = events(fetch(app_for_pages, url).content)
    assert again["Brief aan de wethouder"]["uid"] == event["uid"]


def test_a_payload_in_a_title_is_calendar_text_never_html(login, world, app_for_pages):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    make(world, title=payload, due_date=TODAY)
    answer = fetch(app_for_pages, new_link(login("member")))
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert payload in events(answer.content)


def test_the_base_url_setting_makes_the_links(login, world, app_for_pages, monkeypatch):
    monkeypatch.setattr(app_for_pages.state.settings, "base_url", "https://bord.example.nl/")
    action = make(world, title="Buurtavond", due_date=TODAY)
    url = new_link(login("member"))
    assert url.startswith("https://bord.example.nl/agenda/")
    answer = fetch(app_for_pages, url.removeprefix("https://bord.example.nl"))
    event = events(answer.content)["Buurtavond"]
    assert event["uid"] == f"action-{action.id}@bord.example.nl"
    assert event["url"] == f"https://bord.example.nl/teams/{world.team.id}/acties/{action.id}"


@pytest.mark.parametrize(
    "path",
    [
        "/agenda/verkeerd.ics",
        "/agenda/" + "A" * 43 + ".ics",
        "/agenda/" + "A" * 150 + ".ics",
        "/agenda/" + "A" * 5000 + ".ics",
        "/agenda/.ics",
    ],
)
def test_a_wrong_secret_answers_404(app_for_pages, world, path):
    assert fetch(app_for_pages, path).status_code == 404


def test_a_new_link_stops_the_old_one(login, world, app_for_pages):
    make(world, title="Brief", due_date=TODAY)
    client = login("member")
    old = new_link(client)
    assert fetch(app_for_pages, old).status_code == 200
    new = new_link(client)
    assert new != old
    assert fetch(app_for_pages, old).status_code == 404
    assert fetch(app_for_pages, new).status_code == 200
    # only the hash is stored, never the secret
    secret = new.rsplit("/", 1)[1].removesuffix(".ics")
    with Session(world.engine) as session:
        hashes = [feed.token_hash for feed in session.exec(select(CalendarFeed))]
    assert len(hashes) == 2 and all(secret not in h and len(h) == 64 for h in hashes)


def test_the_link_is_shown_once(login, world):
    client = login("member")
    url = new_link(client)
    page = client.get("/mijn-acties/agenda")
    assert page.status_code == 200
    assert 'id="agenda-link"' not in page.text
    assert url.rsplit("/", 1)[1].removesuffix(".ics") not in page.text
    assert "Je hebt een agenda-link, gemaakt op" in page.text
    assert "Nieuwe link maken" in page.text


def test_a_deactivated_users_feed_answers_404(login, world, app_for_pages):
    make(world, title="Brief", due_date=TODAY)
    url = new_link(login("member"))
    with Session(writer(world.engine)) as session:
        user = session.get_one(User, world.ids["member"])
        user.is_active = False
        session.add(user)
        session.commit()
    assert fetch(app_for_pages, url).status_code == 404


def test_the_team_feed_holds_every_open_action_of_the_team(login, world, app_for_pages):
    make(world, title="Van het lid", due_date=TODAY)
    make(world, title="Van de trekker", owner_id=world.ids["lead"], due_date=TODAY)
    closed = make(world, title="Klaar", due_date=TODAY)
    set_status(world, closed, ActionStatus.done)
    make(world, "outsider", title="Ander team", team_id=world.other_team.id, due_date=TODAY)

    client = login("member")
    page = client.get(f"/teams/{world.team.id}/agenda")
    assert page.status_code == 200 and "Nieuwe link maken" in page.text
    url = new_link(client, f"/teams/{world.team.id}/agenda")
    answer = fetch(app_for_pages, url)
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Jeugd – Verbeterbord"
    found = events(answer.content)
    assert set(found) == {"Van het lid", "Van de trekker"}
    lead_name = world.users["lead"].name
    assert f"Eigenaar: {lead_name}" in found["Van de trekker"]["description"]
    # the personal link is a different one and still separate
    assert client.get("/mijn-acties/agenda").text.count("Je hebt nog geen agenda-link.") == 1


def test_only_team_members_make_a_team_feed(login, world):
    outsider = login("outsider")
    page = outsider.get(f"/teams/{world.team.id}/agenda")
    assert page.status_code == 200
    assert "Alleen leden van dit team" in page.text and "Nieuwe link maken" not in page.text
    refused = outsider.post(
        f"/teams/{world.team.id}/agenda", data={"csrf_token": outsider.csrf_token}
    )
    assert refused.status_code == 403
    admin = login("admin")
    assert (
        admin.post(f"/teams/{world.team.id}/agenda", data={"csrf_token": admin.csrf_token})
    ).status_code == 403
    with Session(world.engine) as session:
        assert session.exec(select(CalendarFeed)).all() == []


def test_leaving_the_team_stops_the_team_feed(login, world, app_for_pages):
    url = new_link(login("member"), f"/teams/{world.team.id}/agenda")
    assert fetch(app_for_pages, url).status_code == 200
    with Session(writer(world.engine)) as session:
        for membership in session.exec(
            select(Membership).where(Membership.user_id == world.ids["member"])
        ):
            session.delete(membership)
        session.commit()
    assert fetch(app_for_pages, url).status_code == 404


def test_my_actions_links_to_the_agenda_page_with_outlook_steps(login, world):
    client = login("member")
    assert 'href="/mijn-acties/agenda"' in client.get("/mijn-acties").text
    page = client.get("/mijn-acties/agenda").text
    for words in ("Abonneren via internet", "Van internet", "Agenda toevoegen"):
        assert words in page
    assert f'href="/teams/{world.team.id}/agenda"' in client.get(f"/teams/{world.team.id}").text


def test_the_agenda_pages_need_a_login(app_for_pages, world):
    anonymous = TestClient(app_for_pages)
    for path in ("/mijn-acties/agenda", f"/teams/{world.team.id}/agenda"):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
