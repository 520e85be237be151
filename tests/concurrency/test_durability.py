"""kill -9 of the server in the middle of a write load loses nothing that was acknowledged: after
a restart on the same SQLite file PRAGMA integrity_check passes, every acknowledged create is
there, and every action is at least at the version its last acknowledged PATCH answered."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.concurrency.conftest import SECRET_KEY, seed
from tests.support.server import migrated_data_dir, serve

pytestmark = pytest.mark.slow

CLIENTS = 6
LOAD_SECONDS = 1.5


class Acknowledged:
    """What the server answered 201/200 to: action id → the newest version it confirmed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.created: set[int] = set()
        self.versions: dict[int, int] = {}
        self.refused: list[str] = []

    def record(self, action: dict[str, object], *, created: bool) -> None:
        action_id, version = int(action["id"]), int(action["version"])  # type: ignore[call-overload]
        with self.lock:
            if created:
                self.created.add(action_id)
            self.versions[action_id] = max(version, self.versions.get(action_id, 0))


def write_until_the_server_dies(
    url: str,
    headers: dict[str, str],
    team_id: int,
    who: str,
    seen: Acknowledged,
    ready: threading.Barrier,
) -> None:
    """Create an action, then alternate: patch one of its own, create another. Each client only
    patches its own actions and knows their versions, so no write is refused as stale."""
    mine: dict[int, int] = {}
    with httpx.Client(base_url=url, headers=headers, timeout=httpx.Timeout(10.0)) as client:
        client.get("/api/v1/me").raise_for_status()  # connected, authenticated, warmed up
        ready.wait(timeout=30)
        for n in range(10_000):
            try:
                if n % 2 == 0 or not mine:
                    response = client.post(
                        "/api/v1/actions", json={"title": f"{who} {n}", "team_id": team_id}
                    )
                    expected = 201
                else:
                    action_id = list(mine)[n % len(mine)]
                    response = client.patch(
                        f"/api/v1/actions/{action_id}",
                        json={"title": f"{who} {n} bijgewerkt", "version": mine[action_id]},
                    )
                    expected = 200
            except httpx.TransportError:
                return  # the server is gone; this request was never acknowledged
            if response.status_code != expected:
                seen.refused.append(f"{response.status_code} {response.text[:200]}")
                return
            action = response.json()
            mine[action["id"]] = action["version"]
            seen.record(action, created=expected == 201)


def stored(path: Path) -> tuple[str, dict[int, int], dict[int, int], set[int]]:
    """(integrity_check, id → version, id → updated events, ids with a created event)."""
    connection = sqlite3.connect(path)
    try:
        integrity = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
        versions = dict(connection.execute("SELECT id, version FROM action").fetchall())
        updates = dict(
            connection.execute(
                "SELECT entity_id, count(*) FROM audit_event"
                " WHERE entity = 'action' AND verb = 'updated' GROUP BY entity_id"
            ).fetchall()
        )
        created = {
            row[0]
            for row in connection.execute(
                "SELECT entity_id FROM audit_event WHERE entity = 'action' AND verb = 'created'"
            )
        }
        return integrity, versions, updates, created
    finally:
        connection.close()


def test_after_kill_9_during_writes_every_acknowledged_write_is_still_there(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "durability")
    world, writers = seed(database_url)
    team_id = world.team.id
    assert team_id is not None
    seen = Acknowledged()
    with serve(data_dir, secret_key=SECRET_KEY) as server:
        ready = threading.Barrier(CLIENTS + 1)
        threads = [
            threading.Thread(
                target=write_until_the_server_dies,
                args=(server.url, world.headers(who), team_id, who, seen, ready),
                daemon=True,
            )
            for who in writers[:CLIENTS]
        ]
        for thread in threads:
            thread.start()
        ready.wait(timeout=30)
        time.sleep(LOAD_SECONDS)
        server.kill()  # no shutdown, no checkpoint, requests in flight
        for thread in threads:
            thread.join(timeout=15)
    assert not any(thread.is_alive() for thread in threads), "a client did not stop"
    assert not seen.refused, seen.refused
    assert len(seen.created) >= CLIENTS, "too little load to prove anything"

    # the same file, a new server: SQLite recovers the write-ahead log on the first open
    with (
        serve(data_dir, secret_key=SECRET_KEY) as restarted,
        httpx.Client(base_url=restarted.url, headers=world.headers("member"), timeout=10) as client,
    ):
        some = min(seen.created)
        answer = client.get(f"/api/v1/actions/{some}")
        assert answer.status_code == 200, answer.text
        assert answer.json()["version"] >= seen.versions[some]

        integrity, versions, updates, created = stored(data_dir / "verbeterbord.db")
    assert integrity == "ok"
    missing = seen.created - versions.keys()
    assert not missing, f"acknowledged creates lost: {sorted(missing)}"
    behind = {
        action_id: (version, versions.get(action_id))
        for action_id, version in seen.versions.items()
        if versions.get(action_id, 0) < version
    }
    assert not behind, f"acknowledged versions lost (acknowledged, stored): {behind}"
    # each write and its history event committed together
    assert created == set(versions)
    assert all(version == 1 + updates.get(i, 0) for i, version in versions.items())
