"""Admin page for the governing bodies' calendars: per municipality (location) its college and
council meetings and the lead time for their documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep, Today
from app.domain.indicators import document_deadline
from app.models import LeadTimeUpdate, Location, Meeting, MeetingBody, MeetingCreate
from app.queries import admin as queries_admin
from app.queries.meetings import calendar
from app.services import meetings
from app.translatable import N_
from app.web.admin.access import admin_pages
from app.web.deps import ViewerDep
from app.web.forms import CHECK_FORM, FormError, form_id, notice, parse, saved_answer, submit
from app.web.i18n import gettext as _
from app.web.meetings import BODY_LABELS
from app.web.templating import render

router = APIRouter(dependencies=[Depends(admin_pages)])

PAGE = "admin/meetings.html"
FormText = Annotated[str, Form(max_length=200)]
UNKNOWN_LOCATION = N_("Kies een gemeente uit de lijst.")
NOT_A_NUMBER = N_("Vul een geheel aantal dagen in, van 0 tot en met 90.")


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    body_label: str
    deadline: date
    past: bool


@dataclass(frozen=True)
class LocationCalendar:
    location: Location
    meetings: list[MeetingRow]
    lead_days: str  # as typed, or as stored
    lead_error: str


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool


def _page(
    request: Request,
    session: Session,
    today: date,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    lead: tuple[int, str, str] | None = None,  # location, what was typed, its message
    extra: dict[str, Any] | None = None,
) -> Response:
    form = form or {"location_id": "", "body": "", "date": "", "title": ""}
    found = calendar(session)
    locations = queries_admin.locations(session)
    rows = [
        LocationCalendar(
            location=location,
            meetings=[
                MeetingRow(
                    meeting=meeting,
                    body_label=_(BODY_LABELS[MeetingBody(meeting.body)]),
                    deadline=document_deadline(meeting.held_on, location.deadline_lead_days),
                    past=meeting.held_on < today,
                )
                for meeting in found.get(location.id or 0, [])
            ],
            lead_days=lead[1]
            if lead and lead[0] == location.id
            else str(location.deadline_lead_days),
            lead_error=lead[2] if lead and lead[0] == location.id else "",
        )
        for location in locations
    ]
    context = {
        "section": "meetings",
        "calendars": rows,
        "form": form,
        "errors": errors or {},
        "location_choices": [
            Choice(str(loc.id), loc.name, str(loc.id) == form["location_id"]) for loc in locations
        ],
        "body_choices": [
            Choice(value, _(label), value == form["body"]) for value, label in BODY_LABELS.items()
        ],
        **(extra or {}),
    }
    return render(request, PAGE, context)


@router.get("/beheer/vergaderingen")
def meetings_page(request: Request, session: SessionDep, today: Today) -> Response:
    return _page(request, session, today)


@router.post("/beheer/vergaderingen")
def add_meeting(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    today: Today,
    location_id: FormText = "",
    body: FormText = "",
    held_on: Annotated[str, Form(alias="date", max_length=20)] = "",
    title: FormText = "",
) -> Response:
    form = {"location_id": location_id, "body": body, "date": held_on, "title": title}

    def save() -> Meeting:
        problems: dict[str, str] = {}
        try:
            location = form_id(location_id, "location_id", UNKNOWN_LOCATION)
        except FormError as exc:
            problems.update(exc.errors)
            location = None
        if location is None and "location_id" not in problems:
            problems["location_id"] = _(UNKNOWN_LOCATION)
        try:
            data = parse(MeetingCreate, body=body or None, date=held_on or None, title=title)
        except FormError as exc:
            problems = {**exc.errors, **problems}
        if problems:
            raise FormError(problems)
        assert location is not None
        return meetings.add_meeting(
            session=session, actor=viewer.access, location_id=location, data=data
        )

    def added(meeting: Meeting) -> Response:
        message = _("De vergadering is toegevoegd.")
        return _page(request, session, today, extra=notice(request, message))

    return submit(
        session,
        save,
        refused=lambda errors: _page(
            request,
            session,
            today,
            form=form,
            errors=errors,
            extra=notice(request, _(CHECK_FORM)),
        ),
        saved=lambda meeting: saved_answer(
            request, "/beheer/vergaderingen", lambda: added(meeting)
        ),
    )


@router.post("/beheer/vergaderingen/{meeting_id}/verwijderen")
def remove_meeting(
    request: Request, meeting_id: PathId, viewer: ViewerDep, session: SessionDep, today: Today
) -> Response:
    meetings.remove_meeting(session=session, actor=viewer.access, meeting_id=meeting_id)
    return saved_answer(
        request,
        "/beheer/vergaderingen",
        lambda: _page(
            request, session, today, extra=notice(request, _("De vergadering is verwijderd."))
        ),
    )


@router.post("/beheer/gemeenten/{location_id}/inleverdagen")
def set_lead_days(
    request: Request,
    location_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    today: Today,
    deadline_lead_days: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = deadline_lead_days.strip()

    def save() -> Location:
        if not typed.isdigit():
            raise FormError({"deadline_lead_days": _(NOT_A_NUMBER)})
        try:
            data = LeadTimeUpdate(deadline_lead_days=int(typed))
        except ValueError as exc:
            raise FormError({"deadline_lead_days": _(NOT_A_NUMBER)}) from exc
        return meetings.set_lead_days(
            session=session, actor=viewer.access, location_id=location_id, data=data
        )

    def saved(location: Location) -> Response:
        message = _("De inlevertermijn van %(naam)s is %(dagen)s dagen.") % {
            "naam": location.name,
            "dagen": location.deadline_lead_days,
        }
        return _page(request, session, today, extra=notice(request, message))

    return submit(
        session,
        save,
        refused=lambda errors: _page(
            request,
            session,
            today,
            lead=(location_id, deadline_lead_days, errors.get("deadline_lead_days", "")),
            extra=notice(request, _(CHECK_FORM)),
        ),
        saved=lambda location: saved_answer(
            request, "/beheer/vergaderingen", lambda: saved(location)
        ),
    )
