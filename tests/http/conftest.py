"""An app and a client per test, on the parametrised engine, with the builder's organisation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api import deps
from app.config import Settings
from app.main import create_app
from tests.builders import World
from tests.conftest import TODAY


@pytest.fixture
def client(engine: Engine, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    with TestClient(app) as client:
        yield client
