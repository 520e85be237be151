"""Who is asking the API: a bearer token, or the browser session with its CSRF header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.deps import SessionDep, cookie_session, csrf_refused
from app.domain.permissions import Access
from app.models import MAX_ID, User
from app.queries.common import Page, paged
from app.services import two_factor
from app.services.access import access_for
from app.services.auth import user_for_token
from app.translatable import N_


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# Documents the scheme in the OpenAPI schema (every operation: `security: [{"bearer": []}]`);
# it never refuses by itself: the header is read below, and a browser session counts too.
BEARER = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="vb_…",
    description="An API key from `verbeterbord token create`: `Authorization: Bearer vb_…`. "
    "In the browser the session cookie counts too (unsafe methods with `X-CSRF-Token`).",
    auto_error=False,
)
DocumentedBearer = Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]


def get_current_user(request: Request, session: SessionDep, _: DocumentedBearer) -> User:
    """The user of a bearer token, or of the browser session (whose unsafe requests must carry
    the CSRF token in X-CSRF-Token)."""
    token = _bearer_token(request)
    user = user_for_token(session, token) if token is not None else _session_user(request, session)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=N_("Niet ingelogd."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.user_id = user.id  # for the security log
    return user


def _session_user(request: Request, session: Session) -> User | None:
    found = cookie_session(request, session)
    if found is None:
        return None
    record, user = found
    if csrf_refused(request, record, request.headers.get("x-csrf-token")):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=N_("CSRF-token ontbreekt of klopt niet.")
        )
    assert record.id is not None
    settings = request.app.state.settings
    if two_factor.must_enrol(session=session, settings=settings, user=user, session_id=record.id):
        # as on the pages; an API token is not affected
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=two_factor.ENROL_FIRST)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_access(user: CurrentUser, session: SessionDep) -> Access:
    return access_for(session, user)


AccessDep = Annotated[Access, Depends(get_access)]


class Paging:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset

    def of(self, session: Session, statement: Any) -> Page[Any]:
        """This page of what the statement selects, with the total."""
        return paged(session, statement, limit=self.limit, offset=self.offset)


PagingDep = Annotated[Paging, Depends()]
