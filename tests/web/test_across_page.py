"""Overzicht (/overzicht): everything blocked, late or escalated across teams, filtered by plain
GET parameters; a value the lists do not offer answers 422 with a Dutch message at its field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app.db import writer
from app.models import Action, ActionStatus, Escalation
from tests.support.builders import World

LATE = date(2026, 11, 20)


def add(world: World, title: str, **fields) -> Action:
    fields.setdefault("team_id", world.team.id)
    fields.setdefault("owner_id", world.users["member"].id)
    fields.setdefault("sprint_id", world.sprint.id)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = Action(title=title, **fields)
        session.add(action)
        session.commit()
        return action


def item_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="overzicht-actie-(\d+)"', html)]


def test_the_overview_is_in_the_menu_and_lists_what_needs_attention(login, world: World):
    blocked = add(world, "Huisbezoeken", status="blocked", blocked_reason="Geen auto")
    late = add(world, "Rapport <b>schrijven</b>", status="doing", due_date=LATE)
    add(world, "Gewoon bezig", status="doing")
    escalated = add(
        world, "Opgeschaald", team_id=world.other_team.id, owner_id=world.ids["outsider"]
    )
    with Session(writer(world.engine)) as session:
        session.add(
            Escalation(
                action_id=escalated.id,
                from_team_id=world.other_team.id,
                to_team_id=world.team_of_teams.id,
                note="Besluit nodig over budget",
                raised_by_id=world.ids["outsider"],
            )
        )
        session.commit()

    # reading is open inside the organisation: someone of another team sees it all
    response = login("outsider").get("/overzicht")

    assert response.status_code == 200
    text = response.text
    assert '<a href="/overzicht" aria-current="page">Overzicht</a>' in text
    assert item_ids(text) == [late.id, blocked.id, escalated.id]
    assert f'href="/teams/{world.team.id}/acties/{blocked.id}"' in text
    assert "Geen auto" in text and "Besluit nodig over budget" in text
    assert "Rapport &lt;b&gt;schrijven&lt;/b&gt;" in text  # escaped
    assert "Te laat" in text and "Geblokkeerd" in text and "Knelpunt" in text
    assert "3 acties" in text


def test_the_filters_are_plain_get_parameters(login, world: World):
    add(world, "Van Jeugd", status="blocked", blocked_reason="Wacht")
    werk = add(
        world, "Van Werk", status="blocked", blocked_reason="Wacht", team_id=world.other_team.id
    )

    text = login("member").get(f"/overzicht?team={world.other_team.id}&status=blocked&zoek=").text

    assert item_ids(text) == [werk.id]
    assert f'<option value="{world.other_team.id}" selected>Werk</option>' in text
    assert '<option value="blocked" selected>Geblokkeerd</option>' in text
    assert 'href="/overzicht">Filters wissen' in text


def test_search_finds_a_word_of_the_title(login, world: World):
    found = add(world, "Woningen voor statushouders", status="blocked", blocked_reason="Wacht")
    add(world, "Iets anders", status="blocked", blocked_reason="Wacht")
    text = login("member").get("/overzicht", params={"zoek": '"woning*'}).text
    assert item_ids(text) == [found.id]
    assert 'value="&#34;woning*"' in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("team=abc", "team", "Kies een team uit de lijst."),
        ("team=999999", "team", "Kies een team uit de lijst."),
        ("eigenaar=-1", "eigenaar", "Kies een eigenaar uit de lijst."),
        ("ambitie=1", "ambitie", "Kies een ambitie uit de lijst."),
        ("gemeente=99999999999999999999999", "gemeente", "Kies een gemeente of vestiging uit"),
        ("status=kapot", "status", "Kies een status uit de lijst."),
        ("zoek=" + "a" * 201, "zoek", "Zoek met hoogstens 200 tekens."),
        ("zoek=%21%21%21", "zoek", "Zoek op een woord of een getal."),
        ("team=%C2%B2", "team", "Kies een team uit de lijst."),
    ],
)
def test_a_bad_filter_value_answers_422_with_a_dutch_message_at_its_field(
    login, world: World, query: str, field: str, message: str
):
    response = login("member").get(f"/overzicht?{query}")
    assert response.status_code == 422
    assert message in response.text
    assert f'href="#filter-{field}"' in response.text  # the summary links to the field
    assert f'aria-describedby="fout-{field}"' in response.text
    assert "<title>Fout: Overzicht" in response.text


def test_without_logging_in_the_overview_asks_to_log_in(app_for_pages, world: World):
    from fastapi.testclient import TestClient

    with TestClient(app_for_pages) as client:
        response = client.get("/overzicht?team=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/overzicht")


def fill(world: World, count: int) -> None:
    teams = [world.team.id, world.other_team.id, world.team_of_teams.id]
    with Session(writer(world.engine)) as session:
        for number in range(count):
            session.add(
                Action(
                    title=f"Woning {number}",
                    team_id=teams[number % 3],
                    owner_id=world.ids["member"],
                    sprint_id=world.sprint.id,
                    status=ActionStatus.blocked if number % 2 else ActionStatus.doing,
                    blocked_reason="Wacht" if number % 2 else None,
                    due_date=None if number % 2 else LATE,
                )
            )
        session.commit()


def statements_for_page(client, world: World, url: str) -> tuple[int, str]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(world.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements), response.text


def test_the_whole_page_answers_in_the_same_number_of_queries_for_5_or_50_actions(
    login, world: World
):
    client = login("member")
    url = f"/overzicht?zoek=woning&eigenaar={world.ids['member']}"
    client.get(url)  # the first visit may make the current sprint
    fill(world, 5)
    small, text = statements_for_page(client, world, url)
    assert len(item_ids(text)) == 5
    fill(world, 45)
    large, text = statements_for_page(client, world, url)
    assert len(item_ids(text)) == 50
    assert large == small, (small, large)
