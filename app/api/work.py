"""Boards, actions, comments and history (escalations are in escalations.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import READ, READ_ONE, STALE_ACTION, errors
from app.api.schemas import BoardPublic, ChildLanePublic, Column, ItemList
from app.deps import EngineDep, PathId, QueryId, SessionDep, Today
from app.models import (
    Action,
    ActionCreate,
    ActionPublic,
    ActionStatus,
    ActionUpdate,
    AuditEventPublic,
    Comment,
    CommentCreate,
    CommentPublic,
    EscalationPublic,
    Sprint,
    SprintPublic,
    Team,
    TeamPublic,
)
from app.queries.boards import (
    actions_statement,
    board,
    comments,
    history,
)
from app.services import actions, sprints
from app.services.access import get_or_404
from app.services.errors import Invalid

router = APIRouter()


@router.get(
    "/teams/{team_id}/board",
    response_model=BoardPublic,
    tags=["boards"],
    responses=errors(404, 422, 503),
)
def read_board(
    team_id: PathId,
    _: CurrentUser,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
) -> BoardPublic:
    """A team's board for a sprint (default: the current one): its actions per status column,
    its open escalations and, for a team of teams, a lane per child team with counts."""
    team = get_or_404(session, Team, team_id, "Team")
    if sprint_id is None:
        sprint = sprints.current_sprint(session=session, engine=engine, today=today)
    else:
        sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    view = board(session, team=team, sprint=sprint)
    return BoardPublic(
        team=TeamPublic.model_validate(view.team),
        sprint=SprintPublic.model_validate(view.sprint),
        columns=[
            Column(status=status_, actions=[ActionPublic.model_validate(a) for a in cards])
            for status_, cards in view.columns
        ],
        escalations=[EscalationPublic.model_validate(e) for e in view.escalations],
        children=[
            ChildLanePublic(
                team=TeamPublic.model_validate(lane.team),
                counts=lane.counts,
                open_escalations=lane.open_escalations,
            )
            for lane in view.children
        ],
    )


@router.get("/actions", response_model=ItemList[ActionPublic], tags=["actions"], responses=READ)
def list_actions(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    team_id: QueryId = None,
    owner_id: QueryId = None,
    sprint_id: QueryId = None,
    status_: Annotated[ActionStatus | None, Query(alias="status")] = None,
    ambition_id: QueryId = None,
    mine: bool = False,
) -> object:
    """Actions, filtered by team, owner, sprint, status or ambition; `mine=true` for the
    caller's own."""
    if mine:
        if owner_id is not None and owner_id != user.id:
            raise Invalid({"owner_id": "Gebruik mine=true of owner_id, niet allebei."})
        owner_id = user.id
    statement = actions_statement(
        team_id=team_id,
        owner_id=owner_id,
        sprint_id=sprint_id,
        status=status_,
        ambition_id=ambition_id,
    )
    return paging.of(session, statement)


@router.post(
    "/actions",
    response_model=ActionPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["actions"],
    responses=errors(403, 422, 503),
)
def create_action(
    data: ActionCreate, access: AccessDep, session: SessionDep, today: Today
) -> Action:
    """Add an action to a team's board (members of the team); it lands in the current sprint
    unless a sprint is given."""
    return actions.create_action(session=session, actor=access, data=data, today=today)


@router.get(
    "/actions/{action_id}", response_model=ActionPublic, tags=["actions"], responses=READ_ONE
)
def read_action(action_id: PathId, _: CurrentUser, session: SessionDep) -> Action:
    """One action; its `version` is what a change must send."""
    return get_or_404(session, Action, action_id, "Actie")


@router.patch(
    "/actions/{action_id}",
    response_model=ActionPublic,
    tags=["actions"],
    responses=errors(403, 404, 409, 422, 503, conflict=STALE_ACTION),
)
def update_action(
    action_id: PathId, data: ActionUpdate, access: AccessDep, session: SessionDep
) -> Action:
    """Change or move an action, sending the `version` you read; an old version answers 409 with
    the action as it is now."""
    return actions.update_action(session=session, actor=access, action_id=action_id, data=data)


@router.delete(
    "/actions/{action_id}",
    response_model=ActionPublic,
    tags=["actions"],
    responses=errors(403, 404, 409, 422, 503, conflict=STALE_ACTION),
)
def delete_action(
    action_id: PathId,
    access: AccessDep,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Action:
    """Delete an action (its owner, its creator, the team's lead or an admin); with `?version=`
    an old version answers 409."""
    return actions.delete_action(
        session=session, actor=access, action_id=action_id, version=version
    )


@router.get(
    "/actions/{action_id}/history",
    response_model=list[AuditEventPublic],
    tags=["actions"],
    responses=READ_ONE,
)
def action_history(action_id: PathId, _: CurrentUser, session: SessionDep) -> object:
    """Who changed what on an action, oldest first."""
    events = history(session, entity="action", entity_id=action_id)
    if not events and session.get(Action, action_id) is None:
        get_or_404(session, Action, action_id, "Actie")
    return events


@router.get(
    "/actions/{action_id}/comments",
    response_model=ItemList[CommentPublic],
    tags=["comments"],
    responses=READ_ONE,
)
def list_comments(
    action_id: PathId, _: CurrentUser, session: SessionDep, paging: PagingDep
) -> object:
    """The comments on an action, oldest first."""
    get_or_404(session, Action, action_id, "Actie")
    items = comments(session, action_id=action_id)
    return {"items": items[paging.offset : paging.offset + paging.limit], "total": len(items)}


@router.post(
    "/actions/{action_id}/comments",
    response_model=CommentPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["comments"],
    responses=errors(403, 404, 422, 503),
)
def add_comment(
    action_id: PathId, data: CommentCreate, access: AccessDep, session: SessionDep
) -> Comment:
    """Comment on an action (members of its team)."""
    return actions.add_comment(session=session, actor=access, action_id=action_id, data=data)
