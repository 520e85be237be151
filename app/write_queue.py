"""Write requests of one process queue first come, first served.

On SQLite one connection writes at a time. When many requests write at once, each waits in
SQLite's busy handler, which sleeps and retries: it is not fair, some writers lose every retry
until their timeout, and every waiting writer holds one of the server's worker threads, so the
writer that does hold the lock may not even get a thread to finish on. Measured before this:
50 simultaneous creates, 14 refused with 503 after the 5 s busy timeout.

Here a write request waits for its turn before it takes a thread. It waits as long as the queue
moves. The request ahead may itself wait up to the busy timeout for another process's lock, and
then needs time for its own work (a commit's fsync can stall for seconds on a busy disk), so the
patience is the busy timeout plus a grace; when the queue stands still longer than that, the
waiting request goes on anyway and meets SQLite's own lock and busy timeout (a 503 if that is
still held). Giving up sooner sends every waiter to SQLite's unfair busy handler at once, which
is what this queue is for.
Other processes (the CLI, a backup) are not in this queue: for them the busy timeout remains.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class FairQueue:
    """Tickets served in order; a ticket whose holder gave up or went away is skipped.

    Leaving is synchronous, so it also happens when the request's task is cancelled (a client
    that disconnects): an await in a cancelled task's `finally` would never run, and the queue
    would stand still behind a ticket nobody holds.
    """

    def __init__(self, *, patience: float) -> None:
        self._patience = patience
        self._next_ticket = 0
        self._serving = 0
        self._moved_at = time.monotonic()
        self._abandoned: set[int] = set()
        self._waiting: dict[int, asyncio.Event] = {}

    async def enter(self) -> int | None:
        """Wait for this request's turn; None when the queue stood still too long."""
        ticket = self._next_ticket
        self._next_ticket += 1
        if ticket == self._serving:
            return ticket
        turn = self._waiting[ticket] = asyncio.Event()
        try:
            while True:
                stuck_for = time.monotonic() - self._moved_at
                if stuck_for >= self._patience and not turn.is_set():
                    self._give_up(ticket)
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(turn.wait(), max(self._patience - stuck_for, 0))
                    return ticket
        except BaseException:
            self._give_up(ticket)
            raise
        finally:
            self._waiting.pop(ticket, None)

    def leave(self, ticket: int | None) -> None:
        if ticket is None or ticket != self._serving:
            return
        self._serving += 1
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._moved_at = time.monotonic()
        turn = self._waiting.get(self._serving)
        if turn is not None:
            turn.set()

    def _give_up(self, ticket: int) -> None:
        if ticket == self._serving:
            self.leave(ticket)  # our turn had just come: pass it on
        else:
            self._abandoned.add(ticket)


GRACE_SECONDS = 10.0


class WriteQueue:
    """ASGI middleware: requests that may write pass one at a time, in order of arrival."""

    def __init__(self, app: ASGIApp, *, busy_timeout: float) -> None:
        self.app = app
        self.patience = busy_timeout + GRACE_SECONDS
        self._queue: FairQueue | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        queue = self._queue_of_this_loop()
        ticket = await queue.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            queue.leave(ticket)

    def _queue_of_this_loop(self) -> FairQueue:
        # asyncio's primitives belong to one event loop; a server runs one, tests start several
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:
            self._queue, self._loop = FairQueue(patience=self.patience), loop
        return self._queue
