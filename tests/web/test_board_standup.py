"""Staand overleg: the team of teams' own board first, then each child team, with a countdown
and links to the previous and next team."""

from __future__ import annotations

import re

import pytest

from app.models import ActionStatus, Escalation, EscalationStatus
from tests.support.builders import World
from tests.web.board_support import add_action, add_ambition, fetch, raise_knelpunt


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
        f'data-sse-connect="/teams/{world.team_of_teams.id}/live?sprint_id={world.sprint.id}&amp;weergave=overleg"'
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


def test_the_stand_up_shows_cards_read_only_in_large_type(login, world: World):
    blocked = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    raise_knelpunt(world, blocked)
    text = (
        login("representative").get(f"/teams/{world.team_of_teams.id}/staand-overleg?team=1").text
    )
    main = text[text.index("<main") :]
    board = main[main.index('id="bord"') : main.index('id="knelpunten"')]
    assert "standup-body" in text
    assert 'method="post"' not in board and "Verplaats naar" not in main
    assert "wacht" in board


def test_a_stand_up_partial_stays_read_only(login, world: World):
    action = add_action(world)
    client = login("member")
    query = f"?sprint_id={world.sprint.id}&weergave=overleg"
    row = client.htmx("GET", f"/teams/{world.team.id}/rijen/zonder{query}")
    card = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart{query}")
    assert f'id="action-{action.id}"' in row.text
    assert "Verplaats naar" not in row.text and "Verplaats naar" not in card.text


@pytest.mark.parametrize("minuten", ["0", "16", "twee", ""])
def test_minutes_out_of_range_are_refused_in_dutch(login, world: World, minuten: str):
    base = f"/teams/{world.team_of_teams.id}/staand-overleg"
    response = login("member").get(base, params={"minuten": minuten})
    assert response.status_code == 422 and "Controleer wat je hebt ingevuld" in response.text
    assert "Kies 1 tot en met 15 minuten per team." in response.text


def test_the_stand_up_shows_no_site_navigation_but_a_way_out_and_full_screen(login, world: World):
    text = login("member").get(f"/teams/{world.team_of_teams.id}/staand-overleg").text
    assert "site-nav" not in text and "Hoofdmenu" not in text
    assert f'href="/teams/{world.team_of_teams.id}">Staand overleg verlaten</a>' in text
    assert "data-fullscreen hidden" in text and ">Volledig scherm</button>" in text


def test_the_first_screen_plans_order_and_minutes_and_the_walk_follows_it(login, world: World):
    client = login("member")
    base = f"/teams/{world.team_of_teams.id}/staand-overleg"
    jeugd, werk = world.team.id, world.other_team.id

    first = client.get(base).text
    assert "Volgorde en tijd kiezen" in first and '<details class="standup-plan" open>' in first
    assert 'name="volgorde"' in first and 'name="minuten"' in first and 'max="15"' in first
    assert "Start het overleg" in first

    planned = client.get(base, params={"volgorde": [werk, jeugd], "minuten": "5"}).text
    assert "Volgende: Werk" in planned and 'data-seconds="300"' in planned
    assert '<details class="standup-plan">' in planned  # chosen: the plan folds away
    assert f'href="{base}?team=1&amp;minuten=5&amp;volgorde={werk}&amp;volgorde={jeugd}"' in planned

    second = client.get(f"{base}?team=1&minuten=5&volgorde={werk}&volgorde={jeugd}").text
    assert "Team 2 van 3:" in second and "Werk" in second and "Volgende: Jeugd" in second
    assert "Volgorde en tijd kiezen" not in second  # only on the first screen
    assert f'href="{base}?team=2&amp;minuten=5&amp;volgorde={werk}&amp;volgorde={jeugd}"' in second


@pytest.mark.parametrize(
    "volgorde",
    [["same", "same"], ["unknown"], ["one"], ["x", "y"]],
)
def test_an_order_that_does_not_name_every_team_once_is_refused_in_dutch(
    login, world: World, volgorde: list[str]
):
    ids = {
        "same": str(world.team.id),
        "one": str(world.other_team.id),
        "unknown": str(world.team_of_teams.id),
    }
    asked = [ids.get(v, v) for v in volgorde]
    response = login("member").get(
        f"/teams/{world.team_of_teams.id}/staand-overleg", params={"volgorde": asked}
    )
    assert response.status_code == 422
    assert "Kies elk team één keer in de volgorde." in response.text


def is_hidden(html: str, element_id: str) -> bool:
    """Whether the element's opening tag carries the hidden attribute."""
    tag = re.search(rf'<[a-z]+ id="{element_id}"[^>]*>', html)
    assert tag, element_id
    return re.search(r"\shidden(\s|>|$)", tag.group(0)) is not None


def test_the_stand_up_walks_only_rows_with_actions(login, world: World):
    ambition = add_ambition(world, "Zorg dichtbij")
    add_action(world, title="Huisbezoeken")  # in the row without ambition
    client = login("member")
    jeugd = client.get(f"/teams/{world.team_of_teams.id}/staand-overleg?team=1").text
    assert is_hidden(jeugd, f"lane-a{ambition.id}")
    assert not is_hidden(jeugd, "lane-zonder") and "Huisbezoeken" in jeugd

    werk = client.get(f"/teams/{world.team_of_teams.id}/staand-overleg?team=2").text
    assert is_hidden(werk, "lane-zonder")
    assert "Dit team heeft in deze periode geen acties." in werk

    board = client.get(f"/teams/{world.other_team.id}").text
    assert not is_hidden(board, "lane-zonder")  # the board itself keeps the row


def test_the_team_of_teams_resolves_a_knelpunt_without_leaving_the_stand_up(login, world: World):
    blocked = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    knelpunt = raise_knelpunt(world, blocked, note="Wie betaalt de tolk?")
    client = login("representative")
    base = f"/teams/{world.team_of_teams.id}"

    werk = client.get(f"{base}/staand-overleg?team=2").text  # another team's screen
    assert "Wie betaalt de tolk?" in werk
    assert f'data-hx-post="{base}/knelpunten/{knelpunt.id}/oplossen"' in werk
    assert "Hoe is het opgelost?" in werk
    live = f"{base}/live?sprint_id={world.sprint.id}&amp;weergave=overleg"
    assert f'data-sse-connect="{live}"' in werk

    answer = client.htmx(
        "POST", f"{base}/knelpunten/{knelpunt.id}/oplossen", data={"resolution": "De gemeente."}
    )
    assert answer.status_code == 200 and 'id="knelpunten"' in answer.text
    assert "Er zijn geen open knelpunten." in answer.text
    assert fetch(world, Escalation, knelpunt.id).status == EscalationStatus.resolved


def test_a_member_of_a_child_team_sees_the_knelpunten_without_the_resolve_form(login, world: World):
    blocked = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    raise_knelpunt(world, blocked, note="Wie betaalt de tolk?")
    text = login("outsider").get(f"/teams/{world.team_of_teams.id}/staand-overleg").text
    assert "Wie betaalt de tolk?" in text
    assert 'name="resolution"' not in text and "Hoe is het opgelost?" not in text
