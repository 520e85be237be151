"""Browser-less page tests: a logged-in TestClient per role, on SQLite."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from app import clock
from app.config import Settings
from tests.conftest import TODAY
from tests.support.builders import World
from tests.support.clients import PageClient, create_test_app, page_client


@pytest.fixture(autouse=True)
def pages_on_today(monkeypatch: pytest.MonkeyPatch) -> None:
    # pages write dates without the year when it is this year: "this year" is TODAY's, so
    # what a page shows does not change when the real calendar turns
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def app_for_pages(sqlite_engine: Engine, settings: Settings):
    return create_test_app(settings, sqlite_engine)


@pytest.fixture
def login(app_for_pages, world: World) -> Iterator[Callable[[str], PageClient]]:
    """login("member") gives a client with that user's session."""
    clients: list[PageClient] = []

    def _login(who: str) -> PageClient:
        client = page_client(app_for_pages, world, who)
        clients.append(client)
        return client

    yield _login
    for client in clients:
        client.close()
