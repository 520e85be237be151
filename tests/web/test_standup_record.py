"""Recording a stand-up in the browser without JavaScript: attendees per office, times typed as
minutes:seconds, decisions that become an action or an answer; past records readable."""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import writer
from app.models import Action, Escalation, EscalationStatus, Location, StandupRecord, User
from tests.support.builders import World
from tests.web.board_support import add_action, count, fetch, raise_knelpunt


def base(world: World) -> str:
    return f"/teams/{world.team_of_teams.id}/staand-overleg"


def offices(world: World) -> None:
    with Session(writer(world.engine)) as session:
        alphen, baarle = Location(name="Alphen"), Location(name="Baarle-Nassau")
        session.add_all([alphen, baarle])
        session.flush()
        session.get(User, world.users["representative"].id).location_id = alphen.id  # type: ignore[union-attr]
        session.get(User, world.users["admin"].id).location_id = baarle.id  # type: ignore[union-attr]
        session.commit()


def test_the_form_lists_attendees_per_office_and_the_teams_in_order(login, world: World):
    offices(world)
    client = login("representative")
    page = client.get(
        f"{base(world)}/verslag?volgorde={world.other_team.id}&volgorde={world.team.id}"
    )
    assert page.status_code == 200
    text = page.text
    assert "<legend>Alphen</legend>" in text
    assert f'id="aanwezig-{world.users["representative"].id}"' in text
    teams = [
        text.index("1. Tijd voor Team van teams"),
        text.index("2. Tijd voor Werk"),
        text.index("3. Tijd voor Jeugd"),
    ]
    assert teams == sorted(teams)
    assert 'data-standup-key="1:2026-11-25"' in text and "/static/js/standup_record.js" in text


def test_the_stand_up_screen_links_to_the_record_with_its_order(login, world: World):
    url = f"{base(world)}?volgorde={world.other_team.id}&volgorde={world.team.id}&team=2"
    text = login("representative").get(url).text
    assert (
        f'href="{base(world)}/verslag?volgorde={world.other_team.id}&amp;volgorde={world.team.id}"'
        in text
    )
    assert "Verslag vastleggen" in text
    # someone who cannot record does not get the link
    assert "Verslag vastleggen" not in login("member").get(url).text


def test_a_member_of_a_child_team_cannot_open_the_form(login, world: World):
    assert login("member").get(f"{base(world)}/verslag").status_code == 403
    assert login("member").get(f"/teams/{world.team.id}/staand-overleg/verslag").status_code == 404


def test_saving_a_record_makes_the_action_and_answers_the_knelpunt(login, world: World):
    offices(world)
    knelpunt = raise_knelpunt(world, add_action(world, title="Budget voor de pilot"))
    client = login("representative")
    saved = client.post(
        f"{base(world)}/verslagen",
        data={
            "csrf_token": client.csrf_token,
            "held_on": "2026-11-25",
            "attendee_ids": [str(world.users["representative"].id)],
            "turn_team": [
                str(world.team_of_teams.id),
                str(world.team.id),
                str(world.other_team.id),
            ],
            "turn_time": ["1:30", "2:05", ""],
            "decision_text": ["Werkbezoek plannen", "Budget komt uit de post innovatie.", ""],
            "decision_target": [
                f"eigenaar:{world.users['representative'].id}",
                f"knelpunt:{knelpunt.id}",
                "",
            ],
            "notes": "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"]).text
    assert "Het verslag is opgeslagen." in page
    assert "Alphen" in page and world.users["representative"].name in page
    assert "1:30" in page and "2:05" in page and "3:35" in page  # the total
    assert "Werd een actie" in page and "Werkbezoek plannen" in page
    assert "Antwoord op het knelpunt van Jeugd" in page
    assert fetch(world, Escalation, knelpunt.id).status == EscalationStatus.resolved
    with Session(world.engine) as session:
        action = session.exec(select(Action).where(Action.title == "Werkbezoek plannen")).one()
        assert action.team_id == world.team_of_teams.id
        record = session.exec(select(StandupRecord)).one()
        assert len(record.notes) == 0
    listing = client.get(f"{base(world)}/verslagen").text
    assert "Overleg van 25 november" in listing and "3 besluiten" not in listing
    assert "2 besluiten" in listing and "2 teams" in listing


def test_a_bad_time_shows_the_form_again_and_stores_nothing(login, world: World):
    client = login("representative")
    refused = client.post(
        f"{base(world)}/verslagen",
        data={
            "csrf_token": client.csrf_token,
            "turn_team": [str(world.team.id)],
            "turn_time": ["twee minuten"],
            "decision_text": ["Blijft staan"],
            "decision_target": [""],
        },
    )
    assert refused.status_code == 422
    assert "Vul de tijd in als minuten:seconden, bijvoorbeeld 2:30." in refused.text
    assert "twee minuten" in refused.text and "Blijft staan" in refused.text
    assert count(world, StandupRecord) == 0


def test_a_refused_decision_keeps_every_line_and_stores_nothing(login, world: World):
    knelpunt = raise_knelpunt(world, add_action(world, title="Budget"))
    client = login("representative")
    refused = client.post(
        f"{base(world)}/verslagen",
        data={
            "csrf_token": client.csrf_token,
            "decision_text": ["Antwoord", "Actie voor iemand buiten het bord"],
            "decision_target": [f"knelpunt:{knelpunt.id}", f"eigenaar:{world.users['member'].id}"],
        },
    )
    assert refused.status_code == 422
    assert "De eigenaar moet lid zijn van het team." in refused.text
    assert count(world, StandupRecord) == 0
    assert fetch(world, Escalation, knelpunt.id).status == EscalationStatus.open


def test_past_records_are_readable_by_everyone(login, world: World):
    client = login("representative")
    client.post(
        f"{base(world)}/verslagen",
        data={"csrf_token": client.csrf_token, "notes": "Kort overleg"},
        follow_redirects=False,
    )
    reader = login("outsider")
    listing = reader.get(f"{base(world)}/verslagen").text
    assert "Overleg van 25 november" in listing and "Nieuw verslag" not in listing
    with Session(world.engine) as session:
        record = session.exec(select(StandupRecord)).one()
    page = reader.get(f"{base(world)}/verslagen/{record.id}")
    assert page.status_code == 200 and "Kort overleg" in page.text
    elsewhere = reader.get(f"/teams/{world.team.id}/staand-overleg/verslagen/{record.id}")
    assert elsewhere.status_code == 404


def test_a_decision_that_looks_like_a_citizens_data_asks_first(login, world: World):
    client = login("representative")
    body = {
        "csrf_token": client.csrf_token,
        "decision_text": ["Bel de inwoner met BSN 123456782 terug"],
        "decision_target": [f"eigenaar:{world.users['representative'].id}"],
    }
    asked = client.post(f"{base(world)}/verslagen", data=body)
    assert asked.status_code == 422
    assert 'name="confirm_personal_data"' in asked.text
    assert count(world, StandupRecord) == 0
    saved = client.post(
        f"{base(world)}/verslagen",
        data={**body, "confirm_personal_data": "1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert count(world, StandupRecord) == 1
