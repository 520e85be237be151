"""Live board pages: a server-sent event stream that names the part of the page a change
touched, so the page fetches just that part again (htmx SSE extension, hx-trigger="sse:…").

Event names, one per swap target:

- ``row-a{ambition id}`` / ``row-zonder``: one row of the board (a move touches its old and
  new column, both in that row; a new ambition moves the card between two rows);
- ``bord``: all rows, for a change that lands in a row the page does not have yet, or that
  does not say which row (the end of a sprint);
- ``lanes``: the child teams' lanes of a team of teams;
- ``knelpunten``: the knelpunten of the board;
- ``card-{id}``: one card (a knelpunt raised from it or resolved);
- ``reacties-{id}``: the reacties of one action.

The data line is a small JSON object (type and id), never HTML.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from app.deps import PathId, QueryId, SessionDep
from app.events import Broker, ChangeEvent, broker
from app.models import Action, Team
from app.queries.boards import child_teams, lane_ambitions
from app.services.access import get_or_404
from app.web.board_view import LANE_NONE, lane_key
from app.web.deps import ViewerDep

router = APIRouter()

KEEPALIVE_SECONDS = 15.0


@dataclass
class Watch:
    """What one open board page shows: its team, the child teams in its lanes, its sprint and
    the rows it has (rows that appear later are added when the page is told to redraw)."""

    team_id: int
    child_ids: frozenset[int] = frozenset()
    sprint_id: int | None = None
    lanes: set[str] = field(default_factory=lambda: {LANE_NONE})


def _in_sprint(change: ChangeEvent, sprint_id: int | None) -> bool:
    sprints = change.details.get("sprint_ids")
    return sprint_id is None or not sprints or sprint_id in sprints


def event_names(change: ChangeEvent, watch: Watch) -> list[str]:
    """The named events a change means for one board page, in order, without repeats."""
    kind = change.type.split(".", 1)[0]
    action_ids = change.details.get("action_ids", [])
    names: list[str] = []
    if change.team_id == watch.team_id:
        if kind == "action" and _in_sprint(change, watch.sprint_id):
            ambitions = change.details.get("ambition_ids")
            rows = [lane_key(a or None) for a in ambitions] if ambitions is not None else None
            if rows is None or any(row not in watch.lanes for row in rows):
                watch.lanes.update(rows or [])
                names.append("bord")
            else:
                names.extend(f"row-{row}" for row in rows)
        elif kind == "comment":
            names.extend(f"reacties-{action_id}" for action_id in action_ids)
        elif kind == "escalation":
            names.append("knelpunten")
            names.extend(f"card-{action_id}" for action_id in action_ids)
    elif change.team_id in watch.child_ids and (
        kind == "escalation" or (kind == "action" and _in_sprint(change, watch.sprint_id))
    ):
        names.append("lanes")
    return list(dict.fromkeys(names))


def format_event(name: str, change: ChangeEvent) -> str:
    data = json.dumps({"type": change.type, "id": change.entity_id})
    return f"event: {name}\ndata: {data}\n\n"


async def live_stream(
    is_disconnected: Callable[[], Awaitable[bool]],
    watch: Watch,
    *,
    source: Broker = broker,
    keepalive: float | None = None,
) -> AsyncIterator[str]:
    """Named events for one page until the browser goes away; the subscription ends with it.

    A team of teams also hears its child teams (for the lanes), so it listens to every team
    and keeps what concerns it; a team listens to itself only."""
    subscription = source.subscribe(None if watch.child_ids else watch.team_id)
    wait = keepalive or KEEPALIVE_SECONDS
    try:
        yield "retry: 1000\n\n"
        while not await is_disconnected():
            try:
                change = await asyncio.wait_for(subscription.queue.get(), wait)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            for name in event_names(change, watch):
                yield format_event(name, change)
    finally:
        subscription.close()


def watch_for(session: Session, team_id: int, sprint_id: int | None) -> Watch:
    """The rows and child teams the page of this board shows (as the page itself reads them)."""
    get_or_404(session, Team, team_id, "Team")
    referenced: set[int] = set()
    if sprint_id is not None:
        referenced = {
            ambition_id
            for ambition_id in session.exec(
                select(Action.ambition_id)
                .where(Action.team_id == team_id, Action.sprint_id == sprint_id)
                .distinct()
            )
            if ambition_id is not None
        }
    lanes = {lane_key(a.id) for a in lane_ambitions(session, referenced=referenced)}
    children = frozenset(
        child.id for child in child_teams(session, team_id=team_id) if child.id is not None
    )
    return Watch(
        team_id=team_id, child_ids=children, sprint_id=sprint_id, lanes={LANE_NONE, *lanes}
    )


@router.get("/teams/{team_id}/live", response_class=StreamingResponse)
async def board_live(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    sprint_id: QueryId = None,
) -> StreamingResponse:
    watch = await run_in_threadpool(watch_for, session, team_id, sprint_id)
    # the stream runs for a long time: give the database connection back now
    await run_in_threadpool(session.close)
    return StreamingResponse(
        live_stream(request.is_disconnected, watch),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
