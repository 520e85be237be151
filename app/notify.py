"""Live events between processes: PostgreSQL's LISTEN/NOTIFY feeds every process's broker.

With SQLite there is one process and nothing here runs: app.events publishes a change to the
broker after its commit, in the process that made it.

With PostgreSQL every audit event also sends ``pg_notify('verbeterbord_events', ...)`` in the
change's own transaction (app.services.audit), so PostgreSQL delivers it only once the
transaction commits, to every process that listens: any process can serve any browser. Each
process runs one `Listener` (a thread with its own connection, started by the app's lifespan)
that hands each notification to the local broker. While it runs, the process's own changes
reach its broker the same way (not also after the commit in-process): PostgreSQL delivers
notifications in commit order, so every stream sends its changes in the order they committed.

Replay. Audit ids are taken when a row is written, not when it commits: a change with id 11
can commit after one with id 12 has been sent, and a client that reconnects with
Last-Event-ID 12 would miss 11 if the replay read ``id > 12``. The listener keeps the last
changes in commit order (`CommitLog`, the same order in every process); a reconnect whose
Last-Event-ID is in it gets exactly what followed it, in any process. Remaining gap: a
Last-Event-ID this process has not seen (sent before it started listening, or more than
`LOG_SIZE` changes ago) is replayed by id, as before, and can miss a change that committed
out of id order around it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from enum import Enum
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.events import Broker, ChangeEvent, broker

CHANNEL = "verbeterbord_events"
PAYLOAD_LIMIT = 7000  # bytes; PostgreSQL refuses a payload of 8000 or more
LOG_SIZE = 10_000
POLL_SECONDS = 0.5  # how soon the listener notices it should stop
RETRY_SECONDS = 1.0

logger = logging.getLogger("verbeterbord.notify")

_listening: set[str] = set()  # the databases (str(engine.url)) a listener of this process hears
_listening_lock = threading.Lock()


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else str(value)


def encode(change: ChangeEvent) -> str:
    """The notification's payload: the whole change (with what live pages need to redraw), or
    only its id when that is too long; the listener then reads the rest from the audit row."""
    payload = json.dumps(
        {
            "id": change.id,
            "type": change.type,
            "entity_id": change.entity_id,
            "team_id": change.team_id,
            "version": change.version,
            "details": change.details,
        },
        default=_plain,
        separators=(",", ":"),
    )
    return payload if len(payload.encode()) <= PAYLOAD_LIMIT else json.dumps({"id": change.id})


def decode(payload: str, load: Callable[[int], ChangeEvent | None]) -> ChangeEvent | None:
    data = json.loads(payload)
    if "type" not in data:
        return load(int(data["id"]))
    return ChangeEvent(
        id=int(data["id"]),
        type=data["type"],
        entity_id=data["entity_id"],
        team_id=data["team_id"],
        version=data["version"],
        details=data.get("details") or {},
    )


def send(session: Session, change: ChangeEvent) -> bool:
    """Notify the other processes of a change, in the session's transaction (PostgreSQL only).
    True when this process's listener will bring the change to its broker after the commit;
    then the caller must not publish it in-process as well."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": encode(change)},
    )
    with _listening_lock:
        return str(bind.engine.url) in _listening


class CommitLog:
    """The last changes in the order they committed, for replay after a reconnect."""

    def __init__(self, size: int = LOG_SIZE) -> None:
        self._lock = threading.Lock()
        self._changes: deque[ChangeEvent] = deque(maxlen=size)

    def append(self, change: ChangeEvent) -> None:
        with self._lock:
            self._changes.append(change)

    def clear(self) -> None:
        with self._lock:
            self._changes.clear()

    def after(self, last_id: int, team_id: int | None, limit: int) -> list[ChangeEvent] | None:
        """What committed after the change `last_id` (of this team and of no team), or None when
        that change is not in the log."""
        with self._lock:
            changes = list(self._changes)
        for index in range(len(changes) - 1, -1, -1):
            if changes[index].id == last_id:
                following = changes[index + 1 :]
                return [
                    change
                    for change in following
                    if team_id is None or change.team_id in (None, team_id)
                ][:limit]
        return None


commit_log = CommitLog()


def _conninfo(engine: Engine) -> str:
    url = make_url(engine.url.render_as_string(hide_password=False))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """One thread per process: LISTEN on its own connection and feed the broker (and the log)."""

    def __init__(
        self,
        engine: Engine,
        *,
        feed: Broker = broker,
        log: CommitLog = commit_log,
        load: Callable[[int], ChangeEvent | None] | None = None,
    ) -> None:
        self.engine = engine
        self.feed = feed
        self.log = log
        self.load = load or self._load
        self.listening = threading.Event()  # set while LISTEN stands
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="verbeterbord-listen", daemon=True)

    def start(self, wait: float = 10.0) -> None:
        self._thread.start()
        if not self.listening.wait(wait):
            logger.warning("LISTEN %s did not start within %.0f s", CHANNEL, wait)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=POLL_SECONDS * 4 + 1)

    def _load(self, audit_id: int) -> ChangeEvent | None:
        from app.models import AuditEvent

        with Session(self.engine) as session:
            row = session.get(AuditEvent, audit_id)
            if row is None:
                return None
            return ChangeEvent(
                id=audit_id,
                type=f"{row.entity}.{row.verb}",
                entity_id=row.entity_id,
                team_id=row.team_id,
                version=row.version,
            )

    def _handle(self, payload: str) -> None:
        try:
            change = decode(payload, self.load)
        except (ValueError, KeyError, TypeError):
            logger.warning("unreadable notification on %s: %.200s", CHANNEL, payload)
            return
        if change is not None:
            self.log.append(change)
            self.feed.publish(change)

    def _run(self) -> None:
        import psycopg

        key = str(self.engine.url)
        while not self._stop.is_set():
            try:
                with psycopg.connect(_conninfo(self.engine), autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    with _listening_lock:
                        _listening.add(key)
                    self.listening.set()
                    while not self._stop.is_set():
                        for notification in connection.notifies(timeout=POLL_SECONDS):
                            self._handle(notification.payload)
            except psycopg.Error as error:
                # Changes committed while the connection was down are not delivered live
                # (a reconnecting browser still gets them by replay); in-process publishing
                # takes over for this process's own changes meanwhile.
                logger.warning("LISTEN %s lost (%s); trying again", CHANNEL, error)
                self._stop.wait(RETRY_SECONDS)
            finally:
                with _listening_lock:
                    _listening.discard(key)
                self.listening.clear()


def listen_while_running(app: Any) -> None:
    """On PostgreSQL, run a Listener for the app's database during the app's lifespan (around
    whatever lifespan the app already has)."""
    engine: Engine = app.state.engine
    if engine.dialect.name != "postgresql":
        return
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(instance: Any) -> AsyncIterator[Any]:
        listener = Listener(engine)
        await asyncio.to_thread(listener.start)
        try:
            async with previous(instance) as state:
                yield state
        finally:
            await asyncio.to_thread(listener.stop)

    app.router.lifespan_context = lifespan
