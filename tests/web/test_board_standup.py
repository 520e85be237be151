"""Staand overleg: the team of teams' own board first, then each child team, with a countdown
and links to the previous and next team."""

from __future__ import annotations

from app.models import ActionStatus
from tests.support.builders import World
from tests.web.board_support import add_action, raise_knelpunt


def test_the_stand_up_starts_with_the_team_of_teams_own_board(login, world: World):
    add_action(world, who="representative", title="Agenda", team_id=world.team_of_teams.id)
    response = login("member").get(f"/teams/{world.team_of_teams.id}/staand-overleg")

    assert response.status_code == 200
    text = response.text
    assert "Team 1 van 3:" in text and "Team van teams" in text and "Agenda" in text
    assert 'data-seconds="120"' in text and "02:00" in text
    assert 'href="/teams/1/staand-overleg?team=1&amp;minuten=2"' in text
    assert "Volgende: Jeugd" in text and "Vorige" not in text
    assert '<section id="teams"' in text  # the lanes of its child teams
    assert (
        f'sse-connect="/teams/{world.team_of_teams.id}/live?sprint_id={world.sprint.id}&amp;weergave=overleg"'
        in text
    )
    assert "/static/js/standup.js" in text


def test_next_and_previous_walk_the_child_teams_in_order(login, world: World):
    add_action(world, title="Huisbezoeken")
    client = login("member")
    base = f"/teams/{world.team_of_teams.id}/staand-overleg"

    jeugd = client.get(f"{base}?team=1&minuten=3").text
    assert "Team 2 van 3:" in jeugd and "Huisbezoeken" in jeugd
    assert 'data-seconds="180"' in jeugd and "03:00" in jeugd
    assert f'href="{base}?team=0&amp;minuten=3"' in jeugd and "Vorige: Team van teams" in jeugd
    assert f'href="{base}?team=2&amp;minuten=3"' in jeugd and "Volgende: Werk" in jeugd

    werk = client.get(f"{base}?team=2").text
    assert "Team 3 van 3:" in werk and "Dit is het laatste team." in werk
    assert "Volgende:" not in werk

    beyond = client.get(f"{base}?team=9").text
    assert "Team 3 van 3:" in beyond


def test_the_stand_up_is_read_only_in_large_type(login, world: World):
    blocked = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    raise_knelpunt(world, blocked)
    text = (
        login("representative").get(f"/teams/{world.team_of_teams.id}/staand-overleg?team=1").text
    )
    main = text[text.index("<main") :]
    assert "standup-body" in text
    assert 'method="post"' not in main and "Verplaats naar" not in main
    assert "Oplossen" not in main
    assert "wacht" in main


def test_a_stand_up_partial_stays_read_only(login, world: World):
    action = add_action(world)
    client = login("member")
    query = f"?sprint_id={world.sprint.id}&weergave=overleg"
    row = client.htmx("GET", f"/teams/{world.team.id}/rijen/zonder{query}")
    card = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart{query}")
    assert f'id="action-{action.id}"' in row.text
    assert "Verplaats naar" not in row.text and "Verplaats naar" not in card.text


def test_minutes_out_of_range_are_refused_in_dutch(login, world: World):
    response = login("member").get(f"/teams/{world.team_of_teams.id}/staand-overleg?minuten=0")
    assert response.status_code == 422 and "Controleer wat je hebt ingevuld" in response.text
