"""Read models for the governing bodies' meetings: a location's calendar, the upcoming ones
for the forms, and the meetings the cards of a board refer to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.domain.indicators import document_deadline
from app.models import Location, Meeting


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting with its municipality and the day its documents are due."""

    meeting: Meeting
    location: Location

    @property
    def deadline(self) -> date:
        return document_deadline(self.meeting.held_on, self.location.deadline_lead_days)


def meetings_of(session: Session, *, location_id: int) -> list[Meeting]:
    """A location's meetings, by date."""
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.location_id == location_id)
            .order_by(col(Meeting.held_on), col(Meeting.id))
        ).all()
    )


def calendar(session: Session) -> dict[int, list[Meeting]]:
    """Every location's meetings by date, in one query."""
    found: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in session.exec(select(Meeting).order_by(col(Meeting.held_on), col(Meeting.id))):
        found[meeting.location_id].append(meeting)
    return found


def upcoming(
    session: Session, *, today: date, including: Collection[int] = ()
) -> list[MeetingInfo]:
    """Meetings from today on (and those in `including`, which something is tied to already),
    by municipality and date, in one query."""
    condition = col(Meeting.held_on) >= today
    if including:
        condition = condition | col(Meeting.id).in_(sorted(including))  # type: ignore[assignment]
    rows = session.exec(
        select(Meeting, Location)
        .join(Location, col(Location.id) == Meeting.location_id)
        .where(condition)
        .order_by(col(Location.name), col(Meeting.held_on), col(Meeting.id))
    ).all()
    return [MeetingInfo(meeting=meeting, location=location) for meeting, location in rows]


def meetings_named(session: Session, ids: Collection[int]) -> dict[int, MeetingInfo]:
    """These meetings with their municipality, in one query."""
    if not ids:
        return {}
    rows = session.exec(
        select(Meeting, Location)
        .join(Location, col(Location.id) == Meeting.location_id)
        .where(col(Meeting.id).in_(sorted(ids)))
    ).all()
    return {
        meeting.id: MeetingInfo(meeting=meeting, location=location)
        for meeting, location in rows
        if meeting.id is not None
    }
