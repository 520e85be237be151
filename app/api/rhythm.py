"""The organisation's rhythm and a team closing its part of a sprint."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AccessDep
from app.api.responses import errors
from app.deps import PathId, SessionDep, Today
from app.models import (
    OrganisationPublic,
    OrganisationUpdate,
    SprintPublic,
    TeamSprintClose,
    TeamSprintClosed,
)
from app.services import rhythm
from app.services.access import require_admin

router = APIRouter()


@router.get(
    "/organisation",
    response_model=OrganisationPublic,
    tags=["organisation"],
    responses=errors(403, 503),
)
def read_organisation(access: AccessDep, session: SessionDep) -> OrganisationPublic:
    """The organisation's rhythm (admins): how many days a sprint lasts and the weekday it
    starts on (0 is Monday … 6 is Sunday)."""
    require_admin(access)
    return rhythm.organisation_settings(session)


@router.put(
    "/organisation",
    response_model=OrganisationPublic,
    tags=["organisation"],
    responses=errors(403, 422, 503),
)
def update_organisation(
    data: OrganisationUpdate, access: AccessDep, session: SessionDep
) -> OrganisationPublic:
    """Change the rhythm (admins): `sprint_days` from 7 to 56, `sprint_weekday` from 0
    (Monday) to 6 (Sunday). Sprints made from then on follow it; existing sprints keep their
    dates."""
    return rhythm.update_organisation(session=session, actor=access, data=data)


@router.post(
    "/teams/{team_id}/sprints/{sprint_id}/close",
    response_model=TeamSprintClosed,
    tags=["sprints"],
    responses=errors(403, 404, 422, 503),
)
def close_team_sprint(
    team_id: PathId,
    sprint_id: PathId,
    data: TeamSprintClose,
    access: AccessDep,
    session: SessionDep,
    today: Today,
) -> TeamSprintClosed:
    """Close the team's part of a sprint (the team's board writers): every open action moves
    to the next sprint, except those listed in `drop`, which get status `dropped` with their
    `reason` (required). A second close is a 422 and changes nothing."""
    result = rhythm.close_team_sprint(
        session=session,
        actor=access,
        team_id=team_id,
        sprint_id=sprint_id,
        data=data,
        today=today,
    )
    return TeamSprintClosed(
        carried_over=result.carried_over,
        dropped=result.dropped,
        next_sprint=SprintPublic.model_validate(result.next_sprint),
    )
