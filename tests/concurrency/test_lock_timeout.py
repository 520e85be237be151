"""A write that waits longer than VERBETERBORD_SQLITE_BUSY_TIMEOUT_MS for the SQLite write lock
answers 503 with Retry-After (JSON on the API, a Dutch page on pages), never a 500, and writes
nothing."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import deps
from app.config import Settings
from app.db import create_db_engine
from app.main import create_app
from tests.conftest import TODAY
from tests.support.builders import PASSWORD, World
from tests.support.clients import csrf_token_of

BUSY_TIMEOUT_MS = 200


@pytest.fixture
def impatient(settings: Settings, world: World) -> Iterator[tuple[FastAPI, Path]]:
    """The app on the test's database (with the builder's organisation), waiting at most
    200 ms for the write lock."""
    short = settings.model_copy(update={"sqlite_busy_timeout_ms": BUSY_TIMEOUT_MS})
    engine = create_db_engine(short)
    app = create_app(short, engine=engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    yield app, settings.data_dir / "verbeterbord.db"
    engine.dispose()


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process's write transaction, holding the lock until the block ends."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        connection.close()


def test_an_api_write_that_cannot_get_the_lock_answers_503_with_retry_after(
    impatient: tuple[FastAPI, Path], world: World
) -> None:
    app, path = impatient
    before = (count(path, "action"), count(path, "audit_event"))
    with TestClient(app, raise_server_exceptions=False) as client:
        client.get("/api/v1/me", headers=world.headers("member")).raise_for_status()
        with write_lock(path):
            started = time.monotonic()
            response = client.post(
                "/api/v1/actions",
                json={"title": "Wacht op het slot", "team_id": world.team.id},
                headers=world.headers("member"),
            )
            waited = time.monotonic() - started

        assert response.status_code == 503, response.text
        assert response.headers["retry-after"].isdigit()
        assert response.json() == {"detail": "Het is even te druk. Probeer het zo opnieuw."}
        assert waited >= BUSY_TIMEOUT_MS / 1000 * 0.9  # it did wait for the lock first
        assert (count(path, "action"), count(path, "audit_event")) == before

        # once the lock is free, the same request goes through
        again = client.post(
            "/api/v1/actions",
            json={"title": "Wacht op het slot", "team_id": world.team.id},
            headers=world.headers("member"),
        )
        assert again.status_code == 201, again.text


@pytest.mark.parametrize("htmx", [False, True], ids=["plain form", "htmx"])
def test_a_page_form_that_cannot_get_the_lock_answers_a_dutch_503_page(
    impatient: tuple[FastAPI, Path], world: World, htmx: bool
) -> None:
    app, path = impatient
    with TestClient(app, raise_server_exceptions=False) as client:
        login = client.post(
            "/login",
            data={"email": world.users["member"].email, "password": PASSWORD, "next": "/"},
            follow_redirects=False,
        )
        assert login.status_code == 303, login.text
        csrf = csrf_token_of(client.get("/").text)
        before = count(path, "action")
        headers = {"HX-Request": "true", "X-CSRF-Token": csrf} if htmx else {}
        with write_lock(path):
            response = client.post(
                f"/teams/{world.team.id}/acties",
                data={"csrf_token": csrf, "title": "Wacht op het slot", "owner_id": "", "doel": ""},
                headers=headers,
                follow_redirects=False,
            )

        assert response.status_code == 503, response.text
        assert response.headers["retry-after"].isdigit()
        assert response.headers["content-type"].startswith("text/html")
        assert "Het is even te druk" in response.text
        assert count(path, "action") == before
