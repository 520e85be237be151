"""Short ways to call the services as one of the builder's people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.domain.permissions import Access
from app.models import Action, ActionCreate, ActionUpdate, AuditEvent
from app.services import actions
from app.services.access import access_for
from tests.support.builders import World


def as_(session: Session, world: World, who: str) -> Access:
    """What one of the builder's people may do, read through the test's session."""
    return access_for(session, world.users[who])


def new_action(
    session: Session, world: World, who: str = "member", *, title: str = "Actie", **fields: Any
) -> Action:
    fields.setdefault("team_id", world.team.id)
    return actions.create_action(
        session=session,
        actor=as_(session, world, who),
        data=ActionCreate(title=title, **fields),
        today=world.today,
    )


def edit(session: Session, world: World, action: Action, who: str = "member", **fields: Any):
    """Change an action made on its current version."""
    fields.setdefault("version", action.version)
    assert action.id is not None
    return actions.update_action(
        session=session,
        actor=as_(session, world, who),
        action_id=action.id,
        data=ActionUpdate(**fields),
    )


def audit_rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


def column(session: Session, *, team_id: int, sprint_id: int, status: str) -> list[tuple[int, int]]:
    """(id, position) of the actions in one column, top first."""
    return [
        (action.id, action.position)  # type: ignore[misc]
        for action in session.exec(
            select(Action)
            .where(
                Action.team_id == team_id, Action.sprint_id == sprint_id, Action.status == status
            )
            .order_by(Action.position, Action.id)  # type: ignore[arg-type]
        )
    ]
