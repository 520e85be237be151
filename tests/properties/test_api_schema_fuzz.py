"""Schemathesis over the whole OpenAPI schema, in-process: for every operation, as an admin and
as a member of the world's team, no answer is a 5xx and every answer keeps to the schema
(a documented status code, the documented content type, a body and headers that fit).

The schema is read once, at collection, from an app whose database is swapped per test for a
fresh copy of the builder's organisation (the app reads its engine from `app.state`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, create_engine

from app import deps
from app.config import Settings
from app.main import create_app
from tests.conftest import TODAY
from tests.support.builders import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

app = create_app(Settings(secret_key="schema-only"), engine=create_engine("sqlite://"))
app.dependency_overrides[deps.get_today] = lambda: TODAY
# the event stream never ends by itself; tests/concurrency/test_event_stream.py covers it
# the explicit examples and random fuzzing, positive and negative; the coverage phase's
# hundreds of boundary cases per operation would take minutes
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG).exclude(
    path="/api/v1/events"
)


@schema.hook("map_path_parameters")
def _mostly_existing_ids(_context: object, path_parameters: dict[str, object] | None) -> object:
    """Two in three valid ids are folded onto the few that exist (the builder's teams, users and
    sprint, and what the operation made), so the fuzzing gets past the 404; the rest stay as
    generated and prove the 404."""
    if not path_parameters:
        return path_parameters
    return {
        name: value % 8 + 1 if isinstance(value, int) and value >= 1 and value % 3 else value
        for name, value in path_parameters.items()
    }


@pytest.fixture
def on_world(sqlite_engine: Engine, settings: Settings, world: World) -> Iterator[World]:
    """Point the app at this test's own database."""
    previous = app.state.engine, app.state.settings
    app.state.engine, app.state.settings = sqlite_engine, settings
    yield world
    app.state.engine, app.state.settings = previous


@pytest.mark.parametrize("who", ["admin", "member"])
@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, who: str, on_world: World) -> None:
    case.call_and_validate(headers=on_world.headers(who), checks=CHECKS)
