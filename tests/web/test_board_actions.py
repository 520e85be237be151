"""Adding, editing, moving and deleting actions on the board: as plain forms and with HTMX,
with Dutch messages, stale copies refused and outsiders refused."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import clock
from app.models import Action, ActionStatus
from app.queries.boards import column_order
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.board_support import (
    add_action,
    add_ambition,
    card_html,
    change_action,
    count,
    fetch,
    goal_of,
    menu_html,
)

# --- adding ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def this_year_is_the_tests_year(monkeypatch: pytest.MonkeyPatch) -> None:
    # dates show their year only when it is not this year's: keep "this year" the tests' year
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def test_adding_an_action_with_a_plain_form_redirects_back_to_the_board(login, world: World):
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties",
        data={
            "csrf_token": client.csrf_token,
            "title": "Wijkavond voorbereiden",
            "owner_id": str(world.ids["lead"]),
            "due_date": "2026-12-01",
            "doel": "",
            "description": "Met de buurtcoaches",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/teams/{world.team.id}#action-")
    board = client.get(f"/teams/{world.team.id}").text
    assert "Wijkavond voorbereiden" in board and "streefdatum di 1 dec." in board


def test_adding_an_action_with_htmx_answers_its_row_a_fresh_form_and_a_melding(login, world: World):
    ambition = add_ambition(world, goal="Tien gezinnen bereikt")
    goal = goal_of(world, ambition)
    client = login("member")

    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties",
        data={
            "title": "Gezinnen bellen",
            "owner_id": str(world.ids["member"]),
            "doel": f"g{goal.id}",
        },
    )

    assert response.status_code == 200
    assert response.headers["hx-retarget"] == f"#lane-a{ambition.id}"
    assert response.text.lstrip().startswith(f'<section id="lane-a{ambition.id}"')
    assert "Gezinnen bellen" in response.text
    assert 'id="actie-toevoegen"' in response.text and 'data-hx-swap-oob="true"' in response.text
    assert 'data-hx-swap-oob="innerHTML:#meldingen"' in response.text
    assert "is toegevoegd" in response.text
    created = fetch(world, Action, 1)
    assert created.goal_id == goal.id and created.ambition_id == ambition.id  # goal implies it


def test_adding_an_action_without_a_title_re_renders_the_form_with_a_dutch_message(
    login, world: World
):
    client = login("member")
    plain = client.post(
        f"/teams/{world.team.id}/acties",
        data={"csrf_token": client.csrf_token, "title": "  ", "owner_id": "", "due_date": "morgen"},
    )
    htmx = client.htmx("POST", f"/teams/{world.team.id}/acties", data={"title": ""})

    assert plain.status_code == 422 and htmx.status_code == 422
    assert "<html" in plain.text and "<html" not in htmx.text
    for response in (plain, htmx):
        assert "Vul een titel in." in response.text
        assert "Kies een eigenaar." in response.text
        assert 'aria-invalid="true"' in response.text
    assert "Vul een geldige datum in" in plain.text
    assert htmx.text.lstrip().startswith('<section id="actie-toevoegen"')
    assert count(world, Action) == 0


def test_an_owner_from_outside_the_team_is_refused_with_the_services_message(login, world: World):
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties",
        data={"title": "Iets", "owner_id": str(world.ids["outsider"])},
    )
    assert response.status_code == 422
    assert "De eigenaar moet lid zijn van het team." in response.text
    assert count(world, Action) == 0


def test_someone_outside_the_team_cannot_add_an_action(login, world: World):
    client = login("outsider")
    plain = client.post(
        f"/teams/{world.team.id}/acties",
        data={
            "csrf_token": client.csrf_token,
            "title": "Iets",
            "owner_id": str(world.ids["outsider"]),
        },
    )
    htmx = client.htmx("POST", f"/teams/{world.team.id}/acties", data={"title": "Iets"})
    assert plain.status_code == 403 and htmx.status_code == 403
    assert "Dit mag je niet doen" in plain.text
    assert count(world, Action) == 0


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(login, world: World):
    action = add_action(world)
    client = login("member")
    added = client.post(
        f"/teams/{world.team.id}/acties",
        data={"title": "Iets", "owner_id": str(world.ids["member"])},
    )
    moved = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "done", "version": "1", "csrf_token": "wrong"},
    )
    assert added.status_code == 403 and moved.status_code == 403
    assert count(world, Action) == 1
    assert fetch(world, Action, action.id).status == ActionStatus.todo


# --- editing -----------------------------------------------------------------------------------


def test_edit_in_place_turns_the_card_into_a_form_and_back(login, world: World):
    action = add_action(world, description="Eerst de lijst")
    client = login("member")

    form = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/bewerken")
    assert form.status_code == 200
    assert form.text.lstrip().startswith(f'<li id="action-{action.id}"')
    assert 'name="version" value="1"' in form.text and "Opslaan" in form.text
    assert "Annuleren" in form.text and "Eerst de lijst" in form.text

    saved = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}",
        data={
            "version": "1",
            "title": "Bel alle wijkteams",
            "owner_id": str(world.ids["lead"]),
            "due_date": "2026-12-04",
            "doel": "",
            "description": "",
        },
    )
    assert saved.status_code == 200
    assert saved.headers["hx-retarget"] == f"#action-{action.id}"
    assert "Bel alle wijkteams" in saved.text and "streefdatum vr 4 dec." in saved.text
    assert 'name="title"' not in saved.text  # the card again, not the form
    assert "is opgeslagen" in saved.text
    stored = fetch(world, Action, action.id)
    assert (stored.title, stored.owner_id, stored.version) == (
        "Bel alle wijkteams",
        world.ids["lead"],
        2,
    )

    cancel = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart")
    assert f'id="action-{action.id}-acties"' in cancel.text  # the card with its menu button
    assert 'name="title"' not in cancel.text


def test_editing_without_javascript_shows_the_board_with_the_form_and_redirects_after_saving(
    login, world: World
):
    action = add_action(world)
    client = login("member")

    page = client.get(f"/teams/{world.team.id}/acties/{action.id}/bewerken")
    assert page.status_code == 200 and "<html" in page.text
    card = card_html(page.text, action.id)
    assert 'name="title"' in card and 'value="Bel de wijkteams"' in card

    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}",
        data={
            "csrf_token": client.csrf_token,
            "version": "1",
            "title": "Nieuwe titel",
            "owner_id": str(world.ids["member"]),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/teams/{world.team.id}#action-{action.id}"
    assert fetch(world, Action, action.id).title == "Nieuwe titel"


def test_an_edit_with_an_empty_title_is_refused_with_the_form_and_a_dutch_message(
    login, world: World
):
    action = add_action(world)
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}",
        data={"version": "1", "title": "", "owner_id": str(world.ids["member"])},
    )
    assert response.status_code == 422
    assert "Vul een titel in." in response.text and 'name="title"' in response.text
    assert fetch(world, Action, action.id).title == "Bel de wijkteams"


def test_an_edit_on_a_stale_copy_keeps_what_was_typed_beside_the_new_version(login, world: World):
    action = add_action(world)
    change_action(world, action, who="lead", title="Door de trekker aangepast")
    client = login("member")

    for response in (
        client.htmx(
            "POST",
            f"/teams/{world.team.id}/acties/{action.id}",
            data={"version": "1", "title": "Mijn versie", "owner_id": str(world.ids["member"])},
        ),
        client.post(
            f"/teams/{world.team.id}/acties/{action.id}",
            data={
                "csrf_token": client.csrf_token,
                "version": "1",
                "title": "Mijn versie",
                "owner_id": str(world.ids["member"]),
            },
        ),
    ):
        assert response.status_code == 409
        card = card_html(response.text, action.id)
        assert (
            "Deze actie is intussen gewijzigd door Lead. "
            "Bekijk de nieuwe versie en probeer het opnieuw."
        ) in card
        # nothing typed is lost: the form keeps it, the new version stands beside it
        assert 'value="Mijn versie"' in card
        theirs = card[card.index('class="card__theirs"') :]
        assert "Door de trekker aangepast" in theirs[: theirs.index("</section>")]
        assert 'name="version" value="2"' in card  # saving again goes on top of the new one
        assert "Mijn wijziging opslaan" in card
    stored = fetch(world, Action, action.id)
    assert stored.title == "Door de trekker aangepast" and stored.version == 2

    applied = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}",
        data={"version": "2", "title": "Mijn versie", "owner_id": str(world.ids["member"])},
    )
    assert applied.status_code == 200
    assert fetch(world, Action, action.id).title == "Mijn versie"


def test_moving_a_card_to_another_ambition_redraws_both_rows(login, world: World):
    first, second = add_ambition(world, "Eerste"), add_ambition(world, "Tweede")
    action = add_action(world, ambition_id=first.id)
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}",
        data={
            "version": "1",
            "title": "Bel",
            "owner_id": str(world.ids["member"]),
            "doel": f"a{second.id}",
        },
    )
    assert response.status_code == 200
    assert response.headers["hx-retarget"] == f"#lane-a{first.id}"
    assert response.text.lstrip().startswith(f'<section id="lane-a{first.id}"')
    assert f'<section id="lane-a{second.id}"' in response.text
    assert fetch(world, Action, action.id).ambition_id == second.id


def test_someone_outside_the_team_cannot_edit_or_open_the_edit_form(login, world: World):
    action = add_action(world)
    client = login("outsider")
    assert (
        client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/bewerken").status_code == 403
    )
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}",
        data={"version": "1", "title": "Gekaapt", "owner_id": str(world.ids["outsider"])},
    )
    assert response.status_code == 403
    assert fetch(world, Action, action.id).title == "Bel de wijkteams"


def test_an_action_of_another_team_is_not_found_under_this_team(login, world: World):
    action = add_action(world, who="outsider", team_id=world.other_team.id)
    client = login("member")
    assert client.get(f"/teams/{world.team.id}/acties/{action.id}/kaart").status_code == 404


# --- moving ------------------------------------------------------------------------------------


def test_verplaats_naar_moves_a_card_and_answers_its_row_with_htmx(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "doing", "version": "1"},
    )
    assert response.status_code == 200
    assert response.headers["hx-retarget"] == "#lane-zonder"
    row = response.text
    assert row.lstrip().startswith('<section id="lane-zonder"')
    assert 'data-status="doing"' in card_html(row, action.id)
    assert "staat nu bij Bezig" in row
    assert fetch(world, Action, action.id).status == ActionStatus.doing


def test_verplaats_naar_works_as_a_plain_form(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"csrf_token": client.csrf_token, "status": "done", "version": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert fetch(world, Action, action.id).status == ActionStatus.done


def test_moving_to_geblokkeerd_without_a_reason_asks_for_it(login, world: World):
    action = add_action(world)
    client = login("member")

    plain = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"csrf_token": client.csrf_token, "status": "blocked", "version": "1"},
    )
    htmx = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "blocked", "version": "1", "blocked_reason": "  "},
    )

    for response in (plain, htmx):
        assert response.status_code == 422
        card = card_html(response.text, action.id)
        assert "Geef aan waarom de actie geblokkeerd is." in card
        assert 'name="blocked_reason" rows="2" required' in card  # the reason field shows
        assert '<input type="hidden" name="status" value="blocked">' in card
        assert ">Naar Geblokkeerd</button>" in card
    assert htmx.headers["hx-retarget"] == f"#action-{action.id}"
    assert fetch(world, Action, action.id).status == ActionStatus.todo


def test_moving_to_geblokkeerd_with_a_reason_blocks_the_action(login, world: World):
    action = add_action(world)
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "blocked", "version": "1", "blocked_reason": "Geen budget"},
    )
    assert response.status_code == 200
    assert "Geen budget" in card_html(response.text, action.id)
    stored = fetch(world, Action, action.id)
    assert stored.status == ActionStatus.blocked and stored.blocked_reason == "Geen budget"


def test_a_drop_between_two_cards_places_the_card_there(login, world: World):
    first = add_action(world, title="een", status=ActionStatus.doing)
    second = add_action(world, title="twee", status=ActionStatus.doing)
    dragged = add_action(world, title="drie")
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{dragged.id}/verplaatsen",
        data={"status": "doing", "version": "1", "voor": str(second.id), "na": str(first.id)},
    )
    assert response.status_code == 200
    order = [fetch(world, Action, a.id) for a in (first, dragged, second)]
    assert [a.position for a in order] == [0, 1, 2]
    assert response.text.index("een") < response.text.index("drie") < response.text.index("twee")


def test_a_move_on_a_stale_copy_is_refused_and_shows_who_changed_it(login, world: World):
    action = add_action(world)
    change_action(world, action, who="representative", title="Aangepast")
    response = login("member").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "done", "version": "1"},
    )
    assert response.status_code == 409
    assert "intussen gewijzigd door Representative" in response.text
    assert fetch(world, Action, action.id).status == ActionStatus.todo


def test_someone_outside_the_team_cannot_move_a_card(login, world: World):
    action = add_action(world)
    response = login("outsider").htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"status": "done", "version": "1"},
    )
    assert response.status_code == 403
    assert fetch(world, Action, action.id).status == ActionStatus.todo


# --- deleting ----------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_first(login, world: World):
    action = add_action(world)
    client = login("member")
    partial = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/verwijderen")
    page = client.get(f"/teams/{world.team.id}/acties/{action.id}/verwijderen")
    for response in (partial, page):
        assert response.status_code == 200
        assert "Weet je zeker dat je deze actie wilt verwijderen?" in response.text
        assert "Ja, verwijderen" in response.text
    assert count(world, Action) == 1


def test_deleting_with_htmx_redraws_the_row_without_the_card(login, world: World):
    action = add_action(world)
    response = login("member").htmx(
        "POST", f"/teams/{world.team.id}/acties/{action.id}/verwijderen", data={"version": "1"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="lane-zonder"')
    assert f'id="action-{action.id}"' not in response.text
    assert "is verwijderd" in response.text
    assert count(world, Action) == 0


def test_deleting_with_a_plain_form_redirects_to_the_board(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/verwijderen",
        data={"csrf_token": client.csrf_token, "version": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and count(world, Action) == 0


def test_someone_outside_the_team_cannot_delete(login, world: World):
    action = add_action(world)
    client = login("outsider")
    assert (
        client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/verwijderen").status_code
        == 403
    )
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/verwijderen",
        data={"csrf_token": client.csrf_token, "version": "1"},
    )
    assert response.status_code == 403 and count(world, Action) == 1


def test_a_representative_writes_on_the_team_of_teams_board(login, world: World):
    client = login("representative")
    response = client.htmx(
        "POST",
        f"/teams/{world.team_of_teams.id}/acties",
        data={"title": "Agenda overleg", "owner_id": str(world.ids["representative"])},
    )
    assert response.status_code == 200
    assert fetch(world, Action, 1).team_id == world.team_of_teams.id


def test_annuleren_brings_focus_back_to_the_card_but_a_live_redraw_does_not_take_it(
    login, world: World
):
    action = add_action(world)
    client = login("member")
    back = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart?terug=1")
    live = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/kaart")
    assert "autofocus" in back.text
    assert "autofocus" not in live.text


def test_geblokkeerd_from_the_menu_asks_why_before_anything_is_saved(login, world: World):
    action = add_action(world)
    client = login("member")

    form = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/blokkeren")

    assert form.status_code == 200
    assert 'name="blocked_reason" rows="2" required' in form.text
    assert '<input type="hidden" name="status" value="blocked">' in form.text
    assert fetch(world, Action, action.id).status == ActionStatus.todo


def test_the_move_menu_names_every_target_and_preselects_none(login, world: World):
    # one stray click must not move a card: each target is its own, named button
    action = add_action(world)
    card = menu_html(login("member"), world.team.id, action.id)
    for status in ("doing", "done"):
        assert f'name="status" value="{status}"' in card
    assert 'value="todo"' not in card  # not to where it already is
    assert f'href="/teams/{world.team.id}/acties/{action.id}/blokkeren"' in card
    assert "selected" not in card


def test_a_move_offers_the_way_back_to_where_the_card_stood(login, world: World):
    above = add_action(world, title="Boven")
    action = add_action(world, title="Midden")
    below = add_action(world, title="Onder")
    client = login("member")

    moved = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"version": "1", "status": "doing"},
    )
    assert moved.status_code == 200
    melding = moved.text[moved.text.index('data-hx-swap-oob="innerHTML:#meldingen"') :]
    assert "Ongedaan maken" in melding
    assert '<input type="hidden" name="status" value="todo">' in melding
    assert '<input type="hidden" name="version" value="2">' in melding
    assert f'<input type="hidden" name="voor" value="{below.id}">' in melding

    back = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/verplaatsen",
        data={"version": "2", "status": "todo", "blocked_reason": "", "voor": str(below.id)},
    )
    assert back.status_code == 200
    assert fetch(world, Action, action.id).status == ActionStatus.todo
    with Session(world.engine) as session:
        column = column_order(
            session, team_id=world.team.id, sprint_id=world.sprint.id, status=ActionStatus.todo
        )
    assert column.index(above.id) < column.index(action.id) < column.index(below.id)
