"""Loading what a user may do, and refusing what they may not."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, select

from app.domain.permissions import Access
from app.models import Membership, Role, Team, User
from app.services.errors import Forbidden, NotFound
from app.translatable import N_

T = TypeVar("T")


def team_parents(session: Session) -> dict[int, int | None]:
    rows = session.exec(select(Team.id, Team.parent_id))
    return {team_id: parent_id for team_id, parent_id in rows if team_id is not None}


def access_for(session: Session, user: User) -> Access:
    """The user's roles per team and the tree above them, read in two queries."""
    assert user.id is not None
    roles = {
        team_id: Role(role)
        for team_id, role in session.exec(
            select(Membership.team_id, Membership.role).where(Membership.user_id == user.id)
        )
    }
    return Access(
        user_id=user.id, is_admin=user.is_admin, roles=roles, parents=team_parents(session)
    )


def get_or_404(session: Session, model: type[T], entity_id: int, name: str) -> T:
    obj = session.get(model, entity_id)
    if obj is None:
        raise NotFound(name)
    return obj


def require_board_writer(access: Access, team_id: int) -> None:
    if not access.can_write_board(team_id):
        raise Forbidden(N_("Alleen leden van dit team kunnen dit doen."))


def require_admin(access: Access) -> None:
    if not access.can_administer():
        raise Forbidden(N_("Alleen een beheerder kan dit doen."))
