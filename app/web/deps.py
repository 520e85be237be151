"""Who is looking at a page, in which language, and the CSRF check for their writes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, NamedTuple, TypedDict
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import write_session
from app.deps import SAFE_METHODS, EngineDep, SessionDep, Today, cookie_session, csrf_refused
from app.domain.permissions import Access
from app.events import SSE_HEADERS, Credential
from app.models import User
from app.queries.mentions import LazyDirectory
from app.services import sessions, two_factor
from app.services.access import access_for
from app.web.i18n import current_locale, pick_locale


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    pass


class SecondFactorRequired(Exception):
    """An admin without a second factor asked for a page (app.web.two_factor sends them to
    set one up)."""


@dataclass(frozen=True)
class Viewer:
    user: User
    access: Access
    csrf_token: str
    session_id: int
    # an admin who must set up two-factor first (app.services.two_factor.must_enrol)
    must_enrol: bool = False


def choose_locale(request: Request, user: User | None) -> str:
    locale = pick_locale(
        # a language the user never chose on their profile leaves it to the browser
        user_locale=user.locale if user and user.locale_chosen else None,
        accept_language=request.headers.get("accept-language"),
        default=request.app.state.settings.locale,
    )
    request.state.locale = locale
    # for gettext in the caller's own context (a route or handler that chose it itself)
    current_locale.set(locale)
    return locale


async def form_csrf_token(request: Request) -> str | None:
    """The csrf_token field of a plain form post (HTMX sends the header instead)."""
    if request.method in SAFE_METHODS:
        return None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


def optional_viewer(
    request: Request,
    session: SessionDep,
    engine: EngineDep,
    form_token: Annotated[str | None, Depends(form_csrf_token)],
) -> Viewer | None:
    found = cookie_session(request, session)
    if found is None:
        choose_locale(request, None)
        request.state.page_context = {"viewer": None, "csrf_token": ""}
        return None
    record, user = found
    assert record.id is not None
    if csrf_refused(request, record, request.headers.get("x-csrf-token") or form_token):
        raise CsrfRefused()
    if sessions.needs_touch(record):
        if request.method in SAFE_METHODS:
            with write_session(engine) as writing:
                sessions.touch(session=writing, session_id=record.id)
        else:
            # This request's own session already holds the write lock (BEGIN IMMEDIATE on
            # SQLite): a second writer would wait for it until the busy timeout and answer 503.
            sessions.touch(session=session, session_id=record.id)
    viewer = Viewer(
        user=user,
        access=access_for(session, user),
        csrf_token=record.csrf_token,
        session_id=record.id,
        must_enrol=two_factor.must_enrol(
            session=session, settings=request.app.state.settings, user=user, session_id=record.id
        ),
    )
    choose_locale(request, user)
    request.state.page_context = {
        "viewer": viewer,
        "csrf_token": record.csrf_token,
        # who `@Naam` in a text links to (the mentions filter), read only when a text has an @
        "mention_people": LazyDirectory(session),
    }
    return viewer


async def viewer_in_their_language(
    request: Request, viewer: Annotated[Viewer | None, Depends(optional_viewer)]
) -> Viewer | None:
    """The viewer (or None), with their language set for messages made in Python too.

    Async on purpose: a context variable set in a sync dependency stays in that dependency's
    worker thread; set here, it is copied into the route's thread."""
    current_locale.set(getattr(request.state, "locale", "nl"))
    return viewer


async def signed_in_viewer(
    request: Request, viewer: Annotated[Viewer | None, Depends(viewer_in_their_language)]
) -> Viewer:
    if viewer is None:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        raise LoginRequired(quote(target, safe="/?=&"))
    return viewer


async def require_viewer(viewer: Annotated[Viewer, Depends(signed_in_viewer)]) -> Viewer:
    """The signed-in viewer; an admin who must set up two-factor goes there first."""
    if viewer.must_enrol:
        raise SecondFactorRequired()
    return viewer


ViewerDep = Annotated[Viewer, Depends(require_viewer)]
# signed in, also while an admin still has to set up two-factor (that page itself, logging out)
EnrollingViewerDep = Annotated[Viewer, Depends(signed_in_viewer)]
OptionalViewerDep = Annotated[Viewer | None, Depends(viewer_in_their_language)]


class PageRequest(NamedTuple):
    """What most page routes need at once: the request, who asks, the database and today."""

    request: Request
    viewer: Viewer
    session: Session
    engine: Engine
    today: date


def page_request(
    request: Request, viewer: ViewerDep, session: SessionDep, engine: EngineDep, today: Today
) -> PageRequest:
    return PageRequest(request, viewer, session, engine, today)


PageDep = Annotated[PageRequest, Depends(page_request)]


class StreamOptions(TypedDict):
    """What every live page's stream takes besides its own rule: whose session it runs on (it
    ends with that session, checked every `recheck` seconds) and whether the browser came back
    after losing the connection (Last-Event-ID: then it fetches everything again)."""

    credential: Credential
    still_valid: Callable[[], bool]
    recheck: float
    reconnected: bool


def stream_options(request: Request, viewer: Viewer) -> StreamOptions:
    assert viewer.user.id is not None
    credential = Credential(user_id=viewer.user.id, session_id=viewer.session_id)
    settings = request.app.state.settings
    return StreamOptions(
        credential=credential,
        still_valid=sessions.stream_guard(request.app.state.engine, settings, credential),
        recheck=settings.stream_recheck_seconds,
        reconnected=request.headers.get("last-event-id") is not None,
    )


def event_stream_response(messages: AsyncIterator[str]) -> StreamingResponse:
    return StreamingResponse(messages, media_type="text/event-stream", headers=SSE_HEADERS)
