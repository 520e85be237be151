"""One way to get the app and a logged-in client in a test.

    app = create_test_app(settings, engine)      # the app on the test's database, on TODAY
    client = page_client(app, world, "member")   # logged in through the form, CSRF token read
    client.htmx("POST", url, data=...)          # as HTMX sends it, with the token

`log_in` does the same form login on any httpx client, e.g. one talking to a real server
(tests/support/server.py).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import deps
from app.config import Settings
from app.main import create_app
from tests.conftest import TODAY
from tests.support.builders import PASSWORD, World

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def create_test_app(settings: Settings, engine: Engine) -> FastAPI:
    """The app on the test's database, with today fixed at TODAY (a day inside the sprint)."""
    app = create_app(settings, engine=engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    return app


def csrf_token_of(html: str) -> str:
    match = CSRF_META.search(html)
    assert match, "page has no csrf-token meta"
    return match.group(1)


def log_in(client: httpx.Client, email: str, password: str = PASSWORD) -> str:
    """Log in through the login form; returns the CSRF token of the start page."""
    response = client.post(
        "/login",
        data={"email": email, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, f"logging in as {email}: {response.status_code}"
    return csrf_token_of(client.get("/").text)


class PageClient(TestClient):
    """A TestClient that is logged in and knows its CSRF token."""

    csrf_token: str = ""

    def htmx(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"HX-Request": "true", "X-CSRF-Token": self.csrf_token}
        headers.update(kwargs.pop("headers", {}))
        return self.request(method, url, headers=headers, **kwargs)


def page_client(app: FastAPI, world: World, who: str) -> PageClient:
    """A client with the session of one of the builder's people; close it when done."""
    client = PageClient(app)
    client.csrf_token = log_in(client, world.users[who].email)
    return client
