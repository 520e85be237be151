"""A dropped action is never a card again: not on the board, not in Mijn acties, not in the
overview, not in a child team's counts; its page and history say "Laten vallen" with the reason."""

from __future__ import annotations

from sqlmodel import Session

from app.db import writer
from app.models import Action, ActionStatus, DropChoice, TeamSprintClose
from app.services import rhythm
from tests.support.builders import World
from tests.web.board_support import add_action, fetch

REASON = "Past niet meer bij de ambitie"


def _drop(world: World, action: Action) -> None:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        rhythm.close_team_sprint(
            session=session,
            actor=world.access("member"),
            team_id=world.team.id,
            sprint_id=world.sprint.id,
            data=TeamSprintClose(drop=[DropChoice(action_id=action.id, reason=REASON)]),
            today=world.today,
        )


def test_a_dropped_action_shows_nowhere_as_a_card(login, world: World):
    gone = add_action(world, title="Laten we vallen", status=ActionStatus.doing)
    _drop(world, gone)
    client = login("member")
    board = client.get(f"/teams/{world.team.id}")
    assert f'id="action-{gone.id}"' not in board.text
    assert "Laten we vallen" not in client.get("/mijn-acties").text
    assert "Laten we vallen" not in client.get("/overzicht").text
    parent = client.get(f"/api/v1/teams/{world.team_of_teams.id}/board").json()
    counts = next(c["counts"] for c in parent["children"] if c["team"]["id"] == world.team.id)
    assert counts == {"todo": 0, "doing": 0, "done": 0, "blocked": 0}


def test_its_page_says_laten_vallen_and_the_history_gives_the_reason(login, world: World):
    gone = add_action(world, title="Laten we vallen")
    _drop(world, gone)
    page = login("member").get(f"/teams/{world.team.id}/acties/{gone.id}")
    assert page.status_code == 200
    assert "<dd>Laten vallen</dd>" in page.text
    assert f"liet de actie vallen bij het afsluiten van de periode. Reden: {REASON}" in page.text


def test_status_dropped_cannot_be_chosen_in_mijn_acties(login, world: World):
    action = add_action(world, title="Blijft")
    client = login("member")
    page = client.get("/mijn-acties")
    assert 'value="dropped"' not in page.text
    refused = client.post(
        f"/mijn-acties/{action.id}/status",
        data={"csrf_token": client.csrf_token, "version": "1", "status": "dropped"},
    )
    assert refused.status_code == 422
    assert fetch(world, Action, action.id).status == ActionStatus.todo
