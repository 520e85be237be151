"""/me, locations, users, teams and their members."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlmodel import col, select

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import ERROR_RESPONSES
from app.api.schemas import ItemList
from app.deps import PathId, SessionDep
from app.models import (
    Location,
    LocationCreate,
    LocationPublic,
    Me,
    MembershipPublic,
    MembershipWrite,
    MyTeam,
    Role,
    Team,
    TeamCreate,
    TeamPublic,
    TeamUpdate,
    User,
    UserCreate,
    UserCreated,
    UserPublic,
    UserRef,
    UserUpdate,
)
from app.queries.org import members
from app.services import org
from app.services.access import get_or_404

router = APIRouter(responses=ERROR_RESPONSES)


@router.get("/me", response_model=Me)
def read_me(user: CurrentUser, access: AccessDep, session: SessionDep) -> Me:
    teams = {team.id: team for team in session.exec(select(Team))}
    mine = [
        MyTeam(team=TeamPublic.model_validate(teams[team_id]), role=role)
        for team_id, role in sorted(access.roles.items())
    ]
    for team_id in sorted(access.board_teams() - set(access.roles)):
        for child in access.represents_in(team_id):
            mine.append(
                MyTeam(team=TeamPublic.model_validate(teams[team_id]), role=Role.member, via=child)
            )
    return Me(**UserPublic.model_validate(user).model_dump(), teams=mine)


@router.get("/locations", response_model=ItemList[LocationPublic])
def list_locations(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    statement = select(Location).order_by(col(Location.name))
    return paging.of(session, statement)


@router.post("/locations", response_model=LocationPublic, status_code=status.HTTP_201_CREATED)
def create_location(data: LocationCreate, access: AccessDep, session: SessionDep) -> Location:
    return org.create_location(session=session, actor=access, data=data)


@router.get("/users", response_model=ItemList[UserPublic])
def list_users(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    statement = select(User).order_by(col(User.name), col(User.id))
    return paging.of(session, statement)


@router.post("/users", response_model=UserCreated, status_code=status.HTTP_201_CREATED)
def create_user(data: UserCreate, access: AccessDep, session: SessionDep) -> UserCreated:
    created = org.create_user(session=session, actor=access, data=data)
    return UserCreated(
        **UserPublic.model_validate(created.user).model_dump(),
        initial_password=created.generated_password,
    )


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: PathId, data: UserUpdate, access: AccessDep, session: SessionDep) -> User:
    """Change a staff member's name, e-mail address, home location or admin flag (admins)."""
    return org.update_user(session=session, actor=access, user_id=user_id, data=data)


@router.get("/teams", response_model=ItemList[TeamPublic])
def list_teams(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    statement = select(Team).order_by(col(Team.name), col(Team.id))
    return paging.of(session, statement)


@router.post("/teams", response_model=TeamPublic, status_code=status.HTTP_201_CREATED)
def create_team(data: TeamCreate, access: AccessDep, session: SessionDep) -> Team:
    return org.create_team(session=session, actor=access, data=data)


@router.get("/teams/{team_id}", response_model=TeamPublic)
def read_team(team_id: PathId, _: CurrentUser, session: SessionDep) -> Team:
    return get_or_404(session, Team, team_id, "Team")


@router.patch("/teams/{team_id}", response_model=TeamPublic)
def update_team(team_id: PathId, data: TeamUpdate, access: AccessDep, session: SessionDep) -> Team:
    return org.update_team(session=session, actor=access, team_id=team_id, data=data)


@router.delete("/teams/{team_id}", response_model=TeamPublic)
def delete_team(team_id: PathId, access: AccessDep, session: SessionDep) -> Team:
    return org.delete_team(session=session, actor=access, team_id=team_id)


@router.get("/teams/{team_id}/members", response_model=list[MembershipPublic])
def list_members(team_id: PathId, _: CurrentUser, session: SessionDep) -> list[MembershipPublic]:
    get_or_404(session, Team, team_id, "Team")
    return [
        MembershipPublic(team_id=team_id, user=UserRef.model_validate(user), role=Role(m.role))
        for m, user in members(session, team_id=team_id)
    ]


@router.put("/teams/{team_id}/members/{user_id}", response_model=MembershipPublic)
def put_member(
    team_id: PathId,
    user_id: PathId,
    data: MembershipWrite,
    access: AccessDep,
    session: SessionDep,
) -> MembershipPublic:
    membership = org.put_member(
        session=session, actor=access, team_id=team_id, user_id=user_id, role=data.role
    )
    user = session.get(User, user_id)
    return MembershipPublic(
        team_id=team_id, user=UserRef.model_validate(user), role=Role(membership.role)
    )


@router.delete("/teams/{team_id}/members/{user_id}", response_model=MembershipPublic)
def delete_member(
    team_id: PathId, user_id: PathId, access: AccessDep, session: SessionDep
) -> MembershipPublic:
    membership = org.remove_member(session=session, actor=access, team_id=team_id, user_id=user_id)
    user = session.get(User, user_id)
    return MembershipPublic(
        team_id=team_id, user=UserRef.model_validate(user), role=Role(membership.role)
    )


__all__ = ["Response", "router"]
