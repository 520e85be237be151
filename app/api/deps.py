"""Dependencies shared by the API routes: the session, who is asking, paging and ids."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request, status
from sqlalchemy import Engine
from sqlmodel import Session

from app import clock
from app.db import writer
from app.domain.permissions import Access
from app.models import MAX_ID, User
from app.services.access import access_for
from app.services.auth import user_for_token
from app.services.sessions import session_for_cookie
from app.web.cookies import read_session_cookie
from app.web.security import tokens_match

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


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def get_current_user(request: Request, session: SessionDep) -> User:
    """The user of a bearer token, or of the browser session (whose unsafe requests must carry
    the CSRF token in X-CSRF-Token)."""
    token = _bearer_token(request)
    if token is not None:
        user = user_for_token(session, token)
    else:
        user = _session_user(request, session)
    if user is not None:
        request.state.user_id = user.id  # for the security log
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Niet ingelogd.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def _session_user(request: Request, session: Session) -> User | None:
    settings = request.app.state.settings
    cookie = read_session_cookie(request, settings)
    found = session_for_cookie(session, settings, cookie) if cookie else None
    if found is None:
        return None
    record, user = found
    request.state.user_id = user.id  # for the security log, also when the CSRF check fails
    if request.method not in SAFE_METHODS and not tokens_match(
        record.csrf_token, request.headers.get("x-csrf-token")
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="CSRF-token ontbreekt of klopt niet.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_access(user: CurrentUser, session: SessionDep) -> Access:
    return access_for(session, user)


AccessDep = Annotated[Access, Depends(get_access)]


def get_today() -> date:
    return clock.today()


Today = Annotated[date, Depends(get_today)]

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class Paging:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PagingDep = Annotated[Paging, Depends()]
