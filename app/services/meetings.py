"""The governing bodies' calendars: college and council meetings per location (municipality)
and the lead time for their documents, kept by admins; and the due date a meeting gives to
what is tied to it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.domain.indicators import document_deadline
from app.domain.permissions import Access
from app.models import LeadTimeUpdate, Location, Meeting, MeetingCreate
from app.services import audit
from app.services.access import get_or_404, require_admin
from app.services.errors import Invalid
from app.translatable import N_

UNKNOWN_MEETING = N_("Deze vergadering bestaat niet. Kies er een uit de lijst.")


def add_meeting(
    *, session: Session, actor: Access, location_id: int, data: MeetingCreate
) -> Meeting:
    """Put a college or council meeting on a location's calendar (admins)."""
    require_admin(actor)
    get_or_404(session, Location, location_id, "Gemeente")
    meeting = Meeting(location_id=location_id, body=data.body, held_on=data.date, title=data.title)
    audit.store(
        session,
        meeting,
        "created",
        actor_id=actor.user_id,
        changes=audit.diff({}, audit.snapshot(meeting, exclude=("created_at",))),
    )
    session.commit()
    return meeting


def remove_meeting(*, session: Session, actor: Access, meeting_id: int) -> Meeting:
    """Take a meeting off the calendar (admins); what was tied to it keeps its due date."""
    require_admin(actor)
    meeting = get_or_404(session, Meeting, meeting_id, "Vergadering")
    audit.store(session, meeting, "deleted", actor_id=actor.user_id)
    session.commit()
    return meeting


def set_lead_days(
    *, session: Session, actor: Access, location_id: int, data: LeadTimeUpdate
) -> Location:
    """How many days before a meeting its documents are due, for one location (admins).
    Due dates set earlier stay as they are."""
    require_admin(actor)
    location = get_or_404(session, Location, location_id, "Gemeente")
    before = audit.snapshot(location)
    location.deadline_lead_days = data.deadline_lead_days
    audit.store(
        session,
        location,
        "updated",
        actor_id=actor.user_id,
        changes=audit.diff(before, audit.snapshot(location)),
    )
    session.commit()
    return location


def deadline_of(session: Session, meeting_id: int, *, field: str = "meeting_id") -> date:
    """The document deadline of a meeting (its date minus its location's lead time); Invalid
    on `field` when there is no such meeting."""
    meeting = session.get(Meeting, meeting_id)
    location = session.get(Location, meeting.location_id) if meeting else None
    if meeting is None or location is None:
        raise Invalid({field: UNKNOWN_MEETING})
    return document_deadline(meeting.held_on, location.deadline_lead_days)
