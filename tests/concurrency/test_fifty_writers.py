"""Fifty writers at the same moment against one server process on SQLite: the write queue
(app/write_queue.py) serves them in order and none is refused.

The server is this module's own: a server shared with other tests can be in the middle of their
work (a test that holds the write lock on purpose, say), and then a refusal says nothing about
the queue."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.concurrency.conftest import SECRET_KEY, LiveServer, seed
from tests.support.server import migrated_data_dir, serve

pytestmark = pytest.mark.slow
WRITERS = 50


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "fifty-writers")
    world, writers = seed(database_url)
    with serve(data_dir, secret_key=SECRET_KEY) as server:
        yield LiveServer(server=server, database_url=database_url, world=world, writers=writers)


def test_fifty_writers_at_the_same_moment_are_all_stored(own_server: LiveServer) -> None:
    team_id = own_server.world.team.id
    start = threading.Barrier(WRITERS)

    def create(n: int) -> tuple[httpx.Response, float]:
        who = own_server.writers[n % len(own_server.writers)]
        with own_server.client(who, timeout=httpx.Timeout(60.0)) as client:
            client.get("/api/v1/me").raise_for_status()  # connected and signed in
            start.wait(timeout=60)
            sent = time.monotonic()
            answer = client.post(
                "/api/v1/actions", json={"title": f"Tegelijk {n}", "team_id": team_id}
            )
            return answer, time.monotonic() - sent

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(create, range(WRITERS)))
    codes = Counter(answer.status_code for answer, _ in results)
    took = sorted(seconds for _, seconds in results)
    print(
        f"\n50 writers: {dict(codes)}, p50 {took[24] * 1000:.0f} ms, max {took[-1] * 1000:.0f} ms"
    )
    assert codes == {201: WRITERS}, (codes, own_server.log_tail())
    with own_server.client("member") as client:
        board = client.get("/api/v1/actions", params={"team_id": team_id, "limit": 500}).json()
    titles = {item["title"] for item in board["items"]}
    assert {f"Tegelijk {n}" for n in range(WRITERS)} <= titles
