"""The live ambition page: a server-sent event stream that names the part of the page a change
touched, so that part fetches itself again (htmx SSE extension, data-hx-trigger="sse:…").

Event names, one per swap target on templates/ambitions/ambition.html:

- ``voortgang``: actions per sprint (an action of this ambition was added, moved or removed);
- ``doelen``: the short-term goals (one was added or marked achieved);
- ``knelpunten``: the open knelpunten of the ambition's actions;
- ``metingen-{id}``: one indicator's latest value, chart and table (a measurement);
- ``in-het-licht``: the wins (a team working on the ambition saved its evaluation).

An indicator added or removed is not redrawn for others (the part holds the forms people may
be typing in); the next visit shows it. The data line is a small JSON object, never HTML.
Each event carries its change's id, so a browser that lost the connection reconnects with
Last-Event-ID; it may have missed anything, so it is told to fetch every part again.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.deps import PathId, SessionDep
from app.events import (
    KEEPALIVE_SECONDS,
    RECHECK_SECONDS,
    Broker,
    ChangeEvent,
    Credential,
    broker,
    event_stream,
)
from app.models import Ambition
from app.queries.ambitions import ambition_details
from app.queries.indicators import indicators_of
from app.services.access import get_or_404
from app.web.deps import ViewerDep, event_stream_response, stream_options

router = APIRouter()


@dataclass(frozen=True)
class AmbitionWatch:
    """What one open ambition page shows: the ambition and the teams whose wins it lists."""

    ambition_id: int
    team_ids: frozenset[int]
    indicator_ids: tuple[int, ...] = ()

    def every_part(self) -> list[str]:
        """What a page fetches again after a reconnect: all its live parts."""
        parts = ["voortgang", "doelen", "knelpunten", "in-het-licht"]
        return parts + [f"metingen-{i}" for i in self.indicator_ids]


def event_names(change: ChangeEvent, watch: AmbitionWatch) -> list[str]:
    """The named events a change means for one ambition page."""
    kind = change.type.split(".", 1)[0]
    if kind == "evaluation":
        return ["in-het-licht"] if change.team_id in watch.team_ids else []
    if watch.ambition_id not in change.details.get("ambition_ids", []):
        return []
    if kind == "action":
        return ["voortgang"]
    if kind == "goal":
        return ["doelen"]
    if kind == "escalation":
        return ["knelpunten"]
    if kind == "measurement":
        return [f"metingen-{i}" for i in change.details.get("indicator_ids", [])]
    return []


def format_event(name: str, change: ChangeEvent) -> str:
    data = json.dumps({"type": change.type, "id": change.entity_id})
    return f"id: {change.id}\nevent: {name}\ndata: {data}\n\n"


def reconnect_events(watch: AmbitionWatch) -> list[str]:
    return [f"event: {name}\ndata: {{}}\n\n" for name in watch.every_part()]


def ambition_stream(
    is_disconnected: Callable[[], Awaitable[bool]],
    watch: AmbitionWatch,
    *,
    source: Broker = broker,
    keepalive: float = KEEPALIVE_SECONDS,
    credential: Credential | None = None,
    still_valid: Callable[[], bool] | None = None,
    recheck: float = RECHECK_SECONDS,
    reconnected: bool = False,
) -> AsyncIterator[str]:
    """Named events for one ambition page until the browser goes away (or its session
    ends). An ambition spans teams, so it listens to every team and keeps what concerns it.
    A knelpunt is told once per board it is on, so its part may be fetched twice: harmless."""

    def messages(change: ChangeEvent) -> list[str]:
        return [format_event(name, change) for name in event_names(change, watch)]

    async def opening() -> list[str]:
        return reconnect_events(watch) if reconnected else []

    return event_stream(
        is_disconnected,
        messages,
        opening=opening,
        source=source,
        keepalive=keepalive,
        credential=credential,
        still_valid=still_valid,
        recheck=recheck,
    )


def watch_for(session: Session, ambition_id: int) -> AmbitionWatch:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    team_ids, _goals = ambition_details(session, [ambition])
    indicators = indicators_of(session, ambition_id=ambition_id)
    return AmbitionWatch(
        ambition_id=ambition_id,
        team_ids=frozenset(team_ids[ambition_id]),
        indicator_ids=tuple(i.id for i in indicators if i.id is not None),
    )


@router.get("/ambities/{ambition_id}/live", response_class=StreamingResponse)
async def ambition_live(
    request: Request, ambition_id: PathId, viewer: ViewerDep, session: SessionDep
) -> StreamingResponse:
    watch = await run_in_threadpool(watch_for, session, ambition_id)
    # the stream runs for a long time: give the database connection back now
    await run_in_threadpool(session.close)
    return event_stream_response(
        ambition_stream(request.is_disconnected, watch, **stream_options(request, viewer))
    )
