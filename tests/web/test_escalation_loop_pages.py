"""Knelpunten as a closed loop on the pages: raise with a type and a date, choose who answers,
pass it further up, answer, see the answer on the card and the board, read it ("Gelezen"); a
page per knelpunt with its timeline; bottlenecks on the team of teams."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from app.db import writer
from app.models import (
    Action,
    ActionStatus,
    Escalation,
    EscalationForward,
    EscalationResolve,
    EscalationStatus,
    EscalationStepRecord,
    Role,
    Team,
    TeamCreate,
    TeamUpdate,
    UserCreate,
)
from app.services import escalations, org
from app.services.access import access_for
from tests.conftest import TODAY
from tests.support.builders import PASSWORD, World
from tests.web.board_support import (
    add_action,
    card_html,
    count,
    fetch,
    raise_knelpunt,
    section,
)

BSN = "111222333"  # passes the elfproef


def blocked(world: World, title: str = "Huisbezoeken") -> Action:
    return add_action(world, title=title, status=ActionStatus.blocked, blocked_reason="Geen auto")


def answer(world: World, escalation: Escalation, text: str = "Er komt een poolauto.") -> None:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        assert escalation.id is not None
        escalations.resolve_escalation(
            session=session,
            actor=world.access("representative"),
            escalation_id=escalation.id,
            data=EscalationResolve(resolution=text),
        )


def backdate(world: World, escalation: Escalation, days: int) -> None:
    """As if raised `days` before the pages' today."""
    moment = datetime.combine(TODAY - timedelta(days=days), time(10), tzinfo=UTC)
    with Session(writer(world.engine)) as session:
        stored = session.get(Escalation, escalation.id)
        assert stored is not None
        stored.created_at = moment
        for step in session.exec(
            select(EscalationStepRecord).where(EscalationStepRecord.escalation_id == escalation.id)
        ):
            step.created_at = moment
            session.add(step)
        session.add(stored)
        session.commit()


@pytest.fixture
def top(world: World) -> Team:
    """A team of teams above world.team_of_teams (the Directie), with one member."""
    with Session(writer(world.engine), expire_on_commit=False) as session:
        admin = access_for(session, world.users["admin"])
        directie = org.create_team(session=session, actor=admin, data=TeamCreate(name="Directie"))
        assert directie.id is not None and world.team_of_teams.id is not None
        org.update_team(
            session=session,
            actor=admin,
            team_id=world.team_of_teams.id,
            data=TeamUpdate(parent_id=directie.id),
        )
        dirk = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email="dirk@example.org", name="Dirk", password=PASSWORD),
        ).user
        assert dirk.id is not None
        org.put_member(
            session=session, actor=admin, team_id=directie.id, user_id=dirk.id, role=Role.lead
        )
        world.users["dirk"] = dirk
        return directie


# --- raising ------------------------------------------------------------------------------------


def test_the_escalate_form_asks_what_kind_and_by_when(login, world: World):
    action = blocked(world)
    form = login("member").htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/opschalen")
    assert 'name="type"' in form.text and 'name="needed_by"' in form.text
    for label in ("Hulp nodig", "Besluit nodig", "Capaciteit"):
        assert label in form.text


def test_raising_keeps_the_kind_and_the_date(login, world: World):
    action = blocked(world)
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"note": "Wie beslist?", "type": "decision", "needed_by": "2026-12-04"},
    )
    assert response.status_code == 200
    escalation = fetch(world, Escalation, 1)
    assert escalation.type == "decision"
    assert escalation.needed_by.isoformat() == "2026-12-04"
    knelpunten = section(response.text, "knelpunten")
    assert "Besluit nodig" in knelpunten and "antwoord nodig vóór vr 4 dec." in knelpunten


def test_an_answer_needed_in_the_past_is_refused_on_its_field(login, world: World):
    action = blocked(world)
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"note": "Hulp", "needed_by": "2026-11-01"},
    )
    assert response.status_code == 422
    assert "Kies een datum vanaf vandaag." in response.text
    assert count(world, Escalation) == 0


def test_a_note_with_a_bsn_warns_and_offers_the_box_to_confirm(login, world: World):
    action = blocked(world)
    client = login("member")
    url = f"/teams/{world.team.id}/acties/{action.id}/opschalen"
    warned = client.htmx("POST", url, data={"note": f"Inwoner {BSN} wacht"})
    assert warned.status_code == 422
    assert "persoonsgegevens" in warned.text and 'name="confirm_personal_data"' in warned.text
    assert count(world, Escalation) == 0
    saved = client.htmx(
        "POST", url, data={"note": f"Zaak {BSN} wacht", "confirm_personal_data": "1"}
    )
    assert saved.status_code == 200 and count(world, Escalation) == 1


# --- on the boards ------------------------------------------------------------------------------


def test_every_tier_sees_how_long_it_has_waited_and_who_answers(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    backdate(world, escalation, 6)
    client = login("representative")
    parent = section(client.get(f"/teams/{world.team_of_teams.id}").text, "knelpunten")
    own = section(client.get(f"/teams/{world.team.id}").text, "knelpunten")
    for text in (parent, own):
        assert "Wacht al 6 dagen" in text
        assert "nog geen eigenaar" in text
        assert f'href="/knelpunten/{escalation.id}"' in text


def test_the_team_of_teams_chooses_who_answers(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    client = login("representative")
    url = f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/eigenaar"
    response = client.htmx("POST", url, data={"owner_id": str(world.ids["representative"])})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="knelpunten"')
    assert "Eigenaar: Representative" in response.text
    assert fetch(world, Escalation, escalation.id).owner_id == world.ids["representative"]

    # someone outside the team of teams is not a choice
    wrong = client.htmx("POST", url, data={"owner_id": str(world.ids["outsider"])})
    assert wrong.status_code == 422
    assert "Kies iemand uit het team van teams" in wrong.text


def test_the_raising_team_cannot_choose_the_owner(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/eigenaar",
        data={"owner_id": str(world.ids["member"])},
    )
    assert response.status_code == 403


def test_the_answer_shows_on_the_card_the_board_and_the_action_until_it_is_read(
    login, world: World
):
    action = blocked(world)
    escalation = raise_knelpunt(world, action)
    answer(world, escalation)
    client = login("member")

    board = client.get(f"/teams/{world.team.id}").text
    card = card_html(board, action.id)
    assert "Antwoord op knelpunt" in card and f'href="/knelpunten/{escalation.id}"' in card
    knelpunten = section(board, "knelpunten")
    assert "Er komt een poolauto." in knelpunten and "Gelezen" in knelpunten
    page = client.get(f"/teams/{world.team.id}/acties/{action.id}").text
    assert "Er komt een poolauto." in page and "Gelezen" in page

    response = client.htmx(
        "POST", f"/teams/{world.team.id}/knelpunten/{escalation.id}/gelezen", data={}
    )
    assert response.status_code == 200
    assert "Er komt een poolauto." not in section(response.text, "knelpunten")
    assert "Je hebt het antwoord gelezen." in response.text
    read = fetch(world, Escalation, escalation.id)
    assert read.acknowledged_by_id == world.ids["member"]
    board = client.get(f"/teams/{world.team.id}").text
    assert "Antwoord op knelpunt" not in card_html(board, action.id)


def test_gelezen_works_as_a_plain_form(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    answer(world, escalation)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/knelpunten/{escalation.id}/gelezen",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/teams/{world.team.id}#knelpunten"
    assert fetch(world, Escalation, escalation.id).acknowledged_at is not None


def test_only_the_raising_team_reads_the_answer(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    answer(world, escalation)
    outsider = login("outsider").post(
        f"/knelpunten/{escalation.id}/gelezen",
        data={"csrf_token": login("outsider").csrf_token},
    )
    assert outsider.status_code == 403
    # through the team of teams' address it is not found: it was not raised there
    wrong = login("representative").htmx(
        "POST", f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/gelezen", data={}
    )
    assert wrong.status_code == 404
    assert fetch(world, Escalation, escalation.id).acknowledged_at is None


def test_resolving_with_personal_data_offers_the_box(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    client = login("representative")
    url = f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen"
    warned = client.htmx("POST", url, data={"resolution": "Mail naar jan@example.org"})
    assert warned.status_code == 422 and 'name="confirm_personal_data"' in warned.text
    saved = client.htmx(
        "POST",
        url,
        data={"resolution": "Mail naar jan@example.org", "confirm_personal_data": "1"},
    )
    assert saved.status_code == 200
    assert fetch(world, Escalation, escalation.id).status == EscalationStatus.resolved


# --- the page per knelpunt ------------------------------------------------------------------------


def test_the_page_shows_the_facts_and_the_timeline(login, world: World):
    action = blocked(world)
    escalation = raise_knelpunt(world, action, note="Wie betaalt de poolauto?")
    backdate(world, escalation, 3)
    response = login("member").get(f"/knelpunten/{escalation.id}")
    assert response.status_code == 200
    text = response.text
    assert "<h1" in text and "Huisbezoeken" in text
    assert "Hulp nodig" in text and "Wie betaalt de poolauto?" in text
    assert "Wacht al 3 dagen" in text and "nog geen eigenaar" in text
    verloop = text[text.index('id="verloop"') :]
    assert "Opgeschaald naar Team van teams" in verloop and "Member" in verloop
    # the raising team reads; the forms are for the team of teams
    assert "Antwoord geven" not in text and "Doorsturen" not in text


def test_an_unknown_knelpunt_is_not_found(login, world: World):
    assert login("member").get("/knelpunten/999").status_code == 404


def test_answering_on_the_page_goes_back_to_the_page(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    client = login("representative")
    response = client.post(
        f"/knelpunten/{escalation.id}/beantwoorden",
        data={"csrf_token": client.csrf_token, "resolution": "Akkoord"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Het knelpunt is beantwoord." in page
    assert "Antwoord van Team van teams" in page and "Akkoord" in page
    assert "Beantwoord" in page[page.index('id="verloop"') :]


def test_an_empty_answer_on_the_page_is_asked_for(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    client = login("representative")
    response = client.post(
        f"/knelpunten/{escalation.id}/beantwoorden",
        data={"csrf_token": client.csrf_token, "resolution": ""},
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert fetch(world, Escalation, escalation.id).status == EscalationStatus.open


def test_the_top_has_no_forward_form(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    text = login("representative").get(f"/knelpunten/{escalation.id}").text
    assert "Antwoord geven" in text and "Doorsturen naar" not in text


def test_forwarding_two_levels_up_and_the_answer_coming_back(login, world: World, top: Team):
    action = blocked(world)
    escalation = raise_knelpunt(world, action)
    rep = login("representative")
    page = rep.get(f"/knelpunten/{escalation.id}").text
    assert "Doorsturen naar Directie" in page

    refused = rep.post(
        f"/knelpunten/{escalation.id}/doorsturen",
        data={"csrf_token": rep.csrf_token, "note": ""},
    )
    assert refused.status_code == 422
    forwarded = rep.post(
        f"/knelpunten/{escalation.id}/doorsturen",
        data={"csrf_token": rep.csrf_token, "note": "Over budget beslist de directie"},
        follow_redirects=False,
    )
    assert forwarded.status_code == 303
    assert fetch(world, Escalation, escalation.id).to_team_id == top.id

    middle = section(rep.get(f"/teams/{world.team_of_teams.id}").text, "knelpunten")
    assert "Doorgestuurd door dit team" in middle and "ligt nu bij Directie" in middle
    dirk = login("dirk")
    upstairs = section(dirk.get(f"/teams/{top.id}").text, "knelpunten")
    assert "Huisbezoeken" in upstairs and "Oplossen" in upstairs
    assert "bij Directie" in upstairs  # how long it waited there

    dirk.post(
        f"/knelpunten/{escalation.id}/beantwoorden",
        data={"csrf_token": dirk.csrf_token, "resolution": "Geld uit de reserve"},
    )
    own = login("member").get(f"/teams/{world.team.id}").text
    assert "Geld uit de reserve" in section(own, "knelpunten")
    assert "Antwoord op knelpunt" in card_html(own, action.id)
    middle = section(rep.get(f"/teams/{world.team_of_teams.id}").text, "knelpunten")
    assert "Geld uit de reserve" in middle
    timeline = dirk.get(f"/knelpunten/{escalation.id}").text
    verloop = timeline[timeline.index('id="verloop"') :]
    assert "Doorgestuurd naar Directie" in verloop and "Over budget beslist" in verloop


def test_forward_through_the_api_model_is_the_same_service(world: World, top: Team):
    # the page and the API use one service: forwarding from the raising team is refused
    escalation = raise_knelpunt(world, blocked(world))
    with Session(writer(world.engine)) as session:
        from app.services.errors import Forbidden

        with pytest.raises(Forbidden):
            escalations.forward_escalation(
                session=session,
                actor=world.access("member"),
                escalation_id=escalation.id,  # type: ignore[arg-type]
                data=EscalationForward(note="Zelf doorsturen"),
            )


# --- bottlenecks --------------------------------------------------------------------------------


def test_the_team_of_teams_board_shows_where_work_gets_stuck(login, world: World):
    action = add_action(world, title="Steeds weer doorgeschoven")
    with Session(writer(world.engine)) as session:
        stored = session.get(Action, action.id)
        assert stored is not None
        stored.carried_over = 3
        session.add(stored)
        session.commit()
    late = add_action(world, title="Rapport", due_date=TODAY + timedelta(days=2))
    with Session(writer(world.engine)) as session:
        stored = session.get(Action, late.id)
        assert stored is not None
        stored.due_date = TODAY - timedelta(days=2)
        session.add(stored)
        session.commit()
    escalation = raise_knelpunt(world, blocked(world, "Oud knelpunt"))
    backdate(world, escalation, 20)

    client = login("member")
    text = section(client.get(f"/teams/{world.team_of_teams.id}").text, "vastlopers")
    jeugd = section(text, f"vastlopers-{world.team.id}")
    assert "Steeds weer doorgeschoven" in jeugd and "3× doorgeschoven" in jeugd
    assert "Rapport" in jeugd and "Streefdatum voorbij" in jeugd
    assert "Oud knelpunt" in jeugd and "20 dagen open" in jeugd
    assert f'id="vastlopers-{world.other_team.id}"' not in text  # nothing stuck there
    assert 'id="vastlopers"' not in client.get(f"/teams/{world.team.id}").text


def test_reading_an_answer_that_is_not_there_yet_says_so(login, world: World):
    escalation = raise_knelpunt(world, blocked(world))
    client = login("member")
    page = client.post(
        f"/knelpunten/{escalation.id}/gelezen", data={"csrf_token": client.csrf_token}
    )
    assert page.status_code == 422 and "Dit knelpunt heeft nog geen antwoord." in page.text
    board = client.htmx(
        "POST", f"/teams/{world.team.id}/knelpunten/{escalation.id}/gelezen", data={}
    )
    assert board.status_code == 422 and "Dit knelpunt heeft nog geen antwoord." in board.text
    assert fetch(world, Escalation, escalation.id).acknowledged_at is None
