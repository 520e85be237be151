"""A thin speaking layer over the test client: who asks, what comes back, and the history."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func
from sqlmodel import Session, select

from app.models import AuditEvent
from tests.support.builders import World

API = "/api/v1"


def expect(response: Response, status: int = 200) -> Any:
    """The JSON body of a response that must have this status."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


def error_fields(response: Response) -> set[str]:
    """The field names a 422 answer points at, from each error's `loc`."""
    assert response.status_code == 422, f"{response.status_code}: {response.text}"
    # loc is [where, field, ...]: where is body, query or path
    return {str(part) for error in response.json()["detail"] for part in error["loc"][1:]}


class Api:
    """Requests as one of the world's people; bodies are JSON, answers are checked."""

    def __init__(self, client: TestClient, world: World) -> None:
        self.client = client
        self.world = world

    def call(
        self,
        method: str,
        path: str,
        who: str = "member",
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Response:
        return self.client.request(
            method, API + path, json=json, params=params, headers=self.world.headers(who)
        )

    def get(self, path: str, who: str = "member", **params: Any) -> Any:
        return expect(self.call("GET", path, who, params=params or None))

    def post(self, path: str, body: dict[str, Any], who: str = "admin", status: int = 201) -> Any:
        return expect(self.call("POST", path, who, json=body), status)

    def patch(self, path: str, body: dict[str, Any], who: str = "admin") -> Any:
        return expect(self.call("PATCH", path, who, json=body))

    # --- things the tests need a lot of -----------------------------------------------------
    def action(self, who: str = "member", **fields: Any) -> dict[str, Any]:
        """A new action on the world's team (or the team given), by `who`."""
        body = {"title": "Wachtlijst uitzoeken", "team_id": self.world.team.id, **fields}
        return self.post("/actions", body, who=who)

    def edit(self, action: dict[str, Any], who: str = "member", **fields: Any) -> dict[str, Any]:
        """PATCH the action on the version the caller holds."""
        body = {"version": action["version"], **fields}
        return self.patch(f"/actions/{action['id']}", body, who=who)

    def user(self, email: str, **fields: Any) -> dict[str, Any]:
        return self.post("/users", {"email": email, "name": "Nieuwe Collega", **fields})

    def ambition(self, **fields: Any) -> dict[str, Any]:
        body = {"title": "Iedereen doet mee", "owner_team_id": self.world.team.id, **fields}
        return self.post("/ambitions", body)

    def escalation(self, action: dict[str, Any], who: str = "member") -> dict[str, Any]:
        body = {"note": "We hebben een besluit nodig."}
        return self.post(f"/actions/{action['id']}/escalations", body, who=who)

    def history(self, action_id: int) -> list[dict[str, Any]]:
        return self.get(f"/actions/{action_id}/history")

    def audit_events(self) -> int:
        """How many audit events exist: a refused write adds none."""
        with Session(self.world.engine) as session:
            return session.exec(select(func.count()).select_from(AuditEvent)).one()
