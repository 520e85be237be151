"""Knelpunten (escalate from a blocked card, resolve on the team of teams' board), and a card's
detail with reacties and history."""

from __future__ import annotations

from app.models import Action, ActionStatus, Comment, Escalation, EscalationStatus
from tests.support.builders import World
from tests.web.board_support import (
    add_action,
    add_ambition,
    card_html,
    change_action,
    comments_on,
    count,
    fetch,
    menu_html,
    raise_knelpunt,
    section,
)


def blocked_action(world: World) -> Action:
    return add_action(
        world, title="Huisbezoeken", status=ActionStatus.blocked, blocked_reason="Geen auto"
    )


# --- escalating --------------------------------------------------------------------------------


def test_every_unfinished_card_without_an_open_knelpunt_offers_opschalen(login, world: World):
    # one rule (domain.actions.escalation_problem) for the page and the service: help, a
    # decision or capacity can be needed before an action is blocked
    blocked = blocked_action(world)
    open_one = add_action(world, title="Gewoon")
    done = add_action(world, title="Klaar", status=ActionStatus.done)
    raised = add_action(world, title="Al opgeschaald")
    raise_knelpunt(world, raised)
    client = login("member")
    assert "Opschalen" in menu_html(client, world.team.id, blocked.id)
    assert "Opschalen" in menu_html(client, world.team.id, open_one.id)
    assert "Opschalen" not in menu_html(client, world.team.id, done.id)
    assert "Opschalen" not in menu_html(client, world.team.id, raised.id)


def test_opschalen_shows_a_note_form_and_raises_the_knelpunt(login, world: World):
    action = blocked_action(world)
    client = login("member")

    form = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}/opschalen")
    assert form.status_code == 200 and 'name="note"' in form.text

    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"note": "We hebben een dienstauto nodig."},
    )

    assert response.status_code == 200
    assert response.headers["hx-retarget"] == f"#action-{action.id}"
    assert response.text.lstrip().startswith(f'<li id="action-{action.id}"')
    assert "Opgeschaald naar Team van teams" in card_html(response.text, action.id)
    assert '<section id="knelpunten"' in response.text
    assert 'data-hx-swap-oob="true"' in response.text
    assert "We hebben een dienstauto nodig." in response.text
    assert "is opgeschaald naar Team van teams" in response.text
    assert count(world, Escalation) == 1


def test_opschalen_without_a_note_re_renders_the_form_with_a_message(login, world: World):
    action = blocked_action(world)
    client = login("member")
    plain = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"csrf_token": client.csrf_token, "note": ""},
    )
    htmx = client.htmx("POST", f"/teams/{world.team.id}/acties/{action.id}/opschalen", data={})
    for response in (plain, htmx):
        assert response.status_code == 422
        assert "Schrijf op wat er nodig is om verder te kunnen." in response.text
    assert count(world, Escalation) == 0


def test_opschalen_with_a_plain_form_redirects_to_the_knelpunten(login, world: World):
    action = blocked_action(world)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/opschalen",
        data={"csrf_token": client.csrf_token, "note": "Hulp nodig"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/teams/{world.team.id}#knelpunten"


def test_someone_outside_the_team_cannot_escalate(login, world: World):
    action = blocked_action(world)
    response = login("outsider").htmx(
        "POST", f"/teams/{world.team.id}/acties/{action.id}/opschalen", data={"note": "x"}
    )
    assert response.status_code == 403 and count(world, Escalation) == 0


def test_an_open_knelpunt_shows_on_both_boards_and_its_answer_goes_back_down(login, world: World):
    action = blocked_action(world)
    raise_knelpunt(world, action, note="Besluit over de inzet nodig")
    client = login("representative")

    own = client.get(f"/teams/{world.team.id}").text
    parent = client.get(f"/teams/{world.team_of_teams.id}").text
    assert "Besluit over de inzet nodig" in section(own, "knelpunten")
    assert "Opgeschaald door dit team" in own and "Oplossen" not in section(own, "knelpunten")
    received = section(parent, "knelpunten")
    assert "Besluit over de inzet nodig" in received and "Oplossen" in received
    assert "Jeugd" in received and "Huisbezoeken" in received

    escalation = fetch(world, Escalation, 1)
    response = client.htmx(
        "POST",
        f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen",
        data={"resolution": "Er komt een poolauto."},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="knelpunten"')
    assert "Besluit over de inzet nodig" not in response.text
    assert '<section id="teams"' in response.text  # the lanes' counts, out of band
    assert "Het knelpunt is opgelost." in response.text
    resolved = fetch(world, Escalation, escalation.id)
    assert resolved.status == EscalationStatus.resolved
    assert resolved.resolution == "Er komt een poolauto."
    # the answer flows back down: on the raising team's board until the team has read it
    own = section(client.get(f"/teams/{world.team.id}").text, "knelpunten")
    assert "Er komt een poolauto." in own and "Gelezen" in own


def test_resolving_without_text_asks_for_it(login, world: World):
    escalation = raise_knelpunt(world, blocked_action(world))
    client = login("representative")
    plain = client.post(
        f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen",
        data={"csrf_token": client.csrf_token, "resolution": " "},
    )
    htmx = client.htmx(
        "POST", f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen", data={}
    )
    for response in (plain, htmx):
        assert response.status_code == 422
        assert "Schrijf op hoe het knelpunt is opgelost." in response.text
    assert fetch(world, Escalation, escalation.id).status == EscalationStatus.open


def test_resolving_with_a_plain_form_redirects_back(login, world: World):
    escalation = raise_knelpunt(world, blocked_action(world))
    client = login("representative")
    response = client.post(
        f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen",
        data={"csrf_token": client.csrf_token, "resolution": "Geregeld"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert fetch(world, Escalation, escalation.id).status == EscalationStatus.resolved


def test_only_the_team_of_teams_resolves_its_knelpunten(login, world: World):
    escalation = raise_knelpunt(world, blocked_action(world))
    # the outsider is in a sibling team, not in the team of teams
    outsider = login("outsider")
    assert "Oplossen" not in outsider.get(f"/teams/{world.team_of_teams.id}").text
    response = outsider.htmx(
        "POST",
        f"/teams/{world.team_of_teams.id}/knelpunten/{escalation.id}/oplossen",
        data={"resolution": "Zelf geregeld"},
    )
    assert response.status_code == 403
    # and not through the raising team's address either
    member = login("member")
    wrong = member.htmx(
        "POST",
        f"/teams/{world.team.id}/knelpunten/{escalation.id}/oplossen",
        data={"resolution": "Zelf geregeld"},
    )
    assert wrong.status_code == 404
    assert fetch(world, Escalation, escalation.id).status == EscalationStatus.open


# --- detail: reacties and history --------------------------------------------------------------


def test_the_detail_shows_the_description_reacties_and_history(login, world: World):
    action = add_action(world, description="Eerst de lijst van de wijkteams")
    change_action(world, action, who="lead", status=ActionStatus.doing, title="Bel alle wijkteams")
    client = login("member")

    page = client.get(f"/teams/{world.team.id}/acties/{action.id}")
    partial = client.htmx("GET", f"/teams/{world.team.id}/acties/{action.id}")

    assert page.status_code == 200 and "<h1" in page.text
    assert partial.text.lstrip().startswith(f'<div class="action-detail" id="detail-{action.id}"')
    assert "<h5" in partial.text and "<html" not in partial.text
    for response in (page, partial):
        text = response.text
        assert "Eerst de lijst van de wijkteams" in text
        assert "Geschiedenis" in text and "Member maakte de actie aan." in text
        assert "Lead verplaatste de actie van Te doen naar Bezig." in text
        assert "Lead veranderde de titel in „Bel alle wijkteams”." in text


def test_the_history_names_owners_and_ambitions_instead_of_ids(login, world: World):
    ambition = add_ambition(world, "Zorg dichtbij")
    action = add_action(world)
    change_action(world, action, owner_id=world.ids["lead"], ambition_id=ambition.id)
    text = login("member").get(f"/teams/{world.team.id}/acties/{action.id}").text
    history = section(text, f"geschiedenis-{action.id}")
    assert "Lead gaf de actie aan Lead." in history
    assert "Lead koppelde de actie aan de ambitie „Zorg dichtbij”." in history


def test_adding_a_reactie_with_htmx_answers_the_reacties(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties/{action.id}/reacties",
        data={"body": "Ik pak dit op."},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<section id="reacties-{action.id}"')
    assert "Ik pak dit op." in response.text and "Member" in response.text
    assert "Je reactie is geplaatst." in response.text
    assert [c.body for c in comments_on(world, action)] == ["Ik pak dit op."]


def test_adding_a_reactie_with_a_plain_form_redirects_to_the_detail(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/reacties",
        data={"csrf_token": client.csrf_token, "body": "Goed plan"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (
        response.headers["location"]
        == f"/teams/{world.team.id}/acties/{action.id}#reacties-{action.id}"
    )
    assert "Goed plan" in client.get(response.headers["location"]).text


def test_an_empty_reactie_is_refused_with_a_dutch_message(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.htmx(
        "POST", f"/teams/{world.team.id}/acties/{action.id}/reacties", data={"body": ""}
    )
    assert response.status_code == 422 and "Schrijf eerst je reactie." in response.text
    assert count(world, Comment) == 0


def test_someone_outside_the_team_reads_reacties_but_cannot_add_one(login, world: World):
    action = add_action(world)
    client = login("outsider")
    page = client.get(f"/teams/{world.team.id}/acties/{action.id}")
    assert page.status_code == 200 and "Reactie plaatsen" not in page.text
    response = client.htmx(
        "POST", f"/teams/{world.team.id}/acties/{action.id}/reacties", data={"body": "Hoi"}
    )
    assert response.status_code == 403 and count(world, Comment) == 0


def test_a_reactie_without_the_csrf_token_is_refused(login, world: World):
    action = add_action(world)
    client = login("member")
    response = client.post(
        f"/teams/{world.team.id}/acties/{action.id}/reacties", data={"body": "Hoi"}
    )
    assert response.status_code == 403 and count(world, Comment) == 0


def test_moving_a_card_out_of_geblokkeerd_asks_whether_its_knelpunt_is_settled(login, world: World):
    blocked = blocked_action(world)
    raise_knelpunt(world, blocked)
    client = login("member")

    card = card_html(client.get(f"/teams/{world.team.id}").text, blocked.id)
    assert "data-ask-first" in card  # a drag asks too (board.js)
    # the menu's targets lead to the question, nothing moves at a click
    menu = menu_html(client, world.team.id, blocked.id)
    assert f'href="/teams/{world.team.id}/acties/{blocked.id}/verplaatsen?naar=doing"' in menu
    assert 'name="status" value="doing"' not in menu

    asked = client.htmx("GET", f"/teams/{world.team.id}/acties/{blocked.id}/verplaatsen?naar=doing")
    assert asked.status_code == 200
    assert "staat nog open bij Team van teams" in asked.text
    assert '<input type="hidden" name="status" value="doing">' in asked.text
    assert "Ja, naar Bezig" in asked.text
    assert fetch(world, Action, blocked.id).status == ActionStatus.blocked

    wrong = client.htmx("GET", f"/teams/{world.team.id}/acties/{blocked.id}/verplaatsen?naar=x")
    assert wrong.status_code == 422
