"""Ambitions, goals, progress and sprints."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlmodel import Session, col, select

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import READ, READ_ONE, errors
from app.api.schemas import ItemList
from app.deps import EngineDep, PathId, SessionDep, Today
from app.models import (
    Ambition,
    AmbitionCreate,
    AmbitionProgress,
    AmbitionPublic,
    AmbitionUpdate,
    Goal,
    GoalCreate,
    GoalPublic,
    Sprint,
    SprintClosed,
    SprintCreate,
    SprintPublic,
)
from app.queries.ambitions import ambition_details, ambition_progress, open_escalations_for_ambition
from app.queries.indicators import stands_of
from app.services import ambitions, sprints
from app.services.access import get_or_404
from app.services.sprints import current_sprint

router = APIRouter()


def _public(session: Session, items: list[Ambition]) -> list[AmbitionPublic]:
    teams, goals = ambition_details(session, items)
    return [
        AmbitionPublic(
            **ambition.model_dump(exclude={"created_at", "updated_at"}),
            team_ids=teams[ambition.id],  # type: ignore[index]
            goals=[GoalPublic.model_validate(goal) for goal in goals[ambition.id]],  # type: ignore[index]
        )
        for ambition in items
    ]


@router.get(
    "/ambitions", response_model=ItemList[AmbitionPublic], tags=["ambitions"], responses=READ
)
def list_ambitions(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    """Every ambition with its teams and short-term goals, by title."""
    page = paging.of(session, select(Ambition).order_by(col(Ambition.title), col(Ambition.id)))
    return {"items": _public(session, page.items), "total": page.total}


@router.post(
    "/ambitions",
    response_model=AmbitionPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["ambitions"],
    responses=errors(403, 422, 503),
)
def create_ambition(data: AmbitionCreate, access: AccessDep, session: SessionDep) -> object:
    """Add an ambition (admins and leads of the owning team)."""
    ambition = ambitions.create_ambition(session=session, actor=access, data=data)
    return _public(session, [ambition])[0]


@router.get(
    "/ambitions/{ambition_id}",
    response_model=AmbitionPublic,
    tags=["ambitions"],
    responses=READ_ONE,
)
def read_ambition(ambition_id: PathId, _: CurrentUser, session: SessionDep) -> object:
    """One ambition with its teams and goals."""
    return _public(session, [get_or_404(session, Ambition, ambition_id, "Ambitie")])[0]


@router.patch(
    "/ambitions/{ambition_id}",
    response_model=AmbitionPublic,
    tags=["ambitions"],
    responses=errors(403, 404, 422, 503),
)
def update_ambition(
    ambition_id: PathId, data: AmbitionUpdate, access: AccessDep, session: SessionDep
) -> object:
    """Change an ambition's title, intent, horizon, status or teams (admins and leads of the
    owning team)."""
    ambition = ambitions.update_ambition(
        session=session, actor=access, ambition_id=ambition_id, data=data
    )
    return _public(session, [ambition])[0]


@router.post(
    "/ambitions/{ambition_id}/goals",
    response_model=GoalPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["ambitions"],
    responses=errors(403, 404, 422, 503),
)
def add_goal(ambition_id: PathId, data: GoalCreate, access: AccessDep, session: SessionDep) -> Goal:
    """Add a short-term goal to an ambition (admins and leads of the owning team)."""
    return ambitions.add_goal(session=session, actor=access, ambition_id=ambition_id, data=data)


@router.get(
    "/ambitions/{ambition_id}/progress",
    response_model=AmbitionProgress,
    tags=["ambitions"],
    responses=READ_ONE,
)
def read_progress(ambition_id: PathId, _: CurrentUser, session: SessionDep) -> AmbitionProgress:
    """How an ambition moves: its actions per sprint by status, its open escalations and its
    indicators with their latest value against the target."""
    get_or_404(session, Ambition, ambition_id, "Ambitie")
    return AmbitionProgress(
        ambition_id=ambition_id,
        sprints=ambition_progress(session, ambition_id=ambition_id),
        open_escalations=len(open_escalations_for_ambition(session, ambition_id=ambition_id)),
        indicators=stands_of(session, ambition_id=ambition_id),
    )


@router.get("/sprints", response_model=ItemList[SprintPublic], tags=["sprints"], responses=READ)
def list_sprints(_: CurrentUser, session: SessionDep, paging: PagingDep) -> object:
    """Every sprint, oldest first."""
    statement = select(Sprint).order_by(col(Sprint.start_date))
    return paging.of(session, statement)


@router.post(
    "/sprints",
    response_model=SprintPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["sprints"],
    responses=errors(403, 409, 422, 503),
)
def create_sprint(data: SprintCreate, access: AccessDep, session: SessionDep) -> Sprint:
    """Plan a sprint (admins); it may not overlap another one."""
    return sprints.create_sprint(session=session, actor=access, data=data)


@router.get(
    "/sprints/current", response_model=SprintPublic, tags=["sprints"], responses=errors(503)
)
def read_current_sprint(
    _: CurrentUser, session: SessionDep, engine: EngineDep, today: Today
) -> Sprint:
    """Today's sprint; made on first use when it does not exist yet."""
    return current_sprint(session=session, engine=engine, today=today)


@router.post(
    "/sprints/{sprint_id}/close",
    response_model=SprintClosed,
    tags=["sprints"],
    responses=errors(403, 404, 422, 503),
)
def close_sprint(
    sprint_id: PathId, access: AccessDep, session: SessionDep, today: Today
) -> SprintClosed:
    """Close a sprint and carry its unfinished actions into the next one (admins)."""
    result = sprints.close_sprint(session=session, actor=access, sprint_id=sprint_id, today=today)
    return SprintClosed(
        next_sprint=SprintPublic.model_validate(result.next_sprint),
        carried_over=result.carried_over,
    )
