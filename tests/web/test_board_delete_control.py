"""Verwijderen on a board card: only for whom may delete the action (its owner, its creator,
the team's lead, an admin); the service refuses everybody else."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Action, ActionCreate
from app.services import actions
from app.services.access import access_for
from tests.support.builders import World
from tests.web.board_support import menu_html


def _action_made_by_the_member_for_the_lead(world: World) -> int:
    with Session(world.engine, expire_on_commit=False) as session:
        action = actions.create_action(
            session=session,
            actor=access_for(session, world.users["member"]),
            data=ActionCreate(
                title="Zaal reserveren", team_id=world.team.id, owner_id=world.users["lead"].id
            ),
            today=world.today,
        )
        assert action.id is not None
        return action.id


def test_the_delete_control_shows_only_for_owner_creator_lead_and_admin(login, world: World):
    action_id = _action_made_by_the_member_for_the_lead(world)
    control = f'id="action-{action_id}-verwijderen"'
    for who in ("member", "lead", "admin"):
        assert control in menu_html(login(who), world.team.id, action_id), who
    colleague = login("representative")
    page = colleague.get(f"/teams/{world.team.id}")
    assert f'id="action-{action_id}-acties"' in page.text  # the card and its menu are there
    assert control not in menu_html(colleague, world.team.id, action_id)


def test_a_colleague_gets_no_delete_question_and_cannot_delete(login, world: World):
    action_id = _action_made_by_the_member_for_the_lead(world)
    client = login("representative")
    url = f"/teams/{world.team.id}/acties/{action_id}/verwijderen"
    assert "Ja, verwijderen" not in client.htmx("GET", url).text
    refused = client.post(url, data={"version": "1", "csrf_token": client.csrf_token})
    assert refused.status_code == 403
    with Session(world.engine) as session:
        assert session.get(Action, action_id) is not None
