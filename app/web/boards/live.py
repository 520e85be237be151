"""Live board pages: a server-sent event stream that names the part of the page a change
touched, so the page fetches just that part again (htmx SSE extension, data-hx-trigger="sse:…").

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

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.deps import PathId, QueryId, SessionDep
from app.events import KEEPALIVE_SECONDS, SSE_HEADERS, Broker, ChangeEvent, broker, event_stream
from app.models import Team
from app.queries.boards import ambitions_on_board, child_teams, lane_ambitions
from app.services.access import get_or_404
from app.web.boards.view import LANE_NONE, lane_key
from app.web.deps import ViewerDep

router = APIRouter()


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


def live_stream(
    is_disconnected: Callable[[], Awaitable[bool]],
    watch: Watch,
    *,
    source: Broker = broker,
    keepalive: float = KEEPALIVE_SECONDS,
) -> AsyncIterator[str]:
    """Named events for one page until the browser goes away.

    A team of teams also hears its child teams (for the lanes), so it listens to every team
    and keeps what concerns it; a team listens to itself only."""
    return event_stream(
        is_disconnected,
        lambda change: [format_event(name, change) for name in event_names(change, watch)],
        team_id=None if watch.child_ids else watch.team_id,
        source=source,
        keepalive=keepalive,
    )


def watch_for(session: Session, team_id: int, sprint_id: int | None) -> Watch:
    """The rows and child teams the page of this board shows (as the page itself reads them)."""
    get_or_404(session, Team, team_id, "Team")
    referenced = (
        ambitions_on_board(session, team_id=team_id, sprint_id=sprint_id)
        if sprint_id is not None
        else set()
    )
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
        headers=SSE_HEADERS,
    )
