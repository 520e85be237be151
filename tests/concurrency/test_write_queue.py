"""Write requests of one process queue first come, first served (app/write_queue.py), so a
burst of writers is served in order, and a writer that gives up or goes away never stops the
queue."""

from __future__ import annotations

import asyncio

from app.write_queue import FairQueue

WRITERS = 50


def test_writers_get_their_turn_in_the_order_they_arrived() -> None:
    async def scenario() -> list[int]:
        queue = FairQueue(patience=5)
        order: list[int] = []
        first = await queue.enter()

        async def write(n: int) -> None:
            ticket = await queue.enter()
            order.append(n)
            queue.leave(ticket)

        tasks = []
        for n in range(8):
            tasks.append(asyncio.create_task(write(n)))
            await asyncio.sleep(0.01)  # arrive one after the other
        queue.leave(first)
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
            queue.leave(ticket)

        # five writers ahead, 0.1 s each: 0.5 s in all, longer than the patience, but the queue
        # never stands still for 0.2 s
        ahead = [asyncio.create_task(hold_briefly()) for _ in range(5)]
        await asyncio.sleep(0.01)
        last = asyncio.create_task(queue.enter())
        await asyncio.sleep(0.1)
        queue.leave(holder)
        await asyncio.gather(*ahead)
        return await last

    assert asyncio.run(scenario()) is not None


def test_a_writer_behind_a_stuck_holder_goes_on_and_the_queue_skips_its_turn() -> None:
    async def scenario() -> tuple[int | None, int | None]:
        queue = FairQueue(patience=0.1)
        holder = await queue.enter()
        gave_up = await queue.enter()  # the holder never leaves within 0.1 s
        queue.leave(holder)
        # the abandoned turn is skipped: the next writer gets in at once
        next_one = await asyncio.wait_for(queue.enter(), 0.05)
        return gave_up, next_one

    gave_up, next_one = asyncio.run(scenario())
    assert gave_up is None
    assert next_one is not None


def test_a_writer_that_goes_away_while_waiting_or_writing_does_not_stop_the_queue() -> None:
    async def scenario() -> int | None:
        queue = FairQueue(patience=5)
        holder = await queue.enter()
        waiting = asyncio.create_task(queue.enter())
        await asyncio.sleep(0.01)
        waiting.cancel()  # a client that disconnected while it waited

        async def write_and_be_cancelled() -> None:
            ticket = await queue.enter()
            try:
                await asyncio.sleep(10)
            finally:
                queue.leave(ticket)

        writing = asyncio.create_task(write_and_be_cancelled())
        last = asyncio.create_task(queue.enter())
        await asyncio.sleep(0.01)
        queue.leave(holder)
        await asyncio.sleep(0.01)
        writing.cancel()  # a client that disconnected while its request ran
        return await asyncio.wait_for(last, 1)

    assert asyncio.run(scenario()) is not None
