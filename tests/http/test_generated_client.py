"""An integrator's view: a Python client generated with openapi-python-client from the live
/openapi.json runs a team member's flow against a real server, so a schema change that breaks
generated clients fails here (offline: the generator reads the saved schema, nothing else)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from app import clock
from app.config import Settings
from app.db import create_db_engine
from tests.support.builders import World, build_world
from tests.support.server import ServerProcess, migrated_data_dir, serve

pytestmark = pytest.mark.slow

PACKAGE = "verbeterbord_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
BINARY_REPORTS = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, World]]:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "generated-client")
    engine = create_db_engine(Settings(), url=database_url)
    try:
        world = build_world(engine, today=clock.today())
    finally:
        engine.dispose()
    with serve(data_dir, secret_key="generated-client-secret-key") as server:
        yield server, world


@pytest.fixture(scope="module")
def generated(
    served: tuple[ServerProcess, World], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The client package, generated from the server's own schema and imported."""
    server, _ = served
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "openapi.json"
    schema.write_bytes(httpx.get(f"{server.url}/openapi.json").raise_for_status().content)
    config = folder / "config.yaml"
    # the report files (PDF, XLSX) are binary answers to a generator; CSV is text already
    overrides = "".join(f"  {kind}: application/octet-stream\n" for kind in BINARY_REPORTS)
    config.write_text(
        f"post_hooks: []\npackage_name_override: {PACKAGE}\ncontent_type_overrides:\n{overrides}"
    )
    command = [str(GENERATOR), "generate", "--path", str(schema), "--config", str(config)]
    command += ["--output-path", str(folder / PACKAGE), "--meta", "none", "--fail-on-warning"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield _Client(server.url)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


class _Client:
    """Reach into the generated package: `api("actions", "update_action")`, `model("…")`."""

    def __init__(self, url: str) -> None:
        self.url = url

    def api(self, tag: str, operation: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation}")

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{PACKAGE}.models"), name)

    def authenticated(self, token: str) -> Any:
        client_class = importlib.import_module(PACKAGE).AuthenticatedClient
        return client_class(base_url=self.url, token=token, raise_on_unexpected_status=True)


def test_a_generated_client_runs_a_team_members_flow_with_typed_answers(
    generated: Any, served: tuple[ServerProcess, World]
):
    _, world = served
    client = generated.authenticated(world.tokens["member"])
    action_public = generated.model("ActionPublic")
    status = generated.model("ActionStatus")

    # a team member adds an action to their team's board
    create = generated.api("actions", "create_action")
    body = generated.model("ActionCreate")(title="Wachtlijst uitzoeken", team_id=world.team.id)
    created = create.sync(client=client, body=body)
    assert isinstance(created, action_public), created
    assert (created.title, created.version, created.status) == (
        "Wachtlijst uitzoeken",
        1,
        status("todo"),
    )

    # and moves it to Bezig with the version they read
    update = generated.api("actions", "update_action")
    change = generated.model("ActionUpdate")
    moved = update.sync(
        created.id, client=client, body=change(version=created.version, status=status("doing"))
    )
    assert isinstance(moved, action_public), moved
    assert (moved.status, moved.version) == (status("doing"), 2)

    # an edit on the old version: a typed 409 holding the action as it is now
    stale = update.sync_detailed(
        created.id, client=client, body=change(version=created.version, title="Oud")
    )
    assert stale.status_code == 409
    conflict = stale.parsed
    assert isinstance(conflict, generated.model("ActionConflict")), conflict
    assert isinstance(conflict.current, action_public)
    assert (conflict.current.version, conflict.current.title) == (2, "Wachtlijst uitzoeken")
    assert conflict.version == 2 and conflict.detail
    assert conflict.additional_properties == {}  # every field is typed

    # Mijn acties
    mine = generated.api("actions", "list_actions").sync(client=client, mine=True)
    assert [action.id for action in mine.items] == [created.id] and mine.total == 1

    # the board shows it under Bezig
    board = generated.api("boards", "read_board").sync(world.team.id, client=client)
    assert isinstance(board, generated.model("BoardPublic")), board
    columns = {column.status: [action.id for action in column.actions] for column in board.columns}
    assert columns[status("doing")] == [created.id]
    assert board.team.id == world.team.id


def test_a_generated_client_reads_refusals_as_their_documented_models(
    generated: Any, served: tuple[ServerProcess, World]
):
    _, world = served
    anonymous = generated.authenticated("vb_not-a-real-token")
    me = generated.api("me", "read_me").sync_detailed(client=anonymous)
    assert me.status_code == 401
    assert isinstance(me.parsed, generated.model("Message"))

    client = generated.authenticated(world.tokens["member"])
    body = generated.model("ActionCreate")(title="x" * 201, team_id=world.team.id)
    refused = generated.api("actions", "create_action").sync_detailed(client=client, body=body)
    assert refused.status_code == 422
    assert isinstance(refused.parsed, generated.model("FieldErrors"))
    assert [(error.loc, error.type_) for error in refused.parsed.detail] == [
        (["body", "title"], "string_too_long")
    ]
