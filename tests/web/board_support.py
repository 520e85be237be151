"""Building blocks for the board page tests: actions, ambitions and knelpunten made through the
services, and reading the database back."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, func, select

from app.db import writer
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionCreate,
    Comment,
    Escalation,
    EscalationCreate,
    Goal,
    GoalCreate,
)
from app.services import ambitions, escalations
from tests.integration.service_helpers import edit, new_action
from tests.support.builders import World


def add_ambition(
    world: World, title: str = "Zorg dichtbij", *, goal: str | None = None
) -> Ambition:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        ambition = ambitions.create_ambition(
            session=session,
            actor=world.access("admin"),
            data=AmbitionCreate(title=title, team_ids=[world.team.id]),
        )
        if goal is not None:
            assert ambition.id is not None
            ambitions.add_goal(
                session=session,
                actor=world.access("admin"),
                ambition_id=ambition.id,
                data=GoalCreate(title=goal),
            )
        return ambition


def add_action(world: World, who: str = "member", **fields: Any) -> Action:
    fields.setdefault("title", "Bel de wijkteams")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return new_action(session, world, who, **fields)


def change_action(world: World, action: Action, who: str = "lead", **fields: Any) -> Action:
    """Someone else changes the action meanwhile."""
    with Session(writer(world.engine), expire_on_commit=False) as session:
        current = session.get(Action, action.id)
        assert current is not None
        return edit(session, world, current, who, **fields)


def raise_knelpunt(
    world: World, action: Action, note: str = "We hebben een besluit nodig."
) -> Escalation:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        assert action.id is not None
        return escalations.raise_escalation(
            session=session,
            actor=world.access("member"),
            action_id=action.id,
            data=EscalationCreate(note=note),
        )


def fetch(world: World, model: type, entity_id: int | None) -> Any:
    with Session(world.engine) as session:
        return session.get(model, entity_id)


def count(world: World, model: type) -> int:
    with Session(world.engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def goal_of(world: World, ambition: Ambition) -> Goal:
    with Session(world.engine) as session:
        goal = session.exec(select(Goal).where(Goal.ambition_id == ambition.id)).first()
        assert goal is not None
        return goal


def comments_on(world: World, action: Action) -> list[Comment]:
    with Session(world.engine) as session:
        return list(session.exec(select(Comment).where(Comment.action_id == action.id)).all())


def card_html(html: str, action_id: int | None) -> str:
    """The markup of one card: from its <li id="action-N"> to the next card or the end."""
    start = html.index(f'id="action-{action_id}"')
    following = re.search(r'<li id="action-\d+"', html[start + 10 :])
    end = start + 10 + following.start() if following else len(html)
    return html[start:end]


def section(html: str, element_id: str) -> str:
    """The markup from the element with this id to the end of the document (enough to check what
    that part shows first)."""
    return html[html.index(f'id="{element_id}"') :]


STATUSES = [status.value for status in ActionStatus]


def menu_html(client, team_id: int | None, action_id: int | None) -> str:
    """What a card's menu holds: the board sends it when the menu is first opened."""
    answer = client.htmx("GET", f"/teams/{team_id}/acties/{action_id}/menu")
    assert answer.status_code == 200, answer.text
    return answer.text
