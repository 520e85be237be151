"""The team board page: columns, rows per ambition, cards, partials, other sprints, the team of
teams' lanes, and a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select, update

from app import clock
from app.db import writer
from app.models import Action, ActionStatus, Sprint, SprintCreate, utcnow
from app.services import sprints
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.board_support import add_action, add_ambition, card_html, raise_knelpunt


@pytest.fixture(autouse=True)
def this_year_is_the_tests_year(monkeypatch: pytest.MonkeyPatch) -> None:
    # dates show their year only when it is not this year's: keep "this year" the tests' year
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def test_the_board_has_the_four_columns_and_a_row_per_ambition_plus_one_without(
    login, world: World
):
    ambition = add_ambition(world, "Zorg dichtbij")
    add_ambition(world, "Werk voor iedereen")  # active, but no actions: its row stays hidden
    add_action(world, title="Bel de wijkteams", ambition_id=ambition.id)
    add_action(world, title="Agenda opstellen")

    page = login("member").get(f"/teams/{world.team.id}")

    assert page.status_code == 200
    text = page.text
    for heading in ("Te doen", "Bezig", "Klaar", "Geblokkeerd"):
        assert f">{heading} <" in text or f">{heading}<" in text
    assert f'id="lane-a{ambition.id}"' in text
    assert 'id="lane-zonder"' in text and "Zonder ambitie" in text
    rows = re.findall(r'<section id="lane-[^"]+" class="lane"[^>]*>', text)
    visible = [row for row in rows if " hidden" not in row]
    assert len(visible) == 2
    zorg = text.index(f'id="lane-a{ambition.id}"')
    assert zorg < text.index("Bel de wijkteams") < text.index('id="lane-zonder"')
    assert text.index('id="lane-zonder"') < text.index("Agenda opstellen")


def test_a_card_shows_its_owner_due_date_carry_over_and_blocked_reason(login, world: World):
    late = add_action(
        world,
        title="Rapport schrijven",
        owner_id=world.ids["lead"],
        due_date=date(2026, 11, 23),
        status=ActionStatus.blocked,
        blocked_reason="Wachten op cijfers van de GGD",
    )
    on_time = add_action(world, title="Overleg plannen", due_date=date(2026, 11, 30))

    text = login("member").get(f"/teams/{world.team.id}").text

    card = card_html(text, late.id)
    assert 'data-status="blocked"' in card
    assert "Lead" in card
    assert "streefdatum ma 23 nov. — " in card
    assert "te laat" in card  # overdue in words, not by colour alone
    assert "Wachten op cijfers van de GGD" in card and "Waarom geblokkeerd?" in card
    other = card_html(text, on_time.id)
    assert "streefdatum ma 30 nov." in other and "te laat" not in other
    assert "doorgeschoven" not in other


def test_a_carried_over_card_says_how_often(login, world: World):
    action = add_action(world, title="Blijft liggen")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        result = sprints.close_sprint(
            session=session,
            actor=world.access("admin"),
            sprint_id=world.sprint.id,
            today=world.today,
        )

    # closed early: the board still shows today's period; the card is in the next one
    url = f"/teams/{world.team.id}?sprint_id={result.next_sprint.id}"
    text = login("member").get(url).text

    assert "1× doorgeschoven" in card_html(text, action.id)


def test_members_get_the_write_controls_and_others_only_read(login, world: World):
    action = add_action(world)

    mine = login("member").get(f"/teams/{world.team.id}").text
    theirs = login("outsider").get(f"/teams/{world.team.id}").text

    assert "Actie toevoegen" in mine and f'id="action-{action.id}-acties"' in mine
    assert 'data-sortable="lane-zonder"' in mine
    menu = login("member").htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/menu")
    assert "Verplaats naar …" in menu.text and "Bewerken" in menu.text
    assert "Actie toevoegen" not in theirs and 'class="card__menu"' not in theirs
    assert "<form" not in card_html(theirs, action.id)
    outside = login("outsider").htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/menu")
    assert outside.status_code == 403
    assert "Je kunt dit bord lezen." in theirs and "Je kunt dit bord lezen." not in mine
    assert "Bel de wijkteams" in theirs


def test_an_htmx_request_for_the_board_gets_only_the_rows(login, world: World):
    add_action(world)
    response = login("member").htmx("GET", f"/teams/{world.team.id}")

    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    assert response.text.lstrip().startswith('<div id="bord"')
    assert "<html" not in response.text and "Actie toevoegen" not in response.text


def test_the_row_card_lanes_and_knelpunten_partials_are_single_blocks(login, world: World):
    ambition = add_ambition(world)
    action = add_action(world, ambition_id=ambition.id)
    client = login("member")
    query = f"?sprint_id={world.sprint.id}"

    row = client.htmx("GET", f"/teams/{world.team.id}/rijen/a{ambition.id}{query}")
    card = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart{query}")
    lanes = client.htmx("GET", f"/teams/{world.team_of_teams.id}/teams{query}")
    knelpunten = client.htmx("GET", f"/teams/{world.team.id}/knelpunten{query}")

    assert row.text.lstrip().startswith(f'<section id="lane-a{ambition.id}"')
    assert f'id="action-{action.id}"' in row.text
    assert card.text.lstrip().startswith(f'<li id="action-{action.id}"')
    assert lanes.text.lstrip().startswith('<section id="teams"')
    assert knelpunten.text.lstrip().startswith('<section id="knelpunten"')
    for response in (row, card, lanes, knelpunten):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["vary"]
        assert "<html" not in response.text


def test_a_partial_asked_for_without_htmx_is_the_whole_page(login, world: World):
    response = login("member").get(f"/teams/{world.team.id}/knelpunten")
    assert response.status_code == 200 and "<html" in response.text


def test_every_live_part_listens_for_its_own_named_event(login, world: World):
    ambition = add_ambition(world)
    action = add_action(world, ambition_id=ambition.id)
    text = login("member").get(f"/teams/{world.team_of_teams.id}").text
    live = f"/teams/{world.team_of_teams.id}/live?sprint_id={world.sprint.id}"
    assert f'data-sse-connect="{live}"' in text
    assert 'data-hx-trigger="sse:bord"' in text and 'data-hx-trigger="sse:lanes"' in text
    assert 'data-hx-trigger="sse:knelpunten"' in text and 'data-hx-trigger="sse:row-zonder"' in text

    board = login("member").get(f"/teams/{world.team.id}").text
    assert f'data-hx-trigger="sse:row-a{ambition.id}"' in board
    # a card has no stream event of its own: its row redraws it (fewer bytes per card)
    assert "sse:card-" not in board and f'id="action-{action.id}"' in board


def test_an_unknown_team_or_sprint_is_a_dutch_404(login, world: World):
    client = login("member")
    assert client.get("/teams/999").status_code == 404
    missing = client.get(f"/teams/{world.team.id}?sprint_id=999")
    assert missing.status_code == 404 and "Deze pagina bestaat niet" in missing.text


def _sprint(world: World, days_from_current: int) -> Sprint:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return sprints.create_sprint(
            session=session,
            actor=world.access("admin"),
            data=SprintCreate(
                start_date=world.sprint.start_date + timedelta(days=days_from_current)
            ),
        )


def _closed_previous_sprint(world: World, title: str) -> tuple[Sprint, Action]:
    """The sprint before today's with one action, closed as the rollover closes it."""
    earlier = _sprint(world, -14)
    action = add_action(world, title=title, sprint_id=earlier.id)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        session.exec(update(Sprint).where(Sprint.id == earlier.id).values(closed_at=utcnow()))
        session.commit()
    return earlier, action


def test_a_closed_sprint_is_read_only_and_says_so(login, world: World):
    earlier, _action = _closed_previous_sprint(world, "Oude actie")
    client = login("member")

    page = client.get(f"/teams/{world.team.id}?sprint_id={earlier.id}")

    assert page.status_code == 200
    assert "alleen lezen" in page.text and "Oude actie" in page.text
    assert "Deze periode is afgesloten" in page.text
    main = page.text[page.text.index("<main") :]
    assert 'method="post"' not in main
    assert "Actie toevoegen" not in main and "Verplaats naar" not in main
    assert f'href="/teams/{world.team.id}?sprint_id={world.sprint.id}"' in main  # next sprint
    assert f'href="/teams/{world.team.id}"' in main  # back to today's

    current = client.get(f"/teams/{world.team.id}").text
    assert f'href="/teams/{world.team.id}?sprint_id={earlier.id}"' in current
    assert "alleen lezen" not in current


def test_a_team_of_teams_shows_a_lane_per_child_team_with_counts(login, world: World):
    add_action(world, title="a")
    add_action(world, title="b")
    add_action(world, title="c", status=ActionStatus.doing)
    blocked = add_action(world, title="d", status=ActionStatus.blocked, blocked_reason="x")
    raise_knelpunt(world, blocked)

    text = login("member").get(f"/teams/{world.team_of_teams.id}").text

    lane = text[text.index(f'id="team-{world.team.id}"') :]
    assert f'href="/teams/{world.team.id}"' in lane[:300]
    assert "2 te doen, 1 bezig, 0 klaar, 1 geblokkeerd" in lane
    assert "1 open knelpunt" in lane
    other = text[text.index(f'id="team-{world.other_team.id}"') :]
    assert "0 te doen, 0 bezig, 0 klaar, 0 geblokkeerd" in other and "0 open knelpunten" in other
    assert "Staand overleg" in text


def _count_statements(world: World, client, url: str) -> int:
    client.get(url)  # a first visit may write (the session's last use); count the second
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", _count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(world.engine, "before_cursor_execute", _count)
    return len(statements)


def test_the_board_page_uses_as_many_queries_for_40_cards_as_for_5(login, world: World):
    first, second = add_ambition(world, "Eerste"), add_ambition(world, "Tweede", goal="Doel")
    client = login("member")
    url = f"/teams/{world.team.id}"
    people = ["member", "lead", "representative"]
    statuses = [ActionStatus.todo, ActionStatus.doing, ActionStatus.done]

    def fill(up_to: int) -> None:
        for n in range(up_to):
            add_action(
                world,
                title=f"Actie {n}",
                owner_id=world.ids[people[n % 3]],
                ambition_id=[first.id, second.id, None][n % 3],
                status=statuses[n % 3],
                due_date=date(2026, 11, 20 + n % 10),
            )

    fill(5)
    blocked = add_action(world, status=ActionStatus.blocked, blocked_reason="wacht")
    raise_knelpunt(world, blocked)
    few = _count_statements(world, client, url)
    fill(35)
    many = _count_statements(world, client, url)

    assert few == many, (few, many)


def test_a_row_address_that_is_no_row_is_not_found(login, world: World):
    client = login("member")
    assert client.htmx("GET", f"/teams/{world.team.id}/rijen/zonder").status_code == 200
    assert client.htmx("GET", f"/teams/{world.team.id}/rijen/a12").status_code == 200
    assert client.htmx("GET", f"/teams/{world.team.id}/rijen/x%22%3E").status_code == 404


def test_a_card_of_a_closed_sprint_never_opens_a_form(login, world: World):
    _earlier, action = _closed_previous_sprint(world, "Oude actie")
    response = login("member").htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/bewerken")
    assert response.status_code == 200
    assert "Oude actie" in response.text and 'name="title"' not in response.text


def test_a_team_plans_the_next_sprint_on_its_own_board(login, world: World):
    # which sprint takes changes is one rule (domain.sprints.write_problem): every open one
    following = _sprint(world, 14)
    client = login("member")

    page = client.get(f"/teams/{world.team.id}?sprint_id={following.id}")
    assert "alleen lezen" not in page.text and "Actie toevoegen" in page.text
    assert f'name="sprint_id" value="{following.id}"' in page.text

    added = client.post(
        f"/teams/{world.team.id}/acties",
        data={
            "csrf_token": client.csrf_token,
            "title": "Voorbereiden",
            "owner_id": str(world.ids["member"]),
            "sprint_id": str(following.id),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    with Session(world.engine) as session:
        planned = session.exec(select(Action).where(Action.title == "Voorbereiden")).one()
    assert planned.sprint_id == following.id
