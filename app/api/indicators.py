"""Indicators of an ambition and their measurements, goals marked achieved, and the
governing bodies' meetings per location."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlmodel import Session, col, select

from app.api.deps import AccessDep, CurrentUser, PagingDep
from app.api.responses import READ_ONE, errors
from app.api.schemas import ItemList
from app.deps import PathId, SessionDep
from app.domain.indicators import document_deadline
from app.models import (
    Ambition,
    Goal,
    GoalPublic,
    GoalUpdate,
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    Location,
    Measurement,
    MeasurementCreate,
    MeasurementPublic,
    Meeting,
    MeetingCreate,
    MeetingPublic,
)
from app.queries.indicators import indicators_of
from app.queries.meetings import meetings_of
from app.services import ambitions, indicators, meetings
from app.services.access import get_or_404

router = APIRouter()


def _measurement(measurement: Measurement) -> MeasurementPublic:
    assert measurement.id is not None
    return MeasurementPublic(
        id=measurement.id,
        indicator_id=measurement.indicator_id,
        date=measurement.measured_on,
        value=measurement.value,
        note=measurement.note,
    )


def _meeting(meeting: Meeting, location: Location) -> MeetingPublic:
    assert meeting.id is not None
    return MeetingPublic(
        id=meeting.id,
        location_id=meeting.location_id,
        body=meeting.body,  # type: ignore[arg-type]
        date=meeting.held_on,
        title=meeting.title,
        document_deadline=document_deadline(meeting.held_on, location.deadline_lead_days),
    )


@router.patch(
    "/goals/{goal_id}",
    response_model=GoalPublic,
    tags=["ambitions"],
    responses=errors(403, 404, 422, 503),
)
def update_goal(goal_id: PathId, data: GoalUpdate, access: AccessDep, session: SessionDep) -> Goal:
    """Mark a short-term goal achieved (`is_done`) or not, or tie it to a college or council
    meeting (`meeting_id`; its due date becomes the meeting's document deadline; null unties
    it). Admins and leads of the ambition's owning team."""
    return ambitions.update_goal(session=session, actor=access, goal_id=goal_id, data=data)


@router.get(
    "/ambitions/{ambition_id}/indicators",
    response_model=ItemList[IndicatorPublic],
    tags=["indicators"],
    responses=READ_ONE,
)
def list_indicators(ambition_id: PathId, _: CurrentUser, session: SessionDep) -> object:
    """An ambition's indicators (at most five) in their order."""
    get_or_404(session, Ambition, ambition_id, "Ambitie")
    items = indicators_of(session, ambition_id=ambition_id)
    return {"items": items, "total": len(items)}


@router.post(
    "/ambitions/{ambition_id}/indicators",
    response_model=IndicatorPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["indicators"],
    responses=errors(403, 404, 422, 503),
)
def add_indicator(
    ambition_id: PathId, data: IndicatorCreate, access: AccessDep, session: SessionDep
) -> Indicator:
    """Add an indicator with its unit, target and direction (`up`: higher is better, `down`:
    lower is better). An ambition has at most five: a sixth is a 422. Admins and leads of the
    owning team."""
    return indicators.add_indicator(
        session=session, actor=access, ambition_id=ambition_id, data=data
    )


@router.get(
    "/indicators/{indicator_id}/measurements",
    response_model=ItemList[MeasurementPublic],
    tags=["indicators"],
    responses=READ_ONE,
)
def list_measurements(
    indicator_id: PathId, _: CurrentUser, session: SessionDep, paging: PagingDep
) -> object:
    """An indicator's measurements, oldest first."""
    get_or_404(session, Indicator, indicator_id, "Indicator")
    page = paging.of(
        session,
        select(Measurement)
        .where(Measurement.indicator_id == indicator_id)
        .order_by(col(Measurement.measured_on), col(Measurement.id)),
    )
    return {"items": [_measurement(item) for item in page.items], "total": page.total}


@router.post(
    "/indicators/{indicator_id}/measurements",
    response_model=MeasurementPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["indicators"],
    responses=errors(403, 404, 422, 503),
)
def add_measurement(
    indicator_id: PathId, data: MeasurementCreate, access: AccessDep, session: SessionDep
) -> MeasurementPublic:
    """Enter a value on a date; a second value for the same date replaces the first (the
    answer is then the replaced measurement with its new value). Admins and leads of the
    ambition's owning team."""
    measurement = indicators.add_measurement(
        session=session, actor=access, indicator_id=indicator_id, data=data
    )
    return _measurement(measurement)


@router.get(
    "/locations/{location_id}/meetings",
    response_model=ItemList[MeetingPublic],
    tags=["meetings"],
    responses=READ_ONE,
)
def list_meetings(location_id: PathId, _: CurrentUser, session: SessionDep) -> object:
    """A municipality's college and council meetings by date, each with its document deadline
    (the date minus the location's lead time)."""
    location = get_or_404(session, Location, location_id, "Gemeente")
    items = [
        _meeting(meeting, location) for meeting in meetings_of(session, location_id=location_id)
    ]
    return {"items": items, "total": len(items)}


@router.post(
    "/locations/{location_id}/meetings",
    response_model=MeetingPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["meetings"],
    responses=errors(403, 404, 422, 503),
)
def add_meeting(
    location_id: PathId, data: MeetingCreate, access: AccessDep, session: SessionDep
) -> MeetingPublic:
    """Put a college (`college`) or council (`council`) meeting on a municipality's calendar
    (admins)."""
    meeting = meetings.add_meeting(
        session=session, actor=access, location_id=location_id, data=data
    )
    return _meeting(meeting, _location(session, meeting.location_id))


def _location(session: Session, location_id: int) -> Location:
    return get_or_404(session, Location, location_id, "Gemeente")


@router.delete(
    "/meetings/{meeting_id}",
    response_model=MeetingPublic,
    tags=["meetings"],
    responses=errors(403, 404, 422, 503),
)
def delete_meeting(meeting_id: PathId, access: AccessDep, session: SessionDep) -> MeetingPublic:
    """Take a meeting off the calendar (admins). Actions and goals tied to it keep their due
    date."""
    meeting = meetings.remove_meeting(session=session, actor=access, meeting_id=meeting_id)
    return _meeting(meeting, _location(session, meeting.location_id))
