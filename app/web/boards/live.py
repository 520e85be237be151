"""Live board pages: a server-sent event stream that names the part of the page a change
touched, so the page fetches just that part again (htmx SSE extension, data-hx-trigger="sse:…").

Event names, one per swap target:

- ``row-a{ambition id}`` / ``row-zonder``: one row of the board (a move touches its old and
  new column, both in that row; a new ambition moves the card between two rows; a knelpunt
  raised from a card or resolved changes the card's flags: its row, for a card carries no live
  address of its own, which keeps the board's HTML per card small);
- ``bord``: all rows, for a change that lands in a row the page does not have yet, or that
  does not say which row (the end of a sprint);
- ``lanes``: the child teams' lanes of a team of teams;
- ``knelpunten``: the knelpunten of the board;
- ``reacties-{id}``: the reacties of one action;
- ``aanwezig``: who has this board open (stand-up screens only, see Presence below).

The data line is a small JSON object (type and id), never HTML. A stream ends when its browser
session does (logout, deactivation, expiry): app/events.py. A change's event carries its id, so
a browser that lost the connection reconnects with Last-Event-ID; it may have missed anything,
so it is told to fetch the whole board, lanes and knelpunten again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.deps import PathId, QueryId, SessionDep
from app.events import (
    KEEPALIVE_SECONDS,
    RECHECK_SECONDS,
    Broker,
    ChangeEvent,
    Credential,
    broker,
    event_stream,
)
from app.models import Location, Team, User, utcnow
from app.queries.boards import ambitions_on_board, child_teams, lane_ambitions
from app.queries.standups import Attendee, Office, by_office
from app.services.access import get_or_404
from app.web.boards.view import LANE_NONE, STANDUP, lane_key
from app.web.deps import ViewerDep, event_stream_response, stream_options

router = APIRouter()


@dataclass
class Watch:
    """What one open board page shows: its team, the child teams in its lanes, its sprint and
    the rows it has (rows that appear later are added when the page is told to redraw)."""

    team_id: int
    child_ids: frozenset[int] = frozenset()
    sprint_id: int | None = None
    lanes: set[str] = field(default_factory=lambda: {LANE_NONE})
    standup: bool = False  # a stand-up screen, which shows who has the board open


def _in_sprint(change: ChangeEvent, sprint_id: int | None) -> bool:
    sprints = change.details.get("sprint_ids")
    return sprint_id is None or not sprints or sprint_id in sprints


def _rows(ambitions: list[int] | None, watch: Watch) -> list[str]:
    """The rows of these ambitions (0: the row without one); the whole board when the change
    does not say, or names a row the page does not have yet."""
    rows = [lane_key(a or None) for a in ambitions] if ambitions is not None else None
    if rows is None or any(row not in watch.lanes for row in rows):
        watch.lanes.update(rows or [])
        return ["bord"]
    return [f"row-{row}" for row in rows]


def event_names(change: ChangeEvent, watch: Watch) -> list[str]:
    """The named events a change means for one board page, in order, without repeats."""
    kind = change.type.split(".", 1)[0]
    action_ids = change.details.get("action_ids", [])
    names: list[str] = []
    if kind == PRESENCE_KIND:
        return ["aanwezig"] if watch.standup and change.entity_id == watch.team_id else []
    if change.team_id == watch.team_id:
        if kind == "action" and _in_sprint(change, watch.sprint_id):
            names.extend(_rows(change.details.get("ambition_ids"), watch))
        elif kind == "comment":
            names.extend(f"reacties-{action_id}" for action_id in action_ids)
        elif kind == "escalation":
            names.append("knelpunten")
            if action_ids:  # the card's flag: its row (an action without ambition: [])
                names.extend(_rows(change.details.get("ambition_ids") or [0], watch))
    elif change.team_id in watch.child_ids and (
        kind == "escalation" or (kind == "action" and _in_sprint(change, watch.sprint_id))
    ):
        names.append("lanes")
    return list(dict.fromkeys(names))


def format_event(name: str, change: ChangeEvent) -> str:
    data = json.dumps({"type": change.type, "id": change.entity_id})
    # presence is no saved change: it has no id to resume from
    resume = f"id: {change.id}\n" if change.id else ""
    return f"{resume}event: {name}\ndata: {data}\n\n"


def reconnect_events(watch: Watch) -> list[str]:
    """After a reconnect: every part of the board fetches itself again."""
    names = ["bord", "knelpunten", *(["lanes"] if watch.child_ids else [])]
    if watch.standup:
        names.append("aanwezig")
    return [f"event: {name}\ndata: {{}}\n\n" for name in names]


# --- presence: who has a board open ------------------------------------------------------------
PRESENCE_KIND = "presence"


@dataclass(frozen=True)
class Viewing:
    """One open board stream: whose, from which office, since when."""

    who: Attendee
    since: datetime


@dataclass(frozen=True)
class Present:
    """Who has a board open, per office, as the stand-up screen lists them."""

    offices: list[Office]
    since: dict[int, datetime]  # user id → when their first open stream began

    @property
    def count(self) -> int:
        return len(self.since)


class Presence:
    """The open board and stand-up streams per team in this process: each stream enters when it
    opens and leaves when it ends, and every change is told to the team's stand-up screens (an
    event of kind "presence" through the broker, which they turn into "aanwezig").

    In-process on purpose: on SQLite one process is the supported set-up. With several
    processes (PostgreSQL) a stand-up screen shows the viewers of the process serving it."""

    def __init__(self, source: Broker = broker) -> None:
        self._lock = threading.Lock()
        self._open: dict[int, dict[object, Viewing]] = {}
        self._source = source

    def enter(self, team_id: int, viewing: Viewing) -> object:
        key = object()
        with self._lock:
            self._open.setdefault(team_id, {})[key] = viewing
        self._tell(team_id)
        return key

    def leave(self, team_id: int, key: object) -> None:
        with self._lock:
            streams = self._open.get(team_id, {})
            gone = streams.pop(key, None)
            if not streams:
                self._open.pop(team_id, None)
        if gone is not None:
            self._tell(team_id)

    def of(self, team_id: int) -> Present:
        """Everyone with the board open, once each (a second tab changes nothing)."""
        with self._lock:
            viewings = list(self._open.get(team_id, {}).values())
        first: dict[int, Viewing] = {}
        for viewing in sorted(viewings, key=lambda v: v.since):
            first.setdefault(viewing.who.user_id, viewing)
        return Present(
            offices=by_office([v.who for v in first.values()]),
            since={user_id: v.since for user_id, v in first.items()},
        )

    def _tell(self, team_id: int) -> None:
        self._source.publish(
            ChangeEvent(
                id=0,
                type=f"{PRESENCE_KIND}.updated",
                entity_id=team_id,
                team_id=team_id,
                version=None,
            )
        )


presence = Presence()


def attendee(session: Session, user: User) -> Attendee:
    """The viewer as the presence list shows them: name and office."""
    assert user.id is not None
    office = session.get(Location, user.location_id) if user.location_id is not None else None
    return Attendee(
        user_id=user.id,
        name=user.name,
        location_id=user.location_id,
        location=office.name if office is not None else None,
    )


def live_stream(
    is_disconnected: Callable[[], Awaitable[bool]],
    watch: Watch,
    *,
    source: Broker = broker,
    keepalive: float = KEEPALIVE_SECONDS,
    credential: Credential | None = None,
    still_valid: Callable[[], bool] | None = None,
    recheck: float = RECHECK_SECONDS,
    who: Attendee | None = None,
    registry: Presence = presence,
    reconnected: bool = False,
) -> AsyncIterator[str]:
    """Named events for one page until the browser goes away (or its session ends).

    A team of teams also hears its child teams (for the lanes), so it listens to every team
    and keeps what concerns it; a team listens to itself only. With `who` the stream counts
    as that person having the board open (presence) while it lasts."""
    entered: list[object] = []

    async def opening() -> list[str]:
        # once subscribed, so this page hears its own arrival too
        if who is not None:
            entered.append(registry.enter(watch.team_id, Viewing(who, utcnow())))
        return reconnect_events(watch) if reconnected else []

    stream = event_stream(
        is_disconnected,
        lambda change: [format_event(name, change) for name in event_names(change, watch)],
        team_id=None if watch.child_ids else watch.team_id,
        opening=opening,
        source=source,
        keepalive=keepalive,
        credential=credential,
        still_valid=still_valid,
        recheck=recheck,
    )
    return _leaving(stream, registry, watch.team_id, entered)


async def _leaving(
    stream: AsyncIterator[str], registry: Presence, team_id: int, entered: list[object]
) -> AsyncIterator[str]:
    try:
        async for message in stream:
            yield message
    finally:
        for key in entered:
            registry.leave(team_id, key)


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
    weergave: str | None = None,
) -> StreamingResponse:
    watch = await run_in_threadpool(watch_for, session, team_id, sprint_id)
    watch.standup = weergave == STANDUP
    who = await run_in_threadpool(attendee, session, viewer.user)
    # the stream runs for a long time: give the database connection back now
    await run_in_threadpool(session.close)
    return event_stream_response(
        live_stream(request.is_disconnected, watch, who=who, **stream_options(request, viewer))
    )
