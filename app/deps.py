"""What the pages and the API share: the database session, today, id parameters and the
session cookie → user lookup. Neither app.web nor app.api is imported here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.cookies import read_session_cookie, tokens_match
from app.db import writer
from app.models import MAX_ID, User, UserSession
from app.services.sessions import session_for_cookie

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """A read session for safe methods; for the others a write session, whose transaction
    (BEGIN IMMEDIATE on SQLite) the service commits."""
    engine = request.app.state.engine
    bind = engine if request.method in SAFE_METHODS else writer(engine)
    with Session(bind, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]


def get_today() -> date:
    return clock.today()


Today = Annotated[date, Depends(get_today)]

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def cookie_session(request: Request, session: Session) -> tuple[UserSession, User] | None:
    """The browser session and its user, from the signed session cookie (None without one)."""
    settings = request.app.state.settings
    cookie = read_session_cookie(request, settings)
    found = session_for_cookie(session, settings, cookie) if cookie else None
    if found is not None:
        request.state.user_id = found[1].id  # for the security log, also when CSRF fails
    return found


def csrf_refused(request: Request, record: UserSession, given: str | None) -> bool:
    """An unsafe request on a cookie session that does not carry that session's CSRF token."""
    return request.method not in SAFE_METHODS and not tokens_match(record.csrf_token, given)
