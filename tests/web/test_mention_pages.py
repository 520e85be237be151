"""Mentions on the pages: a comment or knelpunt names a colleague with a link to their page,
the colleague sees it under "Voor mij" until Gelezen, and the suggestions as you type."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.db import writer
from app.models import CommentCreate, EscalationCreate, LocationCreate, UserCreate, UserUpdate
from app.services import actions, escalations, org
from tests.integration.service_helpers import as_, new_action
from tests.support.builders import PASSWORD, World


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def commented(world: World, body: str, who: str = "member") -> tuple[int, int]:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = new_action(session, world, title="Buurtavond plannen")
        assert action.id is not None
        made = actions.add_comment(
            session=session,
            actor=as_(session, world, who),
            action_id=action.id,
            data=CommentCreate(body=body),
        )
        return action.id, made.id  # type: ignore[return-value]


def test_a_comment_posted_on_the_page_links_the_colleague_it_names(login, world):
    member = login("member")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = new_action(session, world, title="Buurtavond plannen")
    url = f"/teams/{world.team.id}/acties/{action.id}"
    answer = member.post(
        f"{url}/reacties",
        data={"body": "Kun jij dit doen, @lead?", "csrf_token": member.csrf_token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = member.get(url).text
    link = f'<a class="mention" href="/mensen/{world.ids["lead"]}">@lead</a>'
    assert f'<p class="comment__body">Kun jij dit doen, {link}?</p>' in page
    assert "js/mentions.js" in page


def test_voor_mij_shows_my_unseen_mentions_newest_first_until_gelezen(login, world):
    first_action, first = commented(world, "Eerst @Lead")
    commented(world, "Daarna @Lead nog eens", who="representative")
    commented(world, "Niet voor jou, @Outsider")
    lead = login("lead")
    voor_mij = section(lead.get("/").text, "kop-voor-mij")
    assert voor_mij.index("Daarna") < voor_mij.index("Eerst")
    assert "Niet voor jou" not in voor_mij
    assert "Representative noemde je in een reactie" in voor_mij
    assert f'href="/teams/{world.team.id}/acties/{first_action}#reactie-{first}"' in voor_mij

    ids = re.findall(r'name="mention_id" value="(\d+)"', voor_mij)
    assert len(ids) == 2
    answer = lead.htmx("POST", "/voor-mij/gelezen", data={"mention_id": ids[0]})
    assert answer.status_code == 200
    assert "Daarna" not in answer.text and "Eerst" in answer.text
    assert "Gemarkeerd als gelezen." in answer.text

    done = lead.post(
        "/voor-mij/gelezen", data={"csrf_token": lead.csrf_token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/#kop-voor-mij"
    assert "Niemand heeft je genoemd" in section(lead.get("/").text, "kop-voor-mij")


def test_someone_elses_mention_cannot_be_marked_seen(login, world):
    commented(world, "@Outsider kijk even")
    outsider_page = login("outsider").get("/").text
    mention_id = re.findall(r'name="mention_id" value="(\d+)"', outsider_page)[0]
    lead = login("lead")
    answer = lead.htmx("POST", "/voor-mij/gelezen", data={"mention_id": mention_id})
    assert answer.status_code == 404
    assert "kijk even" in login("outsider").get("/").text
    assert lead.htmx("POST", "/voor-mij/gelezen", data={"mention_id": "abc"}).status_code == 404


def test_a_knelpunt_links_the_colleague_it_names_on_its_page_and_the_board(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = new_action(session, world, title="Vergunning")
        escalation = escalations.raise_escalation(
            session=session,
            actor=as_(session, world, "member"),
            action_id=action.id,  # type: ignore[arg-type]
            data=EscalationCreate(note="Hulp nodig van @Representative."),
        )
    link = f'<a class="mention" href="/mensen/{world.ids["representative"]}">@Representative</a>'
    lead = login("lead")
    assert link in lead.get(f"/knelpunten/{escalation.id}").text
    assert link in lead.get(f"/teams/{world.team_of_teams.id}").text
    voor_mij = section(login("representative").get("/").text, "kop-voor-mij")
    assert "Member noemde je bij een knelpunt" in voor_mij
    assert f'href="/knelpunten/{escalation.id}"' in voor_mij


def test_a_persons_page_shows_name_office_teams_and_open_actions(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        admin = as_(session, world, "admin")
        office = org.create_location(
            session=session, actor=admin, data=LocationCreate(name="Zeist")
        )
        org.update_user(
            session=session,
            actor=admin,
            user_id=world.ids["lead"],
            data=UserUpdate(location_id=office.id),
        )
        new_action(session, world, "lead", title="Open voor de trekker")
    page = login("outsider").get(f"/mensen/{world.ids['lead']}")
    assert page.status_code == 200
    assert "<h1" in page.text and "Lead</h1>" in page.text
    assert "Zeist" in page.text
    teams = section(page.text, "kop-persoon-teams")
    assert f'href="/teams/{world.team.id}"' in teams and "trekker" in teams
    assert "Open voor de trekker" in section(page.text, "kop-persoon-acties")
    assert login("outsider").get("/mensen/999999").status_code == 404


def test_suggestions_are_active_colleagues_my_teams_first_at_most_eight(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        admin = as_(session, world, "admin")
        for number in range(10):
            org.create_user(
                session=session,
                actor=admin,
                data=UserCreate(
                    email=f"l{number}@example.org", name=f"Lotte {number}", password=PASSWORD
                ),
            )
        outsider = world.ids["outsider"]
    found = login("member").get("/mensen/suggesties", params={"q": "l"}).json()
    assert len(found) == 8
    assert found[0] == {
        "id": world.ids["lead"],
        "name": "Lead",
        "office": "",
        "insert": "@Lead",
    }
    assert [f["name"] for f in found[1:]] == [f"Lotte {n}" for n in range(7)]
    assert login("member").get("/mensen/suggesties", params={"q": "outs"}).json()[0]["id"] == (
        outsider
    )
    assert login("member").get("/mensen/suggesties", params={"q": "member"}).json() == []


def test_suggestions_need_a_login(app_for_pages):
    from fastapi.testclient import TestClient

    with TestClient(app_for_pages) as client:
        answer = client.get("/mensen/suggesties?q=l", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_raising_and_answering_a_knelpunt_on_the_pages_mention_too(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = new_action(session, world, title="Subsidie aanvragen")
    member = login("member")
    raised = member.post(
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"note": "Wie weet dit? @Lead", "type": "help", "csrf_token": member.csrf_token},
        follow_redirects=False,
    )
    assert raised.status_code == 303, raised.text
    voor_mij = section(login("lead").get("/").text, "kop-voor-mij")
    assert "Member noemde je bij een knelpunt" in voor_mij and "Wie weet dit? @Lead" in voor_mij

    escalation_id = int(re.findall(r'href="/knelpunten/(\d+)"', voor_mij)[0])
    representative = login("representative")
    answered = representative.post(
        f"/knelpunten/{escalation_id}/beantwoorden",
        data={"resolution": "Vraag het @Member", "csrf_token": representative.csrf_token},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    mine = section(member.get("/").text, "kop-voor-mij")
    assert "Representative noemde je bij een knelpunt" in mine
