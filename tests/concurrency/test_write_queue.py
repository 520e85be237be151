"""Write requests of one process queue first come, first served (app/write_queue.py), so a
burst of writers is served in order and none is refused while the queue moves."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from app.write_queue import FairQueue
from tests.concurrency.conftest import LiveServer

WRITERS = 50


def test_writers_get_their_turn_in_the_order_they_arrived() -> None:
    async def scenario() -> list[int]:
        queue = FairQueue(patience=5)
        order: list[int] = []
        first = await queue.enter()

        async def write(n: int) -> None:
            ticket = await queue.enter()
            order.append(n)
            await queue.leave(ticket)

        tasks = []
        for n in range(8):
            tasks.append(asyncio.create_task(write(n)))
            await asyncio.sleep(0.01)  # arrive one after the other
        await queue.leave(first)
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(scenario()) == list(range(8))


def test_a_writer_waits_as_long_as_the_queue_moves() -> None:
    async def scenario() -> int | None:
        queue = FairQueue(patience=0.2)
        holder = await queue.enter()

        async def hold_briefly() -> None:
            ticket = await queue.enter()
            await asyncio.sleep(0.1)
            await queue.leave(ticket)

        # five writers ahead, 0.1 s each: 0.5 s in all, longer than the patience, but the queue
        # never stands still for 0.2 s
        ahead = [asyncio.create_task(hold_briefly()) for _ in range(5)]
        await asyncio.sleep(0.01)
        last = asyncio.create_task(queue.enter())
        await asyncio.sleep(0.1)
        await queue.leave(holder)
        await asyncio.gather(*ahead)
        return await last

    assert asyncio.run(scenario()) is not None


def test_a_writer_behind_a_stuck_holder_goes_on_and_the_queue_skips_its_turn() -> None:
    async def scenario() -> tuple[int | None, int | None]:
        queue = FairQueue(patience=0.1)
        holder = await queue.enter()
        gave_up = await queue.enter()  # the holder never leaves within 0.1 s
        await queue.leave(holder)
        # the abandoned turn is skipped: the next writer gets in at once
        next_one = await asyncio.wait_for(queue.enter(), 0.05)
        return gave_up, next_one

    gave_up, next_one = asyncio.run(scenario())
    assert gave_up is None
    assert next_one is not None


@pytest.mark.slow
def test_fifty_writers_at_the_same_moment_are_all_stored(live_server: LiveServer) -> None:
    team_id = live_server.world.team.id
    start = threading.Barrier(WRITERS)

    def create(n: int) -> httpx.Response:
        who = live_server.writers[n % 10]
        with live_server.client(who, timeout=httpx.Timeout(30.0)) as client:
            client.get("/api/v1/me").raise_for_status()
            start.wait(timeout=20)
            return client.post(
                "/api/v1/actions", json={"title": f"Tegelijk {n}", "team_id": team_id}
            )

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        responses = list(pool.map(create, range(WRITERS)))
    codes = Counter(response.status_code for response in responses)
    assert codes == {201: WRITERS}, (codes, live_server.log_tail())
