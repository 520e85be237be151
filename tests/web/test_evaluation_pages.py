"""Evaluatie pages: a team writes its evaluation, the team of teams reads its teams', and the
wins show on the team of teams' board and on the ambition page."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from app.db import writer
from app.models import EVALUATION_TEXT_MAX, Evaluation, EvaluationWrite, Sprint
from app.services import evaluations
from tests.support.builders import World
from tests.web.board_support import add_ambition, count


def written(world: World, who: str = "member", team_id: int | None = None, **texts: str) -> None:
    with Session(writer(world.engine)) as session:
        evaluations.save_evaluation(
            session=session,
            actor=world.access(who),
            team_id=team_id or world.team.id,  # type: ignore[arg-type]
            sprint_id=world.sprint.id,  # type: ignore[arg-type]
            data=EvaluationWrite(**texts),
            today=world.today,
        )


def form(**texts: str) -> dict[str, str]:
    return {
        "goes_well": "",
        "vulnerable": "",
        "notably_absent": "",
        "highlights": "",
        "version": "0",
        **texts,
    }


def test_a_member_sees_the_form_in_the_feedback_order(login, world: World):
    page = login("member").get(f"/teams/{world.team.id}/evaluatie")
    assert page.status_code == 200
    text = page.text
    order = [
        text.index("Wat gaat goed"),
        text.index("Wat is kwetsbaar"),
        text.index("Wat is opvallend afwezig"),
        text.index("In het licht"),
    ]
    assert order == sorted(order)
    assert 'id="evaluatie-opslaan"' in text
    assert "Successen om te vieren. Schrijf er één per regel." in text
    assert f'<option value="{world.sprint.id}" selected>' in text


def test_saving_the_evaluation_redirects_and_shows_it(login, world: World):
    client = login("member")
    url = f"/teams/{world.team.id}/evaluatie?periode={world.sprint.id}"
    saved = client.post(
        url,
        data=form(
            csrf_token=client.csrf_token,
            goes_well="De intake loopt soepel.",
            highlights="Wachttijd gehalveerd\nNieuwe collega ingewerkt",
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("opgeslagen=1#evaluatie")
    page = client.get(saved.headers["location"]).text
    assert "De evaluatie is opgeslagen." in page
    assert "De intake loopt soepel." in page
    assert 'name="version" value="1"' in page


def test_a_too_long_part_is_a_422_with_its_message_and_the_text_kept(login, world: World):
    client = login("member")
    long = "x" * (EVALUATION_TEXT_MAX + 1)
    refused = client.post(
        f"/teams/{world.team.id}/evaluatie",
        data=form(csrf_token=client.csrf_token, vulnerable=long, goes_well="Blijft staan"),
    )
    assert refused.status_code == 422
    assert f"Maak wat kwetsbaar is korter: hoogstens {EVALUATION_TEXT_MAX} tekens." in refused.text
    assert 'aria-invalid="true"' in refused.text and "Blijft staan" in refused.text
    assert count(world, Evaluation) == 0


def test_a_save_on_an_old_version_keeps_the_text_and_shows_the_new_one(login, world: World):
    written(world, goes_well="Van een collega")
    client = login("member")
    stale = client.post(
        f"/teams/{world.team.id}/evaluatie",
        data=form(csrf_token=client.csrf_token, goes_well="Mijn versie", version="0"),
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft deze evaluatie intussen opgeslagen." in stale.text
    assert "Mijn versie" in stale.text and "Van een collega" in stale.text
    # the form now carries the version it saw, so saving again overwrites on purpose
    assert 'name="version" value="1"' in stale.text


def test_someone_outside_the_team_reads_but_gets_no_form(login, world: World):
    written(world, goes_well="Zichtbaar voor iedereen", highlights="Succes")
    page = login("outsider").get(f"/teams/{world.team.id}/evaluatie").text
    assert "Zichtbaar voor iedereen" in page and "<li>Succes</li>" in page
    assert 'id="evaluatie-opslaan"' not in page
    assert "Alleen leden van het team kunnen de evaluatie schrijven." in page
    client = login("outsider")
    refused = client.post(
        f"/teams/{world.team.id}/evaluatie", data=form(csrf_token=client.csrf_token, goes_well="x")
    )
    assert refused.status_code == 403


def test_a_past_sprint_is_chosen_with_periode(login, world: World):
    with Session(world.engine, expire_on_commit=False) as session:
        earlier = Sprint(
            start_date=world.sprint.start_date - timedelta(days=14),
            end_date=world.sprint.start_date - timedelta(days=1),
        )
        session.add(earlier)
        session.commit()
    page = login("member").get(f"/teams/{world.team.id}/evaluatie?periode={earlier.id}").text
    assert f'<option value="{earlier.id}" selected>' in page
    assert f'action="/teams/{world.team.id}/evaluatie?periode={earlier.id}"' in page


def test_the_team_of_teams_reads_every_teams_evaluation(login, world: World):
    written(world, goes_well="Jeugd: intake loopt", highlights="Jeugd viert iets")
    page = login("outsider").get(f"/teams/{world.team_of_teams.id}/evaluaties").text
    jeugd = page[page.index(f'id="evaluatie-team-{world.team.id}"') :]
    assert "Jeugd: intake loopt" in jeugd
    werk = page[page.index(f'id="evaluatie-team-{world.other_team.id}"') :]
    assert "Nog niet geëvalueerd." in werk
    assert "1 van de 2 teams heeft deze periode geëvalueerd." in page


def test_the_team_board_links_to_its_evaluation(login, world: World):
    board = login("member").get(f"/teams/{world.team.id}").text
    assert f'href="/teams/{world.team.id}/evaluatie?periode={world.sprint.id}"' in board
    assert 'id="in-het-licht"' not in board  # only on a team of teams


def test_the_team_of_teams_board_loads_its_wall_of_wins(login, world: World):
    written(world, highlights="Wachtlijst Wmo weggewerkt")
    client = login("member")
    board = client.get(f"/teams/{world.team_of_teams.id}").text
    assert 'id="in-het-licht"' in board
    assert f'data-hx-get="/teams/{world.team_of_teams.id}/in-het-licht"' in board
    assert f'href="/teams/{world.team_of_teams.id}/evaluaties?periode={world.sprint.id}"' in board
    # HTMX gets the wall itself, a plain request a page around it
    wall = client.htmx("GET", f"/teams/{world.team_of_teams.id}/in-het-licht").text
    assert wall.lstrip().startswith("<link") and "<html" not in wall
    assert "Wachtlijst Wmo weggewerkt" in wall and "Jeugd" in wall
    page = client.get(f"/teams/{world.team_of_teams.id}/in-het-licht").text
    assert "<h1" in page and "Wachtlijst Wmo weggewerkt" in page


def test_the_ambition_page_shows_the_wins_of_its_teams(login, world: World):
    ambition = add_ambition(world, title="Sneller helpen")
    written(world, highlights="Eerste gesprek binnen vijf dagen")
    written(world, "outsider", team_id=world.other_team.id, highlights="Niet van deze ambitie")
    client = login("member")
    page = client.get(f"/ambities/{ambition.id}").text
    assert f'data-hx-get="/ambities/{ambition.id}/in-het-licht"' in page
    wall = client.htmx("GET", f"/ambities/{ambition.id}/in-het-licht").text
    assert "Eerste gesprek binnen vijf dagen" in wall
    assert "Niet van deze ambitie" not in wall


def test_no_wins_yet_says_where_they_come_from(login, world: World):
    wall = login("member").htmx("GET", f"/teams/{world.team_of_teams.id}/in-het-licht").text
    assert "Nog geen successen." in wall
