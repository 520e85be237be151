"""The teams overview: every team as a tree, each linking to its board."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import writer
from app.models import Team, TeamCreate
from app.queries.org import team_tree
from app.services import org
from tests.integration.service_helpers import as_


def test_the_teams_overview_nests_teams_under_their_team_of_teams(login, world):
    page = login("outsider").get("/teams")
    assert page.status_code == 200
    html = page.text
    root = html.index(f'id="team-{world.team_of_teams.id}"')
    children = html.index('class="teamboom__kinderen"', root)
    assert root < children < html.index(f'id="team-{world.team.id}"')
    assert children < html.index(f'id="team-{world.other_team.id}"')
    for team in (world.team_of_teams, world.team, world.other_team):
        assert f'href="/teams/{team.id}"' in html
    assert "team van teams" in html


def test_the_teams_overview_marks_my_own_teams(login, world):
    html = login("representative").get("/teams").text
    assert "jij: vertegenwoordiger" in html


def test_deeper_trees_nest_as_deep(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        grandchild = org.create_team(
            session=session,
            actor=as_(session, world, "admin"),
            data=TeamCreate(name="Jeugd Noord", parent_id=world.team.id),
        )
    html = login("member").get("/teams").text
    team = html.index(f'id="team-{world.team.id}"')
    assert (
        team
        < html.index(f'id="team-{grandchild.id}"')
        < html.index(f'id="team-{world.other_team.id}"')
    )
    assert html.count('class="teamboom__kinderen"') == 2


def test_the_teams_overview_as_an_htmx_request_is_only_its_block(login, world):
    response = login("member").get("/teams", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="teams"')
    assert "<html" not in response.text and "HX-Request" in response.headers["vary"]


def test_the_teams_overview_needs_a_login(app_for_pages, world):
    assert TestClient(app_for_pages).get("/teams", follow_redirects=False).status_code == 303


def test_a_team_tree_sorts_each_level_by_name_and_keeps_orphans():
    teams = [
        Team(id=1, name="Top"),
        Team(id=2, name="Werk", parent_id=1),
        Team(id=3, name="jeugd", parent_id=1),
        Team(id=4, name="Los", parent_id=99),
    ]
    tree = team_tree(teams)
    assert [node.team.name for node in tree] == ["Los", "Top"]
    assert [node.team.name for node in tree[1].children] == ["jeugd", "Werk"]
