"""The e-mail scheduler inside `serve`: every minute, during the app's lifespan, one run of
app.services.mail (what is due now, each e-mail claimed once). Off while VERBETERBORD_SMTP_HOST
is empty. With several processes each runs it; the claims keep every e-mail to one send."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from sqlalchemy import Engine

from app.config import Settings
from app.services import mail

log = logging.getLogger("verbeterbord.mail")

INTERVAL_SECONDS = 60.0


async def run_every(engine: Engine, settings: Settings, interval: float = INTERVAL_SECONDS) -> None:
    """Send what is due, then wait; a failing run is logged and the next one tries again."""
    problem = mail.configuration_problem(settings)
    if problem is not None:
        log.warning("Geen e-mail: %s", problem)
        return
    while True:
        try:
            run = await asyncio.to_thread(mail.send_now, engine=engine, settings=settings)
            if run.sent or run.failed:
                log.info("E-mail: %s verstuurd, %s niet gelukt", run.sent, run.failed)
        except Exception:  # the scheduler keeps going; the next minute tries again
            log.exception("E-mail versturen mislukte")
        await asyncio.sleep(interval)


def send_mail_while_running(app: Any) -> None:
    """When e-mail is on, run the scheduler during the app's lifespan (around whatever lifespan
    the app already has)."""
    settings: Settings = app.state.settings
    if not mail.is_on(settings):
        return
    engine: Engine = app.state.engine
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(instance: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(run_every(engine, settings), name="verbeterbord-mail")
        try:
            async with previous(instance) as state:
                yield state
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.router.lifespan_context = lifespan
