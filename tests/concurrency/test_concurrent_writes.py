"""Concurrent writers against a real server process on one SQLite file: optimistic locking holds
and nothing is lost or refused with a "database is locked"."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import create_db_engine
from app.models import Action
from tests.concurrency.conftest import LiveServer

pytestmark = pytest.mark.slow

CLIENTS = 20


def test_twenty_clients_patch_one_version_and_exactly_one_wins(live_server: LiveServer) -> None:
    team_id = live_server.world.team.id
    with live_server.client("member") as client:
        created = client.post("/api/v1/actions", json={"title": "Eén versie", "team_id": team_id})
    assert created.status_code == 201, created.text
    action = created.json()
    assert action["version"] == 1

    start = threading.Barrier(CLIENTS)

    def patch(n: int) -> httpx.Response:
        who = live_server.writers[n % len(live_server.writers)]
        with live_server.client(who) as client:
            client.get("/api/v1/me").raise_for_status()  # connected and authenticated
            start.wait(timeout=10)
            return client.patch(
                f"/api/v1/actions/{action['id']}",
                json={"title": f"Titel van client {n}", "version": 1},
            )

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        responses = list(pool.map(patch, range(CLIENTS)))

    codes = Counter(response.status_code for response in responses)
    assert codes == {200: 1, 409: CLIENTS - 1}, (codes, live_server.log_tail())
    winner = next(r for r in responses if r.status_code == 200).json()
    assert winner["version"] == 2
    for response in responses:
        if response.status_code == 409:  # the body holds the current object
            assert response.json()["version"] == 2
            assert response.json()["title"] == winner["title"]
    with live_server.client() as client:
        stored = client.get(f"/api/v1/actions/{action['id']}").json()
        history = client.get(f"/api/v1/actions/{action['id']}/history").json()
    assert (stored["version"], stored["title"]) == (2, winner["title"])
    assert [event["verb"] for event in history] == ["created", "updated"]


def test_fifty_concurrent_creates_from_ten_users_are_all_stored(live_server: LiveServer) -> None:
    team_id = live_server.world.team.id
    users = live_server.writers[:10]
    assert len(users) == 10
    prefix = "Gelijktijdig"
    start = threading.Barrier(len(users))

    def create_five(who: str) -> list[httpx.Response]:
        with live_server.client(who) as client:
            client.get("/api/v1/me").raise_for_status()
            start.wait(timeout=10)
            return [
                client.post(
                    "/api/v1/actions", json={"title": f"{prefix} {who} {n}", "team_id": team_id}
                )
                for n in range(5)
            ]

    def read_board() -> int:
        with live_server.client() as client:
            return client.get(f"/api/v1/teams/{team_id}/board").status_code

    # 10 users creating 5 actions each, one after the other, and 10 readers of the board
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        writes = [pool.submit(create_five, who) for who in users]
        readers = [pool.submit(read_board) for _ in range(10)]
        per_user = [future.result() for future in writes]
    responses = [response for batch in per_user for response in batch]
    codes = Counter(response.status_code for response in responses)
    assert codes == {201: 50}, (codes, [r.text for r in responses if r.status_code != 201][:3])
    assert {future.result() for future in readers} == {200}
    created = [response.json() for response in responses]
    assert len({action["id"] for action in created}) == 50

    engine = create_db_engine(Settings(), url=live_server.database_url)
    try:
        with Session(engine) as session:
            stored = session.exec(
                select(func.count())
                .select_from(Action)
                .where(col(Action.title).startswith(prefix), Action.team_id == team_id)
            ).one()
            positions = session.exec(
                select(Action.position).where(
                    col(Action.title).startswith(prefix), Action.team_id == team_id
                )
            ).all()
    finally:
        engine.dispose()
    assert stored == 50
    # every create saw the one before it: no two cards share a place in the column
    assert len(set(positions)) == 50, sorted(positions)
