"""When every database connection of the process stays busy (a crowd of requests at once), a
request that waited the pool's whole timeout gets 503 with Retry-After, like a held lock: the
database is busy, not broken (a 500 said otherwise)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from app.config import Settings
from tests.support.builders import World
from tests.support.clients import create_test_app


def test_a_request_that_gets_no_connection_in_time_is_told_to_try_again(
    settings: Settings, world: World
) -> None:
    # one connection, and a request waits for it 0.2 s at most
    crowded = create_engine(
        f"sqlite:///{settings.data_dir / 'verbeterbord.db'}",
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.2,
        connect_args={"check_same_thread": False},
    )
    try:
        with TestClient(create_test_app(settings, crowded)) as client:
            with crowded.connect():  # someone else holds the only connection
                api = client.get("/api/v1/me", headers=world.headers("member"))
            assert api.status_code == 503 and api.headers["retry-after"] == "1"
            assert api.json()["detail"] == "Het is even te druk. Probeer het zo opnieuw."
            assert client.get("/api/v1/me", headers=world.headers("member")).status_code == 200
    finally:
        crowded.dispose()
