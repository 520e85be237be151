"""Evaluations of a team per sprint, and the records of a team of teams' stand-ups."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlmodel import Session

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import READ_ONE, errors
from app.api.schemas import ItemList
from app.deps import PathId, SessionDep, Today
from app.domain.evaluation import wins
from app.models import (
    Evaluation,
    EvaluationPublic,
    EvaluationWrite,
    Sprint,
    StandupAttendeePublic,
    StandupCreate,
    StandupDecisionPublic,
    StandupPublic,
    StandupRecord,
    StandupTurnPublic,
    Team,
)
from app.queries.evaluations import evaluation_of
from app.queries.standups import StandupDetails, details, records_statement
from app.services import evaluations, standups
from app.services.access import get_or_404
from app.services.errors import StaleVersion
from app.translatable import N_

router = APIRouter()

STALE_EVALUATION = N_(
    "Deze evaluatie is intussen gewijzigd. Haal de nieuwe versie op en probeer het opnieuw."
)


def evaluation_public(team_id: int, sprint_id: int, found: Evaluation | None) -> EvaluationPublic:
    if found is None:
        return EvaluationPublic(
            id=None,
            team_id=team_id,
            sprint_id=sprint_id,
            goes_well="",
            vulnerable="",
            notably_absent="",
            highlights="",
            wins=[],
            version=0,
            updated_at=None,
            updated_by_id=None,
        )
    return EvaluationPublic(**found.model_dump(), wins=wins(found.highlights))


@router.get(
    "/teams/{team_id}/evaluations/{sprint_id}",
    response_model=EvaluationPublic,
    tags=["evaluations"],
    responses=READ_ONE,
)
def read_evaluation(
    team_id: PathId, sprint_id: PathId, _: CurrentUser, session: SessionDep
) -> EvaluationPublic:
    """A team's evaluation of a sprint: *wat gaat goed*, *wat is kwetsbaar*, *wat is opvallend
    afwezig* and *in het licht* (one success per line, also as `wins`). One that is not written
    yet answers with empty texts and version 0."""
    get_or_404(session, Team, team_id, "Team")
    get_or_404(session, Sprint, sprint_id, "Periode")
    found = evaluation_of(session, team_id=team_id, sprint_id=sprint_id)
    return evaluation_public(team_id, sprint_id, found)


@router.put(
    "/teams/{team_id}/evaluations/{sprint_id}",
    response_model=EvaluationPublic,
    tags=["evaluations"],
    responses=errors(403, 404, 409, 422, 503),
)
def write_evaluation(
    team_id: PathId,
    sprint_id: PathId,
    data: EvaluationWrite,
    access: AccessDep,
    session: SessionDep,
    today: Today,
) -> EvaluationPublic:
    """Write a team's evaluation of a sprint, all four parts at once (members of the team; a
    sprint that has not begun is a 422, each part at most 4000 characters). With `version`
    (the one read, 0 before the first save) a save on an old copy is a 409."""
    try:
        saved = evaluations.save_evaluation(
            session=session,
            actor=access,
            team_id=team_id,
            sprint_id=sprint_id,
            data=data,
            today=today,
        )
    except StaleVersion:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=STALE_EVALUATION) from None
    return evaluation_public(team_id, sprint_id, saved)


# --- stand-up records ------------------------------------------------------------------------


def standup_public(found: StandupDetails) -> StandupPublic:
    record = found.record
    assert record.id is not None
    return StandupPublic(
        id=record.id,
        team_id=record.team_id,
        held_on=record.held_on,
        notes=record.notes,
        created_at=record.created_at,
        created_by_id=record.created_by_id,
        attendees=[
            StandupAttendeePublic(
                user_id=a.user_id, name=a.name, location_id=a.location_id, location=a.location
            )
            for a in found.attendees
        ],
        turns=[
            StandupTurnPublic(
                team_id=t.team_id, team=t.team, position=t.position, seconds=t.seconds
            )
            for t in found.turns
        ],
        decisions=[
            StandupDecisionPublic(
                id=d.id, text=d.text, action_id=d.action_id, escalation_id=d.escalation_id
            )
            for d in found.decisions
        ],
    )


def _one(session: Session, record: StandupRecord) -> StandupPublic:
    return standup_public(details(session, [record])[0])


@router.get(
    "/teams/{team_id}/standups",
    response_model=ItemList[StandupPublic],
    tags=["standups"],
    responses=READ_ONE,
)
def list_standups(
    team_id: PathId, _: CurrentUser, session: SessionDep, paging: PagingDep
) -> object:
    """A team of teams' stand-ups as recorded, latest first."""
    get_or_404(session, Team, team_id, "Team")
    page = paging.of(session, records_statement(team_id))
    return {"items": [standup_public(d) for d in details(session, page.items)], "total": page.total}


@router.post(
    "/teams/{team_id}/standups",
    response_model=StandupPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["standups"],
    responses=errors(403, 404, 422, 503),
)
def record_standup(
    team_id: PathId, data: StandupCreate, access: AccessDep, session: SessionDep, today: Today
) -> StandupPublic:
    """Record a team of teams' stand-up (its board writers): who attended (their office is
    stored with them), the teams walked in order with the seconds each took, and the decisions.
    A decision with `owner_id` becomes an action on the team of teams' board; one with
    `escalation_id` answers that open escalation sent to the team of teams. All in one step:
    any refusal stores nothing."""
    record = standups.record_standup(
        session=session, actor=access, team_id=team_id, data=data, today=today
    )
    return _one(session, record)


@router.get(
    "/standups/{standup_id}",
    response_model=StandupPublic,
    tags=["standups"],
    responses=READ_ONE,
)
def read_standup(standup_id: PathId, _: CurrentUser, session: SessionDep) -> StandupPublic:
    """One recorded stand-up with its attendees, turns and decisions."""
    return _one(session, get_or_404(session, StandupRecord, standup_id, "Overleg"))
