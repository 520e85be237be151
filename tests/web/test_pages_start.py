"""The start page: my teams, my actions due this week and the knelpunten I can pick up."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.db import writer
from app.models import Action, ActionStatus, EscalationCreate
from app.services import escalations
from app.services.access import access_for
from app.web.pages import greeting
from tests.conftest import TODAY
from tests.integration.service_helpers import new_action
from tests.support.builders import World


def make(world: World, who: str = "member", **fields) -> Action:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return new_action(session, world, who, **fields)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_start_page_greets_me_by_name(login, world):
    page = login("member").get("/")
    assert page.status_code == 200
    assert "Member" in page.text and "<h1" in page.text


def test_the_greeting_follows_the_time_of_day():
    assert greeting(8) == "Goedemorgen"
    assert greeting(13) == "Goedemiddag"
    assert greeting(20) == "Goedenavond"
    assert greeting(2) == "Goedenavond"


def test_the_start_page_lists_my_teams_with_my_role_in_dutch(login, world):
    teams = section(login("lead").get("/").text, "kop-mijn-teams")
    assert f'href="/teams/{world.team.id}"' in teams and "trekker" in teams
    member_teams = section(login("member").get("/").text, "kop-mijn-teams")
    assert "Jeugd" in member_teams and "lid" in member_teams
    assert "Team van teams" not in member_teams


def test_a_representative_also_sees_the_team_of_teams_they_sit_in(login, world):
    teams = section(login("representative").get("/").text, "kop-mijn-teams")
    assert f'href="/teams/{world.team.id}"' in teams
    assert f'href="/teams/{world.team_of_teams.id}"' in teams
    assert "vertegenwoordiger namens Jeugd" in teams


def test_due_soon_holds_my_open_actions_that_are_late_or_due_within_a_week(login, world):
    late = make(world, title="Te laat", due_date=TODAY - timedelta(days=2))
    this_week = make(world, title="Deze week", due_date=TODAY + timedelta(days=7))
    make(world, title="Volgende maand", due_date=TODAY + timedelta(days=30))
    make(world, title="Zonder datum")
    make(world, title="Al klaar", due_date=TODAY, status=ActionStatus.done)
    make(world, "lead", title="Van een ander", due_date=TODAY)
    soon = section(login("member").get("/").text, "kop-binnenkort")
    assert soon.index(f'id="binnenkort-{late.id}"') < soon.index(f'id="binnenkort-{this_week.id}"')
    for absent in ("Volgende maand", "Zonder datum", "Al klaar", "Van een ander"):
        assert absent not in soon
    assert "te laat" in soon and "streefdatum ma 23 nov." in soon
    assert 'href="/mijn-acties"' in soon


def test_due_soon_says_so_when_nothing_is_due(login, world):
    soon = section(login("member").get("/").text, "kop-binnenkort")
    assert "Je hebt geen acties die deze week klaar moeten zijn." in soon


def test_open_knelpunten_show_for_the_teams_whose_board_i_write_on(login, world):
    action = make(world, title="Vastgelopen")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        escalations.raise_escalation(
            session=session,
            actor=access_for(session, world.users["member"]),
            action_id=action.id,
            data=EscalationCreate(note="We hebben een besluit nodig"),
        )
    # sent to the team of teams: its representative can act on it, the member cannot
    for_representative = section(login("representative").get("/").text, "kop-knelpunten")
    assert "We hebben een besluit nodig" in for_representative and "van Jeugd" in for_representative
    assert f'href="/teams/{world.team_of_teams.id}"' in for_representative
    for_member = section(login("member").get("/").text, "kop-knelpunten")
    assert "We hebben een besluit nodig" not in for_member


def test_the_start_page_as_an_htmx_request_is_only_its_block(login, world):
    response = login("member").get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="start"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]


def test_the_start_page_needs_a_login(app_for_pages, world):
    from fastapi.testclient import TestClient

    assert TestClient(app_for_pages).get("/", follow_redirects=False).status_code == 303
