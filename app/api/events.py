"""/api/v1/events: the changes committed in this process, as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session, col, or_, select
from starlette.concurrency import run_in_threadpool

from app.api.deps import CurrentUser, _bearer_token
from app.api.responses import errors
from app.db import read_session
from app.deps import QueryId, SessionDep, cookie_session
from app.events import PERSONAL_ENTITIES, SSE_HEADERS, ChangeEvent, Credential, event_stream
from app.models import AuditEvent, User
from app.notify import commit_log
from app.services.sessions import stream_guard, token_id_for

router = APIRouter()
REPLAY_LIMIT = 1000


def format_event(change: ChangeEvent) -> str:
    return f"id: {change.id}\ndata: {json.dumps(change.payload())}\n\n"


def missed_since(engine: Engine, last_event_id: int, team_id: int | None) -> list[ChangeEvent]:
    """What a reconnecting client missed, read back from the audit table."""
    statement = select(AuditEvent).where(
        AuditEvent.id > last_event_id,  # type: ignore[operator]
        col(AuditEvent.entity).not_in(PERSONAL_ENTITIES),
    )
    if team_id is not None:
        statement = statement.where(
            or_(col(AuditEvent.team_id) == team_id, col(AuditEvent.team_id).is_(None))
        )
    with read_session(engine) as session:
        events = session.exec(statement.order_by(col(AuditEvent.id)).limit(REPLAY_LIMIT)).all()
    return [
        ChangeEvent(
            id=event.id or 0,
            type=f"{event.entity}.{event.verb}",
            entity_id=event.entity_id,
            team_id=event.team_id,
            version=event.version,
        )
        for event in events
    ]


def credential_of(request: Request, session: Session, user: User) -> Credential:
    """The API token or browser session this request signed in with (get_current_user let it
    in), so the stream ends when that one is revoked or logged out."""
    assert user.id is not None
    token = _bearer_token(request)
    if token is not None:
        return Credential(user_id=user.id, token_id=token_id_for(session, token) or 0)
    found = cookie_session(request, session)
    return Credential(user_id=user.id, session_id=found[0].id if found else 0)


def stream_changes(
    request: Request,
    team_id: int | None,
    last_event_id: int | None,
    credential: Credential | None = None,
) -> AsyncIterator[str]:
    replayed: set[int] = set()

    async def replay() -> list[str]:
        if last_event_id is None:
            return []
        # in commit order when this process's listener saw last_event_id (app.notify), else by id
        missed = commit_log.after(last_event_id, team_id, REPLAY_LIMIT)
        if missed is None:
            missed = await run_in_threadpool(
                missed_since, request.app.state.engine, last_event_id, team_id
            )
        missed = [change for change in missed if not change.is_personal]
        replayed.update(change.id for change in missed)
        return [format_event(change) for change in missed]

    def messages(change: ChangeEvent) -> list[str]:
        # already sent while replaying (ids need not grow: they come in commit order)
        if change.id in replayed or change.is_personal or change.type.startswith("presence."):
            return []  # presence (who has a board open) is for the pages only
        return [format_event(change)]

    settings = request.app.state.settings
    return event_stream(
        request.is_disconnected,
        messages,
        team_id=team_id,
        opening=replay,
        credential=credential,
        still_valid=stream_guard(request.app.state.engine, settings, credential)
        if credential is not None
        else None,
        recheck=settings.stream_recheck_seconds,
    )


class EventStreamResponse(StreamingResponse):
    media_type = "text/event-stream"


EVENT_STREAM = """One server-sent event per committed change, while the connection stays open:

```
id: 4711
data: {"type": "action.updated", "id": 42, "team_id": 3, "version": 7}

```

- `id`: the change's number. Events come in the order their changes were saved, so with
  several server processes a lower number can follow a higher one. Send the last one you saw
  as `Last-Event-ID` when you reconnect to get what you missed (at most 1000).
- `data`: one JSON object: `type` is `<entity>.<verb>` (`action.created`, `action.updated`,
  `action.deleted`, `escalation.created`, …), `id` the changed object's
  id, `team_id` its team (or `null`), `version` its new version (or `null`). Changes to
  people's sign-ins, API keys, agenda links, e-mails and mentions are not sent.

Read the object itself through the API when you need more than that. Lines starting with
`:` are keep-alive comments."""


@router.get(
    "/events",
    response_class=EventStreamResponse,
    tags=["events"],
    responses={
        200: {
            "description": EVENT_STREAM,
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **errors(422),
    },
)
async def stream_events(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    team_id: QueryId = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Every change as it is committed, as server-sent events (`text/event-stream`); with
    `team_id` only that team's changes (and those of no team). Reconnect with `Last-Event-ID`
    to receive what you missed. The stream ends when you log out, your API key is revoked or
    your account is deactivated (within seconds; at the latest after
    `stream_recheck_seconds`, 15 by default)."""
    credential = await run_in_threadpool(credential_of, request, session, user)
    # the stream runs for a long time: give the database connection back now
    await run_in_threadpool(session.close)
    last_id = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    return StreamingResponse(
        stream_changes(request, team_id, last_id, credential),
        media_type=EventStreamResponse.media_type,
        headers=SSE_HEADERS,
    )
