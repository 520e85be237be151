"""An app and a client per test, on the parametrised engine, with the builder's organisation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from tests.support.builders import World
from tests.support.clients import create_test_app


@pytest.fixture
def client(engine: Engine, settings: Settings, world: World) -> Iterator[TestClient]:
    with TestClient(create_test_app(settings, engine)) as client:
        yield client
