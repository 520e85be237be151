"""Escalations (knelpunten): raise, pass further up, choose who answers, answer, read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import READ_ONE, errors
from app.api.schemas import ItemList
from app.deps import PathId, SessionDep, Today
from app.models import (
    Escalation,
    EscalationCreate,
    EscalationForward,
    EscalationOwnerSet,
    EscalationPublic,
    EscalationResolve,
    EscalationStatus,
    EscalationStepPublic,
    EscalationWithSteps,
    Team,
)
from app.queries.boards import team_escalations
from app.queries.escalations import steps_of
from app.services import escalations
from app.services.access import get_or_404

router = APIRouter(tags=["escalations"])


@router.post(
    "/actions/{action_id}/escalations",
    response_model=EscalationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=errors(403, 404, 422, 503),
)
def raise_escalation(
    action_id: PathId, data: EscalationCreate, access: AccessDep, session: SessionDep, today: Today
) -> Escalation:
    """Escalate an action to the team of teams directly above its team (members of the team).

    `type` is `help` (default), `decision` or `capacity`; `needed_by`, the day the team needs an
    answer by, may not be in the past. A note that looks like a citizen's personal data is a
    422 unless `confirm_personal_data` is true."""
    return escalations.raise_escalation(
        session=session, actor=access, action_id=action_id, data=data, today=today
    )


@router.get(
    "/teams/{team_id}/escalations",
    response_model=ItemList[EscalationPublic],
    responses=READ_ONE,
)
def list_team_escalations(
    team_id: PathId,
    _: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    status_: Annotated[EscalationStatus | None, Query(alias="status")] = None,
) -> object:
    """The escalations raised from or lying with a team, optionally by status."""
    get_or_404(session, Team, team_id, "Team")
    statement = team_escalations(session, team_id=team_id, status=status_)
    return paging.of(session, statement)


@router.get(
    "/escalations/{escalation_id}",
    response_model=EscalationWithSteps,
    responses=READ_ONE,
)
def read_escalation(
    escalation_id: PathId, _: CurrentUser, session: SessionDep
) -> EscalationWithSteps:
    """One escalation with its timeline: raised, forwarded, answered, acknowledged."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    return EscalationWithSteps(
        **EscalationPublic.model_validate(escalation).model_dump(),
        steps=[
            EscalationStepPublic.model_validate(step) for step in steps_of(session, escalation_id)
        ],
    )


@router.post(
    "/escalations/{escalation_id}/forward",
    response_model=EscalationPublic,
    responses=errors(403, 404, 422, 503),
)
def forward_escalation(
    escalation_id: PathId, data: EscalationForward, access: AccessDep, session: SessionDep
) -> Escalation:
    """Pass an open escalation one level further up, to the team of teams above the one it lies
    with (members of that team of teams). A 422 when there is no higher team of teams; the
    owner is chosen again up there."""
    return escalations.forward_escalation(
        session=session, actor=access, escalation_id=escalation_id, data=data
    )


@router.put(
    "/escalations/{escalation_id}/owner",
    response_model=EscalationPublic,
    responses=errors(403, 404, 422, 503),
)
def set_escalation_owner(
    escalation_id: PathId, data: EscalationOwnerSet, access: AccessDep, session: SessionDep
) -> Escalation:
    """Choose who answers an open escalation: a member of the team of teams it lies with (its
    members choose); `null` for nobody yet."""
    return escalations.set_owner(
        session=session, actor=access, escalation_id=escalation_id, data=data
    )


@router.post(
    "/escalations/{escalation_id}/resolve",
    response_model=EscalationPublic,
    responses=errors(403, 404, 422, 503),
)
def resolve_escalation(
    escalation_id: PathId, data: EscalationResolve, access: AccessDep, session: SessionDep
) -> Escalation:
    """Answer an escalation (members of the team of teams it lies with). The answer shows on
    the action and the raising team's board until that team acknowledges it."""
    return escalations.resolve_escalation(
        session=session, actor=access, escalation_id=escalation_id, data=data
    )


@router.post(
    "/escalations/{escalation_id}/acknowledge",
    response_model=EscalationPublic,
    responses=errors(403, 404, 422, 503),
)
def acknowledge_escalation(
    escalation_id: PathId, access: AccessDep, session: SessionDep
) -> Escalation:
    """The raising team has seen the answer (members of that team; only once it is answered,
    and once)."""
    return escalations.acknowledge_escalation(
        session=session, actor=access, escalation_id=escalation_id
    )
