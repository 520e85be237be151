"""Calendar feeds for Outlook: the pages that make the secret link (Mijn acties → agenda, a
team's agenda page) and the feed itself, which answers without a session at /agenda/<secret>.ics.

Outlook shows the events of a subscribed calendar, not its to-dos: each open action with a due
date is one all-day event on that date."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from icalendar import Calendar, Event
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.models import ActionStatus, Team, utcnow
from app.queries import feeds as queries_feeds
from app.queries.feeds import FeedItem
from app.services import feeds
from app.services.access import get_or_404
from app.web import i18n
from app.web.deps import Viewer, ViewerDep
from app.web.forms import SHOWN_STATUS_LABELS
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

TEMPLATE = "feeds/agenda.html"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# how often Outlook and other calendars are asked to fetch the feed again
REFRESH = timedelta(hours=1)


def base_url(request: Request) -> str:
    """The address for links that leave the app: VERBETERBORD_BASE_URL, else the request's."""
    configured: str = request.app.state.settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


def feed_url(request: Request, secret: str) -> str:
    return f"{base_url(request)}/agenda/{secret}.ics"


# --- the feed ---------------------------------------------------------------------------------
def _description(item: FeedItem, link: str, *, with_owner: bool) -> str:
    status = _(SHOWN_STATUS_LABELS[ActionStatus(item.action.status)])
    lines = [
        _("Team: %(team)s") % {"team": item.team.name},
        _("Status: %(status)s") % {"status": status},
    ]
    if with_owner:
        lines.append(_("Eigenaar: %(naam)s") % {"naam": item.owner.name})
    lines.append(_("Bekijk de actie in Verbeterbord: %(link)s") % {"link": link})
    return "\n".join(lines)


def calendar(
    items: list[FeedItem], *, name: str, base: str, now: datetime, with_owner: bool
) -> bytes:
    """The iCalendar text: one all-day VEVENT per action on its due date."""
    cal = Calendar()
    cal.add("prodid", "-//Verbeterbord//Agenda//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # the same hour, as Outlook reads it
    host = urlsplit(base).hostname or "verbeterbord"
    for item in items:
        action = item.action
        assert action.due_date is not None
        link = f"{base}/teams/{action.team_id}/acties/{action.id}"
        event = Event()
        # the same UID on every fetch, so a calendar updates the event instead of adding one
        event.add("uid", f"action-{action.id}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", action.updated_at)
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + timedelta(days=1))
        event.add("summary", action.title)
        event.add("description", _description(item, link, with_owner=with_owner))
        event.add("url", link)
        # a due date is a reminder, not an appointment: the day stays free
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


@router.get("/agenda/{secret}.ics")
def calendar_feed(
    request: Request,
    session: SessionDep,
    secret: str,  # any length: a wrong one is a 404 like every other (the service checks)
) -> Response:
    """No session: the secret in the URL is the key. Anything it does not open answers 404."""
    found = feeds.feed_for_secret(session, secret)
    if found is None:
        return Response("Niet gevonden", status_code=404, media_type="text/plain; charset=utf-8")
    feed, user = found
    assert user.id is not None
    settings = request.app.state.settings
    i18n.current_locale.set(user.locale if user.locale_chosen else settings.locale)
    if feed.team_id is None:
        items = queries_feeds.personal_items(session, user_id=user.id)
        name = _("Mijn acties – Verbeterbord")
    else:
        team = get_or_404(session, Team, feed.team_id, "Team")
        items = queries_feeds.team_items(session, team_id=feed.team_id)
        name = _("%(team)s – Verbeterbord") % {"team": team.name}
    body = calendar(
        items,
        name=name,
        base=base_url(request),
        now=utcnow(),
        with_owner=feed.team_id is not None,
    )
    return Response(
        body,
        media_type=CONTENT_TYPE,
        headers={
            "Content-Disposition": 'inline; filename="verbeterbord.ics"',
            "Cache-Control": "private, no-cache",
            "X-Robots-Tag": "noindex",
        },
    )


# --- the pages --------------------------------------------------------------------------------
def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    team: Team | None,
    new_secret: str = "",
) -> Response:
    assert viewer.user.id is not None
    active = queries_feeds.active_feed(
        session, user_id=viewer.user.id, team_id=team.id if team else None
    )
    context: dict[str, Any] = {
        "team": team,
        "can_make": team is None or feeds.can_make_team_feed(viewer.access, team.id or 0),
        "action_url": f"/teams/{team.id}/agenda" if team else "/mijn-acties/agenda",
        "back_url": f"/teams/{team.id}" if team else "/mijn-acties",
        "active": active,
        "new_url": feed_url(request, new_secret) if new_secret else "",
    }
    # a page that shows a new secret link once must not be kept by any cache
    headers = {"Cache-Control": "no-store"} if new_secret else None
    return render(request, TEMPLATE, context, headers=headers)


@router.get("/mijn-acties/agenda")
def my_agenda_page(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    return _page(request, session, viewer, team=None)


@router.post("/mijn-acties/agenda")
def renew_my_agenda(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    secret = feeds.new_personal_feed(session=session, user=viewer.user)
    return _page(request, session, viewer, team=None, new_secret=secret)


@router.get("/teams/{team_id}/agenda")
def team_agenda_page(
    request: Request, team_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    team = get_or_404(session, Team, team_id, "Team")
    return _page(request, session, viewer, team=team)


@router.post("/teams/{team_id}/agenda")
def renew_team_agenda(
    request: Request, team_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    secret = feeds.new_team_feed(session=session, access=viewer.access, team_id=team_id)
    team = get_or_404(session, Team, team_id, "Team")
    return _page(request, session, viewer, team=team, new_secret=secret)
