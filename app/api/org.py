"""/me, locations, users, teams and their members."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlmodel import col, select

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import CREATE, READ, READ_ONE, errors
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

router = APIRouter()


@router.get("/me", response_model=Me, tags=["me"], responses=errors())
def read_me(user: CurrentUser, access: AccessDep, session: SessionDep) -> Me:
    """The user behind the token or session, with their teams and roles (also the teams of
    teams they join as a representative or deputy representative, with `via` the team they
    sit there for)."""
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


@router.get(
    "/locations", response_model=ItemList[LocationPublic], tags=["locations"], responses=READ
)
def list_locations(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    """Every location (municipality or office), by name."""
    statement = select(Location).order_by(col(Location.name))
    return paging.of(session, statement)


@router.post(
    "/locations",
    response_model=LocationPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["locations"],
    responses=CREATE,
)
def create_location(data: LocationCreate, access: AccessDep, session: SessionDep) -> Location:
    """Add a location (admins)."""
    return org.create_location(session=session, actor=access, data=data)


@router.get("/users", response_model=ItemList[UserPublic], tags=["users"], responses=READ)
def list_users(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    """Every staff member, by name; never a password hash."""
    statement = select(User).order_by(col(User.name), col(User.id))
    return paging.of(session, statement)


@router.post(
    "/users",
    response_model=UserCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["users"],
    responses=CREATE,
)
def create_user(data: UserCreate, access: AccessDep, session: SessionDep) -> UserCreated:
    """Add a staff member (admins); a generated password is answered once when none is given."""
    created = org.create_user(session=session, actor=access, data=data)
    return UserCreated(
        **UserPublic.model_validate(created.user).model_dump(),
        initial_password=created.generated_password,
    )


@router.patch(
    "/users/{user_id}",
    response_model=UserPublic,
    tags=["users"],
    responses=errors(403, 404, 409, 422, 503),
)
def update_user(user_id: PathId, data: UserUpdate, access: AccessDep, session: SessionDep) -> User:
    """Change a staff member's name, e-mail address, home location or admin flag (admins)."""
    return org.update_user(session=session, actor=access, user_id=user_id, data=data)


@router.get("/teams", response_model=ItemList[TeamPublic], tags=["teams"], responses=READ)
def list_teams(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    """Every team and team of teams, by name."""
    statement = select(Team).order_by(col(Team.name), col(Team.id))
    return paging.of(session, statement)


@router.post(
    "/teams",
    response_model=TeamPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["teams"],
    responses=CREATE,
)
def create_team(data: TeamCreate, access: AccessDep, session: SessionDep) -> Team:
    """Add a team, optionally under a team of teams (admins)."""
    return org.create_team(session=session, actor=access, data=data)


@router.get("/teams/{team_id}", response_model=TeamPublic, tags=["teams"], responses=READ_ONE)
def read_team(team_id: PathId, _: CurrentUser, session: SessionDep) -> Team:
    """One team."""
    return get_or_404(session, Team, team_id, "Team")


@router.patch(
    "/teams/{team_id}",
    response_model=TeamPublic,
    tags=["teams"],
    responses=errors(403, 404, 422, 503),
)
def update_team(team_id: PathId, data: TeamUpdate, access: AccessDep, session: SessionDep) -> Team:
    """Rename a team, change its description or the team of teams it reports to (admins; cycles
    are refused)."""
    return org.update_team(session=session, actor=access, team_id=team_id, data=data)


@router.delete(
    "/teams/{team_id}",
    response_model=TeamPublic,
    tags=["teams"],
    responses=errors(403, 404, 409, 422, 503),
)
def delete_team(team_id: PathId, access: AccessDep, session: SessionDep) -> Team:
    """Delete a team that has no members, actions or child teams left (admins); 409 otherwise."""
    return org.delete_team(session=session, actor=access, team_id=team_id)


@router.get(
    "/teams/{team_id}/members",
    response_model=list[MembershipPublic],
    tags=["teams"],
    responses=READ_ONE,
)
def list_members(team_id: PathId, _: CurrentUser, session: SessionDep) -> list[MembershipPublic]:
    """The members of a team with their roles."""
    get_or_404(session, Team, team_id, "Team")
    return [
        MembershipPublic(team_id=team_id, user=UserRef.model_validate(user), role=Role(m.role))
        for m, user in members(session, team_id=team_id)
    ]


@router.put(
    "/teams/{team_id}/members/{user_id}",
    response_model=MembershipPublic,
    tags=["teams"],
    responses=errors(403, 404, 409, 422, 503),
)
def put_member(
    team_id: PathId,
    user_id: PathId,
    data: MembershipWrite,
    access: AccessDep,
    session: SessionDep,
) -> MembershipPublic:
    """Make a user a member of a team with this role, or change their role (admins and the
    team's leads). Role `member`, `representative`, `deputy` (deputy representative) or `lead`.
    A representative and a deputy also sit in the team of teams above the team and write on its
    board; a team has at most one of each, and only a team under a team of teams has them
    (422 otherwise)."""
    membership = org.put_member(
        session=session, actor=access, team_id=team_id, user_id=user_id, role=data.role
    )
    user = session.get(User, user_id)
    return MembershipPublic(
        team_id=team_id, user=UserRef.model_validate(user), role=Role(membership.role)
    )


@router.delete(
    "/teams/{team_id}/members/{user_id}",
    response_model=MembershipPublic,
    tags=["teams"],
    responses=errors(403, 404, 422, 503),
)
def delete_member(
    team_id: PathId, user_id: PathId, access: AccessDep, session: SessionDep
) -> MembershipPublic:
    """Take a user out of a team (admins and the team's leads)."""
    membership = org.remove_member(session=session, actor=access, team_id=team_id, user_id=user_id)
    user = session.get(User, user_id)
    return MembershipPublic(
        team_id=team_id, user=UserRef.model_validate(user), role=Role(membership.role)
    )


__all__ = ["Response", "router"]
