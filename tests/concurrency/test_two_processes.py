"""Two server processes on one PostgreSQL database: a change made through one reaches an event
stream opened on the other within a second (LISTEN/NOTIFY, app.notify), and a client that
reconnects to the other process gets what it missed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import get_settings
from app.migrate import migrate_to_head
from tests.concurrency.conftest import SECRET_KEY, LiveServer, seed
from tests.concurrency.test_event_stream import EventStream, create_action, is_created
from tests.support.server import serve

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def two_servers(
    postgres_module_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    migrate_to_head(postgres_module_url)
    world, writers = seed(postgres_module_url)
    env = {"VERBETERBORD_DATABASE_URL": postgres_module_url}
    with (
        serve(tmp_path_factory.mktemp("process-a"), secret_key=SECRET_KEY, env=env) as a,
        serve(tmp_path_factory.mktemp("process-b"), secret_key=SECRET_KEY, env=env) as b,
    ):
        yield (
            LiveServer(server=a, database_url=postgres_module_url, world=world, writers=writers),
            LiveServer(server=b, database_url=postgres_module_url, world=world, writers=writers),
        )


def test_a_change_made_through_one_process_reaches_a_stream_on_the_other_within_a_second(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    world = a.world
    latencies: list[float] = []
    with EventStream(b, "outsider") as on_b, EventStream(a, "outsider") as on_a:
        for n in range(5):
            made_through, other = (a, on_b) if n % 2 == 0 else (b, on_a)
            started = time.monotonic()
            action = create_action(made_through, "member", world.team.id, f"Via het andere {n}")
            event = other.until(is_created(action))[-1]
            # from sending the change to one process (its request included) to the other's client
            latencies.append(event.received - started)
    print(
        f"\nNOTIFY latency between processes: {', '.join(f'{s * 1000:.0f} ms' for s in latencies)}"
    )
    assert max(latencies) < 1.0, latencies


def test_a_stream_on_one_process_also_hears_that_process_s_own_changes_once(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, _b = two_servers
    world = a.world
    with EventStream(a, "member", team_id=world.team.id) as stream:
        action = create_action(a, "member", world.team.id, "Hier en nu")
        events = stream.until(is_created(action))
        events += stream.quiet(0.3)
    assert [e.id for e in events].count(events[0].id) == 1
    assert sum(1 for e in events if e.data["id"] == action["id"]) == 1, "sent twice"


def test_reconnecting_to_the_other_process_replays_what_was_missed(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    world = a.world
    with EventStream(a, "member") as stream:
        first = create_action(a, "member", world.team.id, "Voor de onderbreking")
        last_seen = stream.until(is_created(first))[-1].id

    missed = [
        create_action(server, "member", world.team.id, f"Gemist {n}")
        for n, server in enumerate((a, b, a))
    ]

    with EventStream(b, "member", last_event_id=last_seen) as stream:
        replayed = stream.until(is_created(missed[-1]))
        again = create_action(a, "lead", world.team.id, "Weer live")
        live = stream.until(is_created(again))

    created = [e.data["id"] for e in replayed if e.data["type"] == "action.created"]
    assert created == [action["id"] for action in missed]
    ids = [e.id for e in replayed + live]
    assert len(ids) == len(set(ids)), "sent twice"
    assert [e.data["id"] for e in live] == [again["id"]]


def test_serve_runs_several_workers_on_postgresql(
    postgres_module_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn
    from click.testing import CliRunner

    from app.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setenv("VERBETERBORD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VERBETERBORD_SECRET_KEY", "test-secret-key")
    monkeypatch.setenv("VERBETERBORD_DATABASE_URL", postgres_module_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["serve", "--workers", "2"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert [(kw["workers"], kw["factory"]) for kw in calls] == [(2, True)]
