"""Filter and sort parameters are whitelisted: every query parameter of the API is a number, a
yes/no or one of a fixed list of values, so nothing a client types reaches a query as text.

Unknown filter values are refused with 422; there is no sort or order parameter, so `?sort=`
and `?order=` are ignored: the answer is the same as without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import deps
from app.config import Settings
from app.main import create_app
from tests.conftest import TODAY
from tests.http.helpers import API, expect
from tests.support.builders import World


@pytest.fixture
def client(sqlite_engine: Engine, settings: Settings, world: World) -> Iterator[TestClient]:
    app = create_app(settings, engine=sqlite_engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    with TestClient(app) as client:
        yield client


def _closed(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether a parameter schema admits only numbers, booleans or enumerated values."""
    if "$ref" in schema:
        return _closed(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "anyOf" in schema:
        return all(_closed(option, components) for option in schema["anyOf"])
    return "enum" in schema or schema.get("type") in {"integer", "boolean", "null"}


def test_every_query_parameter_of_the_api_is_a_number_a_boolean_or_an_enum(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]
    free_text = [
        f"{method.upper()} {path} ?{parameter['name']}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not _closed(parameter["schema"], components)
    ]
    assert free_text == []
    names = {
        parameter["name"]
        for operations in spec["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    assert not names & {"sort", "order", "order_by", "sort_by"}


@pytest.mark.parametrize("value", ["drop table", "todo;--", "todo' OR '1'='1", "TODO", ""])
def test_an_unknown_action_status_filter_is_refused(
    client: TestClient, world: World, value: str
) -> None:
    response = client.get(
        f"{API}/actions", params={"status": value}, headers=world.headers("member")
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


def test_an_unknown_escalation_status_filter_is_refused(client: TestClient, world: World) -> None:
    response = client.get(
        f"{API}/teams/{world.team.id}/escalations",
        params={"status": "open' --"},
        headers=world.headers("member"),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("params", [{"sort": "id;--"}, {"order": "title desc; drop table action"}])
def test_a_sort_or_order_parameter_is_ignored(
    client: TestClient, world: World, params: dict[str, str]
) -> None:
    headers = world.headers("member")
    for title in ("Bravo", "Alfa"):
        body = {"title": title, "team_id": world.team.id}
        expect(client.post(f"{API}/actions", json=body, headers=headers), 201)
    plain = expect(client.get(f"{API}/actions", headers=headers))
    assert expect(client.get(f"{API}/actions", params=params, headers=headers)) == plain
    assert plain["total"] == 2
