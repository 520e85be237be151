"""Browser-less page tests: a logged-in TestClient per role, on SQLite."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api import deps
from app.config import Settings
from app.main import create_app
from tests.builders import PASSWORD, World
from tests.conftest import TODAY


@pytest.fixture
def app_for_pages(sqlite_engine: Engine, settings: Settings):
    app = create_app(settings, engine=sqlite_engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    return app


def csrf_token_of(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert match, "page has no csrf-token meta"
    return match.group(1)


class PageClient(TestClient):
    """A TestClient that is logged in and knows its CSRF token."""

    csrf_token: str = ""

    def htmx(self, method: str, url: str, **kwargs) -> object:
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf_token}
        headers.update(kwargs.pop("headers", {}))
        return self.request(method, url, headers=headers, **kwargs)


@pytest.fixture
def login(app_for_pages, world: World) -> Iterator[Callable[[str], PageClient]]:
    """login("member") gives a client with that user's session."""
    clients: list[PageClient] = []

    def _login(who: str) -> PageClient:
        client = PageClient(app_for_pages)
        clients.append(client)
        response = client.post(
            "/login",
            data={"email": world.users[who].email, "password": PASSWORD, "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        client.csrf_token = csrf_token_of(client.get("/").text)
        return client

    yield _login
    for client in clients:
        client.close()
