"""Ambities: the overview, one ambition's page, and who may change it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import writer
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionCreate,
    EscalationCreate,
    Goal,
    GoalCreate,
    SprintCreate,
)
from app.services import ambitions, escalations, sprints
from tests.integration.service_helpers import as_, new_action
from tests.support.builders import World


def make_ambition(world: World, **fields) -> Ambition:
    fields.setdefault("title", "Iedereen doet mee")
    fields.setdefault("intent", "Niemand valt tussen wal en schip.")
    fields.setdefault("horizon", date(2028, 12, 31))
    fields.setdefault("owner_team_id", world.team.id)
    fields.setdefault("team_ids", [world.team.id, world.other_team.id])
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return ambitions.create_ambition(
            session=session, actor=as_(session, world, "admin"), data=AmbitionCreate(**fields)
        )


def make_action(world: World, ambition: Ambition, **fields) -> Action:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return new_action(session, world, "member", ambition_id=ambition.id, **fields)


def escalate(world: World, action: Action, note: str) -> None:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        escalations.raise_escalation(
            session=session,
            actor=as_(session, world, "member"),
            action_id=action.id,
            data=EscalationCreate(note=note),
        )


def stored(world: World, ambition_id: int) -> Ambition:
    with Session(world.engine) as session:
        found = session.get(Ambition, ambition_id)
        assert found is not None
        return found


def goals_of(world: World, ambition_id: int) -> list[Goal]:
    with Session(world.engine) as session:
        return list(session.exec(select(Goal).where(Goal.ambition_id == ambition_id)))


EDIT = {
    "title": "Iedereen doet mee",
    "intent": "Nieuw",
    "horizon": "2029-06-30",
    "status": "achieved",
}


# --- Overview ---------------------------------------------------------------------------------


def test_the_overview_lists_each_ambition_with_status_horizon_teams_and_open_knelpunten(
    login, world
):
    ambition = make_ambition(world)
    make_ambition(world, title="Werk voor iedereen", team_ids=[], horizon=None)
    escalate(world, make_action(world, ambition, title="Vast"), "Hulp nodig")
    page = login("outsider").get("/ambities")
    assert page.status_code == 200
    card = page.text[page.text.index(f'id="ambitie-kaart-{ambition.id}"') :]
    card = card[: card.index("</li>")]
    assert f'href="/ambities/{ambition.id}"' in card
    assert "Actief" in card and "zo 31 dec. 2028" in card
    assert "Jeugd" in card and "Werk" in card
    assert "<dt>Open knelpunten</dt><dd>1</dd>" in card
    assert "Werk voor iedereen" in page.text and "geen einddatum" in page.text


def test_the_overview_as_an_htmx_request_is_only_its_block(login, world):
    make_ambition(world)
    response = login("member").get("/ambities", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="ambities"')
    assert "<html" not in response.text and "HX-Request" in response.headers["vary"]


def test_the_ambition_pages_need_a_login(app_for_pages, world):
    ambition = make_ambition(world)
    client = TestClient(app_for_pages)
    assert client.get("/ambities", follow_redirects=False).status_code == 303
    assert client.get(f"/ambities/{ambition.id}", follow_redirects=False).status_code == 303


# --- One ambition -------------------------------------------------------------------------------


def test_an_ambition_page_shows_intent_horizon_goals_teams_and_open_knelpunten(login, world):
    ambition = make_ambition(world)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        ambitions.add_goal(
            session=session,
            actor=as_(session, world, "admin"),
            ambition_id=ambition.id,
            data=GoalCreate(
                title="Tien gezinnen in beeld", due=date(2026, 12, 14), team_id=world.team.id
            ),
        )
    escalate(world, make_action(world, ambition, title="Vast"), "Wachten op de jurist")
    html = login("outsider").get(f"/ambities/{ambition.id}").text
    assert "<h1" in html and "Iedereen doet mee" in html
    assert "De bedoeling" in html and "Niemand valt tussen wal en schip." in html
    assert "zo 31 dec. 2028" in html
    assert (
        "Tien gezinnen in beeld" in html
        and "streefdatum ma 14 dec." in html
        and "nog niet behaald" in html
    )
    teams = html[html.index('id="kop-teams"') :]
    assert (
        f'href="/teams/{world.team.id}"' in teams
        and f'href="/teams/{world.other_team.id}"' in teams
    )
    knelpunten = html[html.index('id="kop-knelpunten"') :]
    assert "Wachten op de jurist" in knelpunten and "van Jeugd" in knelpunten


def test_an_ambition_page_draws_progress_as_an_accessible_chart_with_a_table_behind_it(
    login, world
):
    ambition = make_ambition(world)
    make_action(world, ambition, title="Een", status=ActionStatus.done)
    make_action(world, ambition, title="Twee", status=ActionStatus.blocked, blocked_reason="Wacht")
    make_action(world, ambition, title="Drie")
    html = login("member").get(f"/ambities/{ambition.id}").text
    svg = html[html.index('<svg class="grafiek__svg"') : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'aria-labelledby="grafiek-titel grafiek-uitleg"' in svg
    assert "week 48–49" in svg
    assert "style=" not in html.split("<body", 1)[1]  # no inline styles anywhere (CSP)
    assert svg.count('class="grafiek__staaf grafiek__staaf--') == 4
    assert "fill: url(#patroon-doorgeschoven)" in Path("static/css/ambitions.css").read_text()
    table = html[html.index('<table class="utrecht-table voortgang"') : html.index("</table>")]
    assert "<caption" in table and 'scope="col"' in table
    assert '<th class="utrecht-table__header-cell" scope="row">week 48–49</th>' in table
    cells = table[table.index('scope="row">week 48–49') :]
    assert [cell.split("<")[0] for cell in cells.split('utrecht-table__cell">')[1:5]] == [
        "3",
        "1",
        "0",
        "1",
    ]


def test_an_ambition_page_counts_carried_over_actions_in_the_sprint_they_left(login, world):
    ambition = make_ambition(world)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        earlier = sprints.create_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            data=SprintCreate(start_date=world.sprint.start_date - timedelta(days=14)),
        )
    make_action(world, ambition, title="Oud", sprint_id=earlier.id)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        sprints.close_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            sprint_id=earlier.id,
            today=world.today,
        )
    html = login("member").get(f"/ambities/{ambition.id}").text
    table = html[html.index("<table") : html.index("</table>")]
    earlier_row = table[table.index("week 46–47") :]
    assert [cell.split("<")[0] for cell in earlier_row.split('utrecht-table__cell">')[1:5]] == [
        "1",
        "0",
        "1",
        "0",
    ]
    assert table.index("week 46–47") < table.index("week 48–49")


def test_an_ambition_without_actions_says_there_is_no_progress_yet(login, world):
    ambition = make_ambition(world)
    html = login("member").get(f"/ambities/{ambition.id}").text
    assert "nog geen voortgang" in html and '<svg class="grafiek__svg"' not in html


def test_an_unknown_ambition_is_a_dutch_404(login, world):
    response = login("member").get("/ambities/999")
    assert response.status_code == 404 and "bestaat niet" in response.text


def test_an_ambition_page_as_an_htmx_request_is_only_its_block(login, world):
    ambition = make_ambition(world)
    response = login("member").get(f"/ambities/{ambition.id}", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith(f'<div id="ambitie-{ambition.id}"')
    assert "<html" not in response.text and "HX-Request" in response.headers["vary"]


# --- Changing an ambition ---------------------------------------------------------------------


def test_only_those_who_may_edit_see_the_forms(login, world):
    ambition = make_ambition(world)
    for who, sees in (
        ("lead", True),
        ("admin", True),
        ("member", False),
        ("representative", False),
        ("outsider", False),
    ):
        html = login(who).get(f"/ambities/{ambition.id}").text
        assert ("Ambitie wijzigen" in html) is sees, who
        assert ("Kortetermijndoel toevoegen" in html) is sees, who


def test_the_lead_of_the_owner_team_changes_the_ambition_with_a_plain_form(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    response = client.post(
        f"/ambities/{ambition.id}",
        data={**EDIT, "csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert (
        response.status_code == 303 and response.headers["location"] == f"/ambities/{ambition.id}"
    )
    changed = stored(world, ambition.id)
    assert (changed.intent, changed.horizon, changed.status) == (
        "Nieuw",
        date(2029, 6, 30),
        "achieved",
    )
    assert "Bereikt" in client.get(f"/ambities/{ambition.id}").text


def test_an_htmx_edit_gets_the_page_block_back_with_an_announcement(login, world):
    ambition = make_ambition(world)
    response = login("admin").htmx("POST", f"/ambities/{ambition.id}", data=EDIT)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div id="ambitie-{ambition.id}"')
    assert (
        'data-hx-swap-oob="innerHTML:#meldingen"' in response.text
        and "De ambitie is opgeslagen." in response.text
    )


def test_an_edit_without_a_title_is_refused_with_a_dutch_message_per_field(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    response = client.post(
        f"/ambities/{ambition.id}",
        data={**EDIT, "title": "  ", "horizon": "31-12-2029", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert "Vul een titel in." in response.text
    assert "Vul een geldige datum in" in response.text
    assert 'id="ambitie-titel"' in response.text and 'aria-invalid="true"' in response.text
    assert 'value="31-12-2029"' in response.text  # what was typed stays
    assert stored(world, ambition.id).title == "Iedereen doet mee"
    partial = client.htmx("POST", f"/ambities/{ambition.id}", data={**EDIT, "status": "kwijt"})
    assert partial.status_code == 422 and "Kies een status." in partial.text
    assert "<html" not in partial.text


def test_a_member_cannot_change_an_ambition_and_nothing_changes(login, world):
    ambition = make_ambition(world)
    for who in ("member", "representative", "outsider"):
        client = login(who)
        response = client.post(
            f"/ambities/{ambition.id}", data={**EDIT, "csrf_token": client.csrf_token}
        )
        assert response.status_code == 403, who
        assert "trekker" in response.text
        goal = client.post(
            f"/ambities/{ambition.id}/doelen",
            data={"title": "Stiekem", "csrf_token": client.csrf_token},
        )
        assert goal.status_code == 403, who
    unchanged = stored(world, ambition.id)
    assert (unchanged.intent, unchanged.status) == ("Niemand valt tussen wal en schip.", "active")
    assert goals_of(world, ambition.id) == []


def test_a_member_is_refused_even_when_what_they_sent_is_invalid(login, world):
    ambition = make_ambition(world)
    client = login("member")
    response = client.post(
        f"/ambities/{ambition.id}", data={"title": "", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 403


def test_a_lead_of_another_team_cannot_change_the_ambition(login, world):
    ambition = make_ambition(world, owner_team_id=world.other_team.id)
    client = login("lead")
    assert (
        client.post(
            f"/ambities/{ambition.id}", data={**EDIT, "csrf_token": client.csrf_token}
        ).status_code
        == 403
    )
    assert stored(world, ambition.id).status == "active"


def test_an_edit_without_the_csrf_token_is_refused_and_changes_nothing(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    assert client.post(f"/ambities/{ambition.id}", data=EDIT).status_code == 403
    assert client.post(f"/ambities/{ambition.id}/doelen", data={"title": "Doel"}).status_code == 403
    assert stored(world, ambition.id).status == "active"
    assert goals_of(world, ambition.id) == []


# --- Adding a goal -----------------------------------------------------------------------------


def test_the_lead_adds_a_goal_with_a_plain_form(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    response = client.post(
        f"/ambities/{ambition.id}/doelen",
        data={
            "title": "Wachtlijst halveren",
            "due": "2027-03-01",
            "team_id": str(world.team.id),
            "csrf_token": client.csrf_token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    [goal] = goals_of(world, ambition.id)
    assert (goal.title, goal.due, goal.team_id, goal.is_done) == (
        "Wachtlijst halveren",
        date(2027, 3, 1),
        world.team.id,
        False,
    )


def test_an_htmx_goal_gets_the_page_block_back_with_the_new_goal(login, world):
    ambition = make_ambition(world)
    response = login("lead").htmx(
        "POST",
        f"/ambities/{ambition.id}/doelen",
        data={"title": "Wachtlijst halveren", "team_id": ""},
    )
    assert response.status_code == 200
    assert "Wachtlijst halveren" in response.text and "is toegevoegd" in response.text
    assert "<html" not in response.text


def test_a_goal_without_a_title_or_with_an_unknown_team_is_refused_in_dutch(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    empty = client.htmx(
        "POST", f"/ambities/{ambition.id}/doelen", data={"title": "", "due": "morgen"}
    )
    assert empty.status_code == 422
    assert "Vul een titel in." in empty.text and "Vul een geldige datum in" in empty.text
    unknown = client.htmx(
        "POST", f"/ambities/{ambition.id}/doelen", data={"title": "Doel", "team_id": "9999"}
    )
    assert unknown.status_code == 422 and "Dit team bestaat niet." in unknown.text
    assert goals_of(world, ambition.id) == []
