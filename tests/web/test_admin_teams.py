"""The team pages: the tree, one team's details, deleting, and members with their roles."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from app.models import Action, Membership, Team, TeamCreate
from app.services import org
from app.services.access import access_for
from tests.support.builders import World


def _team(world: World, team_id: int) -> Team | None:
    with Session(world.engine) as session:
        return session.get(Team, team_id)


def _role(world: World, team_id: int, who: str) -> str | None:
    with Session(world.engine) as session:
        membership = session.exec(
            select(Membership).where(
                Membership.team_id == team_id, Membership.user_id == world.users[who].id
            )
        ).first()
        return membership.role if membership else None


def _new_team(world: World, name: str, parent_id: int | None = None) -> int:
    with Session(world.engine) as session:
        team = org.create_team(
            session=session,
            actor=access_for(session, world.users["admin"]),
            data=TeamCreate(name=name, parent_id=parent_id),
        )
        assert team.id is not None
        return team.id


# --- The tree and adding a team -----------------------------------------------------------
def test_the_teams_page_shows_the_tree_with_child_teams_nested(login, world: World):
    page = login("admin").get("/beheer/teams")
    assert page.status_code == 200
    top = re.search(rf'<li id="team-{world.team_of_teams.id}">(.*)</li>', page.text, re.S)
    assert top is not None
    assert "team van teams" in top.group(1)
    assert f'id="team-{world.team.id}"' in top.group(1)
    assert f'id="team-{world.other_team.id}"' in top.group(1)
    assert f'href="/beheer/teams/{world.team.id}">Jeugd</a>' in page.text
    assert 'for="veld-parent_id">Valt onder team van teams</label>' in page.text


def test_adding_a_team_under_a_team_of_teams_opens_its_page(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/teams",
        data={
            "name": "Zorg",
            "description": "Wmo en jeugdzorg",
            "parent_id": str(world.team_of_teams.id),
            "csrf_token": client.csrf_token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    team_id = int(response.headers["location"].rsplit("/", 1)[1])
    team = _team(world, team_id)
    assert team is not None and team.name == "Zorg" and team.parent_id == world.team_of_teams.id
    assert client.get(response.headers["location"]).status_code == 200


def test_a_team_without_a_name_is_refused_with_a_message(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/teams", data={"name": "", "parent_id": "", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 422
    assert 'id="fout-name">Vul een naam in.' in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_team_under_an_unknown_parent_is_refused(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/teams", data={"name": "Los", "parent_id": "9999", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 422
    assert "Dit team van teams bestaat niet." in response.text


def test_a_non_admin_cannot_add_a_team(login, world: World):
    client = login("lead")
    response = client.post(
        "/beheer/teams", data={"name": "Stiekem", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 403
    with Session(world.engine) as session:
        assert session.exec(select(Team).where(Team.name == "Stiekem")).first() is None


def test_adding_a_team_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post("/beheer/teams", data={"name": "Zonder"})
    assert response.status_code == 403
    with Session(world.engine) as session:
        assert session.exec(select(Team).where(Team.name == "Zonder")).first() is None


# --- One team -------------------------------------------------------------------------------
def test_an_admin_sees_details_members_and_delete_on_the_team_page(login, world: World):
    page = login("admin").get(f"/beheer/teams/{world.team.id}")
    assert page.status_code == 200
    assert f'action="/beheer/teams/{world.team.id}"' in page.text
    assert "Team verwijderen" in page.text
    assert f'id="team-{world.team.id}-leden"' in page.text
    for name in ("Member", "Lead", "Representative"):
        assert f'scope="row">{name}</th>' in page.text
    # the team cannot hang under itself, so it is not offered as its own parent
    parent_select = re.search(r'<select[^>]*name="parent_id".*?</select>', page.text, re.S)
    assert parent_select is not None and ">Jeugd<" not in parent_select.group(0)


def test_a_lead_sees_only_the_members_of_their_own_team(login, world: World):
    page = login("lead").get(f"/beheer/teams/{world.team.id}")
    assert page.status_code == 200
    assert f'id="team-{world.team.id}-leden"' in page.text
    assert "Lid toevoegen" in page.text
    assert f'action="/beheer/teams/{world.team.id}"' not in page.text
    assert "Team verwijderen" not in page.text
    assert 'aria-label="Beheer"' not in page.text


def test_the_team_page_is_refused_to_members_and_to_leads_of_other_teams(login, world: World):
    assert login("member").get(f"/beheer/teams/{world.team.id}").status_code == 403
    refused = login("lead").get(f"/beheer/teams/{world.other_team.id}")
    assert refused.status_code == 403
    assert "Alleen de trekker van dit team of een beheerder beheert de leden." in refused.text


def test_an_unknown_team_is_not_found(login):
    assert login("admin").get("/beheer/teams/9999").status_code == 404


def test_renaming_a_team_saves_and_returns_to_its_page(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/teams/{world.team.id}",
        data={
            "name": "Jeugd en gezin",
            "description": "Alles voor jonge gezinnen",
            "parent_id": str(world.team_of_teams.id),
            "csrf_token": client.csrf_token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    team = _team(world, world.team.id)
    assert team is not None
    assert (team.name, team.description) == ("Jeugd en gezin", "Alles voor jonge gezinnen")


def test_hanging_a_team_of_teams_under_its_own_child_is_refused(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/teams/{world.team_of_teams.id}",
        data={
            "name": "Team van teams",
            "parent_id": str(world.team.id),
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 422
    assert "Een team kan niet onder zichzelf of een eigen subteam hangen." in response.text
    team = _team(world, world.team_of_teams.id)
    assert team is not None and team.parent_id is None


def test_a_lead_cannot_rename_or_delete_their_team(login, world: World):
    client = login("lead")
    rename = client.post(
        f"/beheer/teams/{world.team.id}",
        data={"name": "Van mij", "csrf_token": client.csrf_token},
    )
    assert rename.status_code == 403
    delete = client.post(
        f"/beheer/teams/{world.team.id}/verwijderen", data={"csrf_token": client.csrf_token}
    )
    assert delete.status_code == 403
    team = _team(world, world.team.id)
    assert team is not None and team.name == "Jeugd"


def test_a_lead_is_refused_before_the_form_is_read(login, world: World):
    # who may rename is checked once, before the input: a refusal never depends on it
    client = login("lead")
    response = client.post(
        f"/beheer/teams/{world.team.id}", data={"name": "", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 403
    team = _team(world, world.team.id)
    assert team is not None and team.name == "Jeugd"


def test_renaming_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post(f"/beheer/teams/{world.team.id}", data={"name": "Zonder"})
    assert response.status_code == 403
    team = _team(world, world.team.id)
    assert team is not None and team.name == "Jeugd"


def test_an_empty_team_can_be_deleted(login, world: World):
    team_id = _new_team(world, "Tijdelijk", world.team_of_teams.id)
    client = login("admin")
    response = client.post(
        f"/beheer/teams/{team_id}/verwijderen",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/beheer/teams"
    assert _team(world, team_id) is None


def test_a_team_with_subteams_or_actions_stays_with_a_clear_message(login, world: World):
    with Session(world.engine) as session:
        session.add(
            Action(
                title="Bezig",
                team_id=world.other_team.id,
                owner_id=world.users["outsider"].id,
                sprint_id=world.sprint.id,
            )
        )
        session.commit()
    client = login("admin")
    for team_id in (world.team_of_teams.id, world.other_team.id):
        response = client.post(
            f"/beheer/teams/{team_id}/verwijderen", data={"csrf_token": client.csrf_token}
        )
        assert response.status_code == 409
        assert "kan daarom niet weg" in response.text
        assert 'id="verwijderen-fout"' in response.text
        assert _team(world, team_id) is not None


# --- Members ------------------------------------------------------------------------------
def test_adding_a_member_with_htmx_answers_the_members_block_and_announces_it(login, world):
    response = login("admin").htmx(
        "POST",
        f"/beheer/teams/{world.other_team.id}/leden",
        data={"user_id": str(world.users["member"].id), "role": "lead"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<section id="team-{world.other_team.id}-leden"')
    assert "<html" not in response.text
    assert "Member is toegevoegd als trekker." in response.text
    assert 'data-hx-swap-oob="innerHTML"' in response.text
    assert "HX-Request" in response.headers["vary"]
    assert _role(world, world.other_team.id, "member") == "lead"


def test_a_lead_adds_a_member_to_their_own_team_with_a_plain_form(login, world: World):
    client = login("lead")
    response = client.post(
        f"/beheer/teams/{world.team.id}/leden",
        data={
            "user_id": str(world.users["outsider"].id),
            "role": "member",
            "csrf_token": client.csrf_token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/beheer/teams/{world.team.id}#team-{world.team.id}-leden"
    )
    assert _role(world, world.team.id, "outsider") == "member"


def test_a_second_representative_is_refused_with_a_message(login, world: World):
    client = login("lead")
    response = client.htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden",
        data={"user_id": str(world.users["outsider"].id), "role": "representative"},
    )
    assert response.status_code == 422
    assert "Dit team heeft al een vertegenwoordiger." in response.text
    assert response.text.lstrip().startswith("<section")
    assert _role(world, world.team.id, "outsider") is None


def test_a_team_at_the_top_cannot_have_a_representative(login, world: World):
    client = login("admin")
    page = client.get(f"/beheer/teams/{world.team_of_teams.id}")
    assert 'value="representative"' not in page.text
    response = client.post(
        f"/beheer/teams/{world.team_of_teams.id}/leden",
        data={
            "user_id": str(world.users["member"].id),
            "role": "representative",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 422
    assert "Dit team valt niet onder een team van teams." in response.text
    assert "<html" in response.text
    assert _role(world, world.team_of_teams.id, "member") is None


def test_a_lead_makes_a_member_deputy_and_the_team_of_teams_lists_them(login, world: World):
    page = login("lead").get(f"/beheer/teams/{world.team.id}")
    assert '<option value="deputy" >Plaatsvervangend vertegenwoordiger</option>' in page.text
    response = login("lead").htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden/{world.users['member'].id}",
        data={"role": "deputy"},
    )
    assert response.status_code == 200
    assert "Member is nu plaatsvervangend vertegenwoordiger." in response.text
    assert _role(world, world.team.id, "member") == "deputy"
    top = login("admin").get(f"/beheer/teams/{world.team_of_teams.id}")
    listed = re.findall(r"<li>([^<]*, [^<]*vertegenwoordiger van [^<]*)</li>", top.text)
    assert listed == [
        "Representative, vertegenwoordiger van Jeugd",
        "Member, plaatsvervangend vertegenwoordiger van Jeugd",
    ]


def test_a_second_deputy_and_a_deputy_at_the_top_are_refused(login, world: World):
    client = login("admin")
    member_id = world.users["member"].id
    made = client.htmx(
        "POST", f"/beheer/teams/{world.team.id}/leden/{member_id}", data={"role": "deputy"}
    )
    assert made.status_code == 200
    response = client.htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden",
        data={"user_id": str(world.users["outsider"].id), "role": "deputy"},
    )
    assert response.status_code == 422
    assert "Dit team heeft al een plaatsvervangend vertegenwoordiger." in response.text
    assert _role(world, world.team.id, "outsider") is None
    page = client.get(f"/beheer/teams/{world.team_of_teams.id}")
    assert 'value="deputy"' not in page.text
    response = client.htmx(
        "POST",
        f"/beheer/teams/{world.team_of_teams.id}/leden",
        data={"user_id": str(world.users["outsider"].id), "role": "deputy"},
    )
    assert response.status_code == 422
    assert "Dit team valt niet onder een team van teams." in response.text
    assert _role(world, world.team_of_teams.id, "outsider") is None


def test_adding_without_choosing_anyone_asks_to_choose(login, world: World):
    response = login("admin").htmx(
        "POST", f"/beheer/teams/{world.team.id}/leden", data={"user_id": "", "role": "member"}
    )
    assert response.status_code == 422
    assert "Kies een medewerker uit de lijst." in response.text


def test_changing_a_role_with_htmx_saves_it(login, world: World):
    response = login("lead").htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden/{world.users['member'].id}",
        data={"role": "lead"},
    )
    assert response.status_code == 200
    assert "Member is nu trekker." in response.text
    assert _role(world, world.team.id, "member") == "lead"


def test_making_a_second_representative_shows_the_message_at_that_member(login, world: World):
    member_id = world.users["member"].id
    response = login("admin").htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden/{member_id}",
        data={"role": "representative"},
    )
    assert response.status_code == 422
    assert (
        f'id="rol-{world.team.id}-{member_id}-fout">Dit team heeft al een vertegenwoordiger.'
        in (response.text)
    )
    assert _role(world, world.team.id, "member") == "member"


def test_removing_a_member_with_htmx_takes_them_out(login, world: World):
    response = login("lead").htmx(
        "POST", f"/beheer/teams/{world.team.id}/leden/{world.users['member'].id}/verwijderen"
    )
    assert response.status_code == 200
    assert "Member is uit het team gehaald." in response.text
    assert _role(world, world.team.id, "member") is None


def test_members_and_other_leads_cannot_change_members(login, world: World):
    member = login("member")
    refused = member.htmx(
        "POST",
        f"/beheer/teams/{world.team.id}/leden/{world.users['lead'].id}/verwijderen",
    )
    assert refused.status_code == 403
    lead = login("lead")
    refused = lead.htmx(
        "POST",
        f"/beheer/teams/{world.other_team.id}/leden",
        data={"user_id": str(world.users["lead"].id), "role": "lead"},
    )
    assert refused.status_code == 403
    assert _role(world, world.team.id, "lead") == "lead"
    assert _role(world, world.other_team.id, "lead") is None


def test_changing_members_without_the_csrf_token_is_refused(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/teams/{world.team.id}/leden/{world.users['member'].id}/verwijderen"
    )
    assert response.status_code == 403
    response = client.post(
        f"/beheer/teams/{world.team.id}/leden/{world.users['member'].id}", data={"role": "lead"}
    )
    assert response.status_code == 403
    assert _role(world, world.team.id, "member") == "member"
