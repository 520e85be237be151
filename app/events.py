"""Changes committed in this process, fanned out to the live streams.

Every change already writes an audit event; its id is the event id, so a client that
reconnects with Last-Event-ID can be given what it missed from the audit table.

A stream ends when the credential it was opened with no longer lets its user in (logged out,
deactivated, the API token revoked, the session expired): ending a session or revoking a token
writes an audit event (`user_session.updated`, `api_token.updated`, `user.updated`) like any
change, so it reaches the streams through the broker and the stream holding that credential
checks it at once and ends. A change made in another process reaches this one's broker only
where the events travel between processes (PostgreSQL); for the rest every stream checks its
credential again at least every RECHECK_SECONDS (one small read, on the heartbeat's rhythm), so
a stream ends at the latest that long after its credential did. With PostgreSQL the ending
travels through LISTEN/NOTIFY like every change (app.notify), so a logout through one process
ends the streams on the others at once too (tests/concurrency/test_stream_ends.py).

What a stream promises, and where it is tested:
- idle, it sends a comment (": keep-alive") every KEEPALIVE_SECONDS, so proxies keep it open
  (tests/web/test_personal_live.py, tests/concurrency/test_stream_ends.py);
- a client that reconnects gets what it missed: /api/v1/events replays from Last-Event-ID
  (app/api/events.py; tests/concurrency/test_event_stream.py, test_two_processes.py); a board
  page redraws its big parts when its stream opens again (static/js/board.js, htmx:sseOpen) and
  Mijn acties gets one event at once after a reconnect (app/web/personal.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

# Someone's sign-ins, keys, links, codes, mails and mentions are nobody else's business: the
# API's stream leaves these out (the stream's own credential check still hears them).
PERSONAL_ENTITIES = frozenset(
    {
        "api_token",
        "calendar_feed",
        "login_attempt",
        "mention",
        "recovery_code",
        "sent_mail",
        "user_session",
    }
)


@dataclass(frozen=True)
class ChangeEvent:
    id: int
    type: str  # <entity>.created|updated|deleted
    entity_id: int
    team_id: int | None
    version: int | None
    # What live pages need to decide which part to redraw (e.g. the statuses an action moved
    # between, its owners); not part of the API's payload.
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_personal(self) -> bool:
        return self.type.partition(".")[0] in PERSONAL_ENTITIES

    def payload(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.entity_id,
            "team_id": self.team_id,
            "version": self.version,
        }


@dataclass(frozen=True)
class Credential:
    """What a stream's client signed in with: a browser session or an API token, by id."""

    user_id: int
    session_id: int | None = None
    token_id: int | None = None

    def touched_by(self, change: ChangeEvent) -> bool:
        """Whether a change may have ended this credential (then the stream checks it now)."""
        if change.type == "user_session.updated":
            return change.entity_id == self.session_id
        if change.type == "api_token.updated":
            return change.entity_id == self.token_id
        return change.type in ("user.updated", "user.deleted") and change.entity_id == self.user_id


class Subscription:
    def __init__(self, broker: Broker, team_id: int | None) -> None:
        self.broker = broker
        self.team_id = team_id
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[ChangeEvent] = asyncio.Queue(maxsize=1000)

    def wants(self, change: ChangeEvent) -> bool:
        return self.team_id is None or change.team_id in (None, self.team_id)

    def deliver(self, change: ChangeEvent) -> None:
        if self.queue.full():  # a client that stopped reading loses old events, not the server
            self.queue.get_nowait()
        self.queue.put_nowait(change)

    def close(self) -> None:
        self.broker.unsubscribe(self)


class Broker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: set[Subscription] = set()

    def subscribe(self, team_id: int | None = None) -> Subscription:
        subscription = Subscription(self, team_id)
        with self._lock:
            self._subscriptions.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def publish(self, change: ChangeEvent) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            if subscription.wants(change):
                try:
                    subscription.loop.call_soon_threadsafe(subscription.deliver, change)
                except RuntimeError:  # its event loop has closed
                    self.unsubscribe(subscription)


broker = Broker()

PENDING_KEY = "verbeterbord_pending_events"


def queue_after_commit(session: Session, change: ChangeEvent) -> None:
    session.info.setdefault(PENDING_KEY, []).append(change)


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    for change in session.info.pop(PENDING_KEY, []):
        broker.publish(change)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


KEEPALIVE_SECONDS = 15.0
RECHECK_SECONDS = 15.0  # a stream checks its credential at least this often
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def event_stream(
    is_disconnected: Callable[[], Awaitable[bool]],
    messages: Callable[[ChangeEvent], Iterable[str]],
    *,
    team_id: int | None = None,
    opening: Callable[[], Awaitable[Iterable[str]]] | None = None,
    source: Broker = broker,
    keepalive: float = KEEPALIVE_SECONDS,
    credential: Credential | None = None,
    still_valid: Callable[[], bool] | None = None,
    recheck: float = RECHECK_SECONDS,
) -> AsyncIterator[str]:
    """Server-sent events for one client until it goes away: `messages` turns each change into
    the messages this client gets (none, one, several); a comment keeps an idle stream open
    through proxies. `opening` runs once the subscription stands, so nothing committed while it
    runs (a replay, say) is missed.

    With `still_valid` (a blocking read, run in the thread pool) the stream ends once it says
    False: checked at once when a change touches `credential`, and at least every `recheck`
    seconds."""
    subscription = source.subscribe(team_id)
    loop = asyncio.get_running_loop()
    try:
        yield "retry: 1000\n\n"
        if opening is not None:
            for message in await opening():
                yield message
        next_keepalive = loop.time() + keepalive
        next_check = loop.time() + recheck if still_valid is not None else float("inf")
        while not await is_disconnected():
            wait = max(0.0, min(next_keepalive, next_check) - loop.time())
            change: ChangeEvent | None = None
            with contextlib.suppress(TimeoutError):
                change = await asyncio.wait_for(subscription.queue.get(), wait)
            now = loop.time()
            if still_valid is not None and (
                now >= next_check
                or (change is not None and credential is not None and credential.touched_by(change))
            ):
                if not await run_in_threadpool(still_valid):
                    return  # logged out, deactivated or revoked: the stream ends
                next_check = now + recheck
            if change is not None:
                next_keepalive = now + keepalive
                for message in messages(change):
                    yield message
            elif now >= next_keepalive:
                next_keepalive = now + keepalive
                yield ": keep-alive\n\n"
    finally:
        subscription.close()
